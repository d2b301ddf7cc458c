"""Dates and durations: ISO 8601 facts with located errors, the reference date an explicit fact, days
between dates, durations in days and weeks, exact and checked."""
from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

import carepath
from carepath.cli import main
from carepath.syntax import parse_text
from carepath.syntax.printer import print_document

SURGERY = '''pathway dvt "Recent surgery"
source s "S"
fact today: date "The day of the assessment (the reference date)"
fact surgery: boolean
fact surgery_date: optional date "Day of the operation"
require surgery_date is missing or surgery_date <= today
start recent
decide recent "Surgery within the last 12 weeks?"
  when surgery and today - surgery_date <= 12 weeks -> yes
  otherwise -> no
step yes "Yes" recommend recent_surgery "Surgery within the last 12 weeks" cite s stop
step no "No" recommend no_recent_surgery "No surgery in the last 12 weeks" cite s stop
'''


@pytest.fixture(scope="module")
def surgery():
    return carepath.loads(SURGERY, "dvt.dsl")


@pytest.mark.parametrize("case, codes, needs", [
    ({"today": "2026-11-30", "surgery": True, "surgery_date": "2026-09-07"}, ["recent_surgery"], []),  # 84 days
    ({"today": "2026-11-30", "surgery": True, "surgery_date": "2026-09-06"}, ["no_recent_surgery"], []),  # 85
    ({"today": "2024-03-01", "surgery": True, "surgery_date": "2023-12-08"}, ["recent_surgery"], []),  # leap day
    ({"today": "2026-11-30", "surgery": False}, ["no_recent_surgery"], []),
    ({"today": "2026-11-30", "surgery": True}, [], ["surgery_date"]),
])
def test_within_the_last_12_weeks(surgery, case, codes, needs):
    result = carepath.run(surgery, case)
    assert ([r.code for r in result.recommendations], list(result.needs)) == (codes, needs)


def test_dates_print_as_iso_text_in_results(surgery):
    result = carepath.run(surgery, {"today": "2026-11-30", "surgery": True, "surgery_date": date(2026, 9, 7)})
    from carepath.expr.numbers import dumps, show_value

    assert result.path[0].facts["surgery_date"] == date(2026, 9, 7)
    assert b'"surgery_date":"2026-09-07"' in dumps(result.to_json())
    assert show_value(date(2026, 9, 7)) == '"2026-09-07"'


@pytest.mark.parametrize("value, message", [
    ("2026-02-30", "2026-02-30 is not a day of the calendar"),
    ("30/11/2026", "expected a date written YYYY-MM-DD (ISO 8601), got '30/11/2026'"),
    ("2026-11-30T10:00", "expected a date written YYYY-MM-DD"),
    (20261130, "expected a date written YYYY-MM-DD"),
])
def test_a_bad_date_in_a_case_is_a_located_error(tmp_path, value, message):
    (tmp_path / "dvt.dsl").write_text(SURGERY)
    import json

    (tmp_path / "case.json").write_text('{"today": ' + json.dumps(value) + ', "surgery": false}')
    result = CliRunner().invoke(main, ["run", str(tmp_path / "dvt.dsl"), str(tmp_path / "case.json")])
    assert result.exit_code == 2 and "case.json:1:2: error: fact `today`: " in result.output
    assert message in result.output


