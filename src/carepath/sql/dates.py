"""Stage 3 in SQL: dates as day numbers, and the calendar, exactly as carepath.expr.dates has them.

A date is its day number (0001-01-01 is day 1, Python's `date.toordinal`), an exact integer like
any other number of the query, so `a - b` of two dates is the days between them, `d + 12 weeks`
moves a date by 84 days and comparisons compare days. A date read from text becomes its day
number by Howard Hinnant's days-from-civil, integer arithmetic that every dialect writes. Calendar
months go through the engine's calendar (see shift_months).
"""
from __future__ import annotations

from sqlglot import exp

from ..expr.dates import FIRST_DAY, LAST_DAY
from .values import cast_to, paren, sum_of

DAY_DIGITS = 7  # the largest day number, 9999-12-31, is 3652059
MARCH_FIRST_OF_YEAR_0 = 305  # day 1 (0001-01-01) is day 306 counted from 0000-03-01


def _n(value: int) -> exp.Literal:
    """An integer literal."""
    return exp.Literal.number(value)


def _int(value: exp.Expression) -> exp.Expression:
    """A value as a 64-bit integer, for integer division."""
    return cast_to(value, "BIGINT")


def _div(a: exp.Expression, b: int) -> exp.Expression:
    """Integer division of a non-negative integer."""
    return exp.IntDiv(this=paren(a), expression=_n(b))


def _add(*terms: exp.Expression) -> exp.Expression:
    """The sum of the terms, in parentheses."""
    return sum_of(list(terms))


def _mul(a: exp.Expression, b: int) -> exp.Expression:
    """a times a constant."""
    return exp.Mul(this=paren(a), expression=_n(b))


def _sub(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    """a - b, in parentheses."""
    return exp.Paren(this=exp.Sub(this=paren(a), expression=paren(b)))


def _if(test: exp.Expression, then: exp.Expression, otherwise: exp.Expression) -> exp.Expression:
    """CASE WHEN test THEN then ELSE otherwise END."""
    return exp.Case(ifs=[exp.If(this=test, true=then)], default=otherwise)


def day_number(year: exp.Expression, month: exp.Expression, day: exp.Expression) -> exp.Expression:
    """The day number of a calendar date (years 1 to 9999), as an integer."""
    total = _add(_mul(_int(year), 12), month.copy(), _n(-1))
    return _day_of_month_count(total, day)


def _day_of_month_count(total: exp.Expression, day: exp.Expression) -> exp.Expression:
    """The day number of day `day` of month number `total` (year * 12 + month - 1, at least 2).

    Years are counted from March (so that a leap day ends its year): the March-based year is
    (total - 2) DIV 12 and the month within it (total + 10) MOD 12."""
    def year() -> exp.Expression:
        return _div(_sub(total.copy(), _n(2)), 12)

    month = exp.Mod(this=_add(total.copy(), _n(10)), expression=_n(12))
    before_month = _div(_add(_mul(month, 153), _n(2)), 5)  # days from March 1 to the month's first day
    return _add(_mul(year(), 365), _div(year(), 4), exp.Neg(this=_div(year(), 100)), _div(year(), 400), before_month,
                day.copy(), _n(-MARCH_FIRST_OF_YEAR_0 - 1))


def is_leap(year: exp.Expression) -> exp.Expression:
    """Whether a year is a Gregorian leap year."""
    def divides(k: int) -> exp.Expression:
        return exp.EQ(this=exp.Mod(this=paren(year.copy()), expression=_n(k)), expression=_n(0))

    return exp.Paren(this=exp.And(this=divides(4), expression=exp.Paren(this=exp.Or(
        this=exp.Not(this=divides(100)), expression=divides(400)))))


def days_in_month(year: exp.Expression, month: exp.Expression) -> exp.Expression:
    """The length of a month of a year."""
    short = exp.In(this=paren(month.copy()), expressions=[_n(4), _n(6), _n(9), _n(11)])
    return exp.Case(ifs=[exp.If(this=exp.EQ(this=paren(month.copy()), expression=_n(2)),
                                true=_if(is_leap(year), _n(29), _n(28))),
                         exp.If(this=short, true=_n(30))], default=_n(31))


def in_calendar(day: exp.Expression) -> exp.Expression:
    """Whether a day number lies in the calendar's years 1 to 9999 (NULL when unknown)."""
    return exp.Between(this=paren(day), low=_n(FIRST_DAY), high=_n(LAST_DAY))


def shift_months(day: exp.Expression, months: int) -> tuple[exp.Expression, exp.Expression]:
    """(the day number `months` calendar months after `day`, at the new month's end when it is shorter;
    whether that stays in the calendar), as carepath.expr.dates.shift_months.

    The engine moves the date (DuckDB's `+ INTERVAL n MONTH` and Spark's ADD_MONTHS both keep the day
    and cut it to the new month's length, which is the executor's rule; the agreement tests hold them
    to it, month ends and leap days included); whether the result stays in years 1 to 9999 is
    decided first, in integer arithmetic, so no engine is asked for a date it cannot hold."""
    first = cast_to(exp.Literal.string("0001-01-01"), "DATE")
    safe = _if(in_calendar(day.copy()), day.copy(), _n(FIRST_DAY))
    date = exp.DateAdd(this=first, expression=cast_to(_sub(safe, _n(1)), "INT"), unit=exp.var("DAY"))  # Spark: INT
    total = _add(_mul(_int(exp.Year(this=date.copy())), 12), exp.Month(this=date.copy()), _n(months - 1))
    stays = exp.Paren(this=exp.And(this=in_calendar(day.copy()), expression=exp.Between(
        this=total, low=_n(12), high=_n(9999 * 12 + 11))))
    moved = exp.AddMonths(this=date, expression=_n(months))
    number = _add(exp.DateDiff(this=moved, expression=first.copy(), unit=exp.var("DAY")), _n(1))
    return _if(stays, number, exp.Null()), stays.copy()
