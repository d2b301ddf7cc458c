"""The SQL calendar against the executor's: day numbers read from text, and months moved, for random
days of the whole calendar and the month ends and leap days where rules differ."""
from __future__ import annotations

import random
from datetime import date

import pytest
from sqlglot import exp

from carepath.expr.dates import shift_months as executor_shift
from carepath.sql.dates import shift_months
from carepath.sql.inputs import read_wide
from carepath.syntax import ast

EDGES = [date(1, 1, 1), date(9999, 12, 31), date(2024, 2, 29), date(2021, 8, 31), date(1, 3, 31), date(9999, 6, 30),
         date(2000, 2, 29), date(1900, 3, 1), date(2023, 1, 31), date(2100, 2, 28)]
DAYS = EDGES + [date.fromordinal(random.Random(19).randint(1, date.max.toordinal())) for _ in range(1500)]


def _over(values: list[exp.Expression], column_type: str) -> exp.Expression:
    """A one-column table `v` of these values."""
    rows = [exp.Tuple(expressions=[value]) for value in values]
    inner = exp.select(exp.cast(exp.column("v"), column_type).as_("v")).from_(
        exp.Values(expressions=rows).as_("t", table=["v"]))
    return inner.subquery("x")


def test_dates_read_from_text_are_their_day_numbers(duck) -> None:
    texts = [d.isoformat() for d in DAYS] + ["2026-02-29", "2026-13-01", "0000-01-01", "30/11/2026", "2026-1-05"]
    read = read_wide(ast.Fact("d", ast.DateType()), exp.column("v"))
    got = duck.execute(exp.select(read).from_(_over([exp.Literal.string(t) for t in texts], "VARCHAR")).sql("duckdb"))
    assert [row[0] for row in got.fetchall()] == [d.toordinal() for d in DAYS] + [None] * 5


@pytest.mark.parametrize("months", [-120000, -25, -6, -1, 0, 1, 11, 13])
def test_months_move_a_day_number_as_the_executor_moves_a_date(duck, months: int) -> None:
    shifted, stays = shift_months(exp.column("v"), months)
    query = exp.select(shifted, stays).from_(_over([exp.Literal.number(d.toordinal()) for d in DAYS], "DECIMAL(7, 0)"))
    for day, (number, inside) in zip(DAYS, duck.execute(query.sql("duckdb")).fetchall()):
        expected = executor_shift(day, months)
        assert (inside, number) == ((False, None) if expected is None else (True, expected.toordinal())), day


APART = """pathway p "P"
source s "S"
fact today: date
fact surgery: optional date
start d
decide d "More than 1 month since the surgery?"
  when today - surgery > 1 month -> long
  when 2 months >= today - surgery -> recent
step long "L" recommend long "Long" cite s stop
step recent "R" recommend recent "Recent" cite s stop
"""


def test_a_length_in_months_is_read_as_the_executor_reads_it(duck) -> None:
    """`a - b > 1 month` (and the mirrored form) in SQL over the month ends, leap days and a missing
    date: DuckDB's rows equal the executor's."""
    import carepath
    from population_support import disagreements, duckdb_rows

    pathway = carepath.loads(APART, "apart.dsl")
    ends = [(date(2026, 2, 28), date(2026, 1, 31)), (date(2026, 3, 1), date(2026, 1, 31)),
            (date(2024, 2, 29), date(2024, 1, 31)), (date(2026, 1, 15), date(2025, 12, 14)),
            (date(2026, 1, 15), date(2025, 12, 15)), (date(2025, 12, 15), date(2026, 1, 15))]
    cases = [{"today": t, "surgery": s} for t, s in ends + list(zip(DAYS[10:400], DAYS[400:790]))]
    cases.append({"today": date(2026, 11, 30), "surgery": None})
    assert disagreements(pathway, cases, duckdb_rows(duck, pathway, cases)) == []