def test_the_json_result_writes_dates_as_iso_text(tmp_path):
    (tmp_path / "dvt.dsl").write_text(SURGERY)
    (tmp_path / "case.yaml").write_text("today: 2026-11-30\nsurgery: true\nsurgery_date: 2026-09-07\n")
    result = CliRunner().invoke(main, ["run", str(tmp_path / "dvt.dsl"), str(tmp_path / "case.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    assert '"surgery_date": "2026-09-07"' in result.output and '"recent_surgery"' in result.output


def test_the_checker_reasons_about_days(surgery):
    """With the require, a surgery date after today is impossible; witnesses are dates."""
    findings = carepath.check(surgery)
    needs = [f for f in findings if f.kind == "needs_input"]
    assert needs and isinstance(needs[0].witness["today"], date)
    text = SURGERY.replace("<= 12 weeks", "< 0 days")
    kinds = {f.kind for f in carepath.check(carepath.loads(text, "dvt.dsl"))}
    assert "contradictory" in kinds  # a past operation is never less than 0 days ago


def test_dates_and_durations_print_back():
    doc = parse_text(SURGERY, "dvt.dsl")
    text = print_document(doc)
    assert "fact today: date" in text and "today - surgery_date <= 12 weeks" in text
    assert parse_text(text, "again.dsl") == doc
    assert parse_text(text.replace("12 weeks", "1.5 weeks"), "x.dsl").nodes[0].branches[0].guard.operands[1].right.days == 10.5


MONTHS = '''pathway p "P"
source s "S"
fact today: date
fact event: date
start d
decide d "Within the last 6 months?"
  when event >= today - 6 months -> recent
  otherwise -> old
step recent "R" recommend recent "Recent" cite s stop
step old "O" recommend old "Old" cite s stop
'''


@pytest.mark.parametrize("today, event, code", [
    ("2026-08-31", "2026-02-28", "recent"),  # six months before 31 August is the last day of February
    ("2026-08-31", "2026-02-27", "old"),
    ("2024-08-31", "2024-02-29", "recent"),  # a leap year
    ("2024-08-31", "2024-02-28", "old"),
    ("2026-03-15", "2025-09-15", "recent"),  # across a year
    ("2026-03-15", "2025-09-14", "old"),
])
def test_calendar_months_move_a_date(today, event, code):
    result = carepath.run(carepath.loads(MONTHS, "m.dsl"), {"today": today, "event": event})
    assert [r.code for r in result.recommendations] == [code]


@pytest.mark.parametrize("months", [-25, -13, -6, -1, 1, 12])
def test_the_checker_moves_dates_by_months_as_the_executor_does(months):
    """Every day around a leap February and at the ends of months in 1900, 2000 and 2100: the solver's
    calendar gives the executor's day, and no other."""
    import z3

    from carepath.expr.dates import shift_months
    from carepath.solver import Encoding

    text = 'pathway p "P"\nfact today: date\n' + f"derive shifted: date = today + {months} months\n" if months > 0 \
        else 'pathway p "P"\nfact today: date\n' + f"derive shifted: date = today - {-months} months\n"
    encoding = Encoding(carepath.loads(text + 'start a\nstep a "A" stop\n', "m.dsl"))
    start = date(2023, 12, 20).toordinal()
    days = [date.fromordinal(start + k) for k in range(80)] + [
        date(y, m, 28 + k) for y in (1900, 2000, 2100) for m in (1, 2, 3, 12) for k in range(4)
        if (m != 2 or k < (2 if y % 400 == 0 else 1))]
    today, shifted = encoding.value["today"], encoding.derived["shifted"].value
    for day in days:
        expected = shift_months(day, months).toordinal()
        wrong = encoding.literal(z3.And(today == day.toordinal(), shifted != expected))
        assert not encoding.check(wrong), (day, months)
        assert encoding.check(encoding.literal(today == day.toordinal()))


APART = '''pathway p "P"
source s "S"
fact today: date
fact surgery: date
start d
decide d "More than 1 month since the surgery?"
  when today - surgery > 1 month -> long
  otherwise -> recent
step long "L" recommend long "Long" cite s stop
step recent "R" recommend recent "Recent" cite s stop
'''


@pytest.mark.parametrize("today, surgery, code", [
    ("2026-02-28", "2026-01-31", "recent"),  # 31 January + 1 month is 28 February: not more than a month
    ("2026-03-01", "2026-01-31", "long"),
    ("2026-02-28", "2026-01-28", "recent"),  # the same day a month later is exactly 1 month
    ("2026-03-01", "2026-01-28", "long"),
    ("2024-02-29", "2024-01-31", "recent"),  # a leap year: 31 January + 1 month is 29 February
    ("2024-03-01", "2024-01-31", "long"),
    ("2026-01-15", "2025-12-14", "long"),  # across a year
    ("2026-01-15", "2025-12-15", "recent"),
    ("2025-12-15", "2026-01-15", "recent"),  # the surgery after today: a negative length
])
def test_months_measure_the_time_between_two_dates(today, surgery, code):
    """`a - b > 1 month` holds exactly when `b + 1 month < a`, b moved by the calendar."""
    result = carepath.run(carepath.loads(APART, "a.dsl"), {"today": today, "surgery": surgery})
    assert [r.code for r in result.recommendations] == [code]


@pytest.mark.parametrize("guard, same", [
    ("today - surgery > 1 month", "today > surgery + 1 month"),
    ("1 month <= today - surgery", "surgery + 1 month <= today"),
    ("today - surgery == 2 months", "today == surgery + 2 months"),
    ("today - surgery != 0 months", "today != surgery + 0 months"),
])
def test_a_length_in_months_is_the_date_moved_by_the_calendar(guard, same):
    """The checker proves each comparison of a length in months equal to its calendar form: no case
    separates them (an overlap would be found otherwise)."""
    text = APART.replace("today - surgery > 1 month -> long\n  otherwise -> recent",
                         f"{guard} -> long\n  when not ({same}) -> recent")
    findings = carepath.check(carepath.loads(text, "a.dsl"))
    assert [f.kind for f in findings if f.severity == "error"] == [], [f.format() for f in findings]


GAP = """pathway gap "Gap"
source s "S"
fact today: date
fact meds: set of a | b
start d
decide d "D"
  when meds has a and today > today - 1 days -> yes
step yes "Y" stop
"""


@pytest.mark.parametrize("meds, shown", [(["b"], "meds is {b}"), ([], "number of meds == 0")])
def test_a_gap_names_date_and_set_values_in_its_message(meds, shown):
    """A decision with no branch that holds states the facts: a date as its ISO text, a set by its values."""
    from carepath.errors import PathwayDefect

    with pytest.raises(PathwayDefect) as raised:
        carepath.run(carepath.loads(GAP, "gap.dsl"), {"today": "2026-11-30", "meds": meds})
    message = str(raised.value)
    assert "today is 2026-11-30" in message and shown in message
