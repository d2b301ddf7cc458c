"""Stage 3, execution: what a date and a duration are. Exact: a date is a calendar day, a duration a number of days.

A `date` fact is given in a case as ISO 8601 text (`2026-11-30`); the reference date of a case
(`today`, say) is a date fact like any other, never the machine's clock. Subtracting two dates
gives the days between them (an integer); a date plus or minus a whole number of days is a
date; durations are written in days or weeks (`12 weeks` is 84 days). Calendar months move a
date (`today - 6 months`: the same day six months before, or the month's last day when that
month is shorter), and measure the time between two dates by that same move: `a - b > 3 months`
means `a > b + 3 months` (see `months_apart`). The solver reads a date as its day number (1 is
0001-01-01), so the checker and the executor agree on every date.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

from ..syntax import ast

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DAYS_IN = {"day": 1, "days": 1, "week": 7, "weeks": 7}
MONTHS = frozenset({"month", "months"})  # calendar months: they move a date, or measure between two dates
ORDINAL_OF_1970 = date(1970, 1, 1).toordinal()


class Months(int):
    """A number of calendar months, as `today - 6 months` uses it (not a number of days)."""


def shift_months(day: date, months: int) -> date | None:
    """The same day `months` calendar months later (earlier if negative), at the month's end if shorter;
    None outside the calendar's years 1 to 9999."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        return None
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def months_apart(expr: ast.Compare) -> ast.Compare:
    """A comparison of the time between two dates with calendar months, as the comparison it means.

    `a - b OP N months` is `a OP b + N months` (and `N months OP a - b` is `b + N months OP a`):
    b moved N months by the calendar, then compared with a, evaluated in the same order. Any other
    comparison is returned unchanged. The type checker admits the pattern only with two dates."""
    for length, difference in ((expr.right, expr.left), (expr.left, expr.right)):
        if isinstance(length, ast.Duration) and length.months and isinstance(difference, ast.Arith) \
                and difference.operators == ("-",):
            later, earlier = difference.operands
            moved = ast.Arith((earlier, length), ("+",), span=difference.span)
            sides = (later, moved) if difference is expr.left else (moved, later)
            return ast.Compare(expr.op, *sides, span=expr.span)
    return expr


FIRST_DAY, LAST_DAY = date.min.toordinal(), date.max.toordinal()


class NotADate(ValueError):
    """Text that is not a calendar date written YYYY-MM-DD."""


def parse_date(text: Any) -> date:
    """The date ISO 8601 text names (`2026-11-30`); anything else, or a day the calendar lacks, is refused."""
    if isinstance(text, date):
        return text
    if not isinstance(text, str) or not ISO_DATE.fullmatch(text):
        raise NotADate(f"expected a date written YYYY-MM-DD (ISO 8601), got {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise NotADate(f"{text} is not a day of the calendar") from None


def is_date(text: Any) -> bool:
    """Whether a case value is a valid date (text or a date object)."""
    try:
        parse_date(text)
    except NotADate:
        return False
    return True


def date_arithmetic(op: str, a: Any, b: Any) -> Any:
    """`date - date` (days between, an int), `date + days`, `date - days` (a date); None if it leaves the calendar."""
    if type(b) is Months:
        return shift_months(a, b if op == "+" else -b)
    try:
        if isinstance(b, date):
            return (a - b).days
        shift = timedelta(days=b)
        return a + shift if op == "+" else a - shift
    except OverflowError:
        return None
