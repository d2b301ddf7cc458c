"""Stage 4, the solver encoding: calendar months for the checker, exactly as carepath.expr.dates moves a date.

A date is its day number. Moving it by whole months goes through the calendar: the day number is
split into year, month and day (the inverse of Howard Hinnant's days-from-civil, by constant
division only, so z3 stays in linear integer arithmetic), the month is moved, the day is cut to
the new month's length, and the result is a day number again.
"""
from __future__ import annotations

import z3

from ..expr.dates import FIRST_DAY, LAST_DAY, ORDINAL_OF_1970
from .logic import And, Or


def day_number(y: z3.ArithRef, m: z3.ArithRef, d: z3.ArithRef) -> z3.ArithRef:
    """The day number (0001-01-01 is 1) of a calendar date, for years 1 to 9999."""
    shifted = y - z3.If(m <= 2, 1, 0)
    era = shifted / 400
    year_of_era = shifted - era * 400
    day_of_year = (153 * z3.If(m > 2, m - 3, m + 9) + 2) / 5 + d - 1
    day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year
    return era * 146097 + day_of_era - 719468 + ORDINAL_OF_1970


def days_in_month(y: z3.ArithRef, m: z3.ArithRef) -> z3.ArithRef:
    """The length of a month of a year (Gregorian leap years)."""
    leap = And(y % 4 == 0, Or(y % 100 != 0, y % 400 == 0))
    return z3.If(m == 2, z3.If(leap, 29, 28), z3.If(Or(m == 4, m == 6, m == 9, m == 11), 30, 31))


def shift_months(day: z3.ArithRef, months: int, name: str, encoding) -> z3.ArithRef:
    """The day number `months` calendar months after `day` (the month's last day if it is shorter).

    `name` names the year, month and day of `day` (the same text is the same term, so the same
    calendar date); they are defined only while `day` lies in the calendar, as the executor's are."""
    ctx = encoding.ctx
    y, m, d = (z3.Int(f"calendar!{name}!{part}", ctx) for part in "ymd")
    encoding.solver.add(z3.Implies(And(z3.IntVal(FIRST_DAY, ctx) <= day, day <= z3.IntVal(LAST_DAY, ctx)),
                                   And(1 <= y, y <= 9999, 1 <= m, m <= 12, 1 <= d, d <= days_in_month(y, m),
                                       day == day_number(y, m, d))))
    total = m - 1 + months
    year, month = y + total / 12, total % 12 + 1
    length = days_in_month(year, month)
    return day_number(year, month, z3.If(d <= length, d, length))
