"""Units shown wherever a person reads a value (issue 15 point 5), and never where text is parsed again."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import carepath
from carepath.cli import main
from carepath.syntax import parse_text
from carepath.syntax.printer import show
from carepath.syntax.units import unit_of, with_units
from carepath.syntax.words import say

UNITS = {"age": "years", "weight": "kg", "height": "m"}

GAPPED = '''pathway p "P"
source s "S"
fact age: integer 16..120 unit "years" "patient age"
fact frail: boolean
derive elderly: boolean = age >= 75
start triage
decide triage "Age band"
  when age > 65 -> older
  when age < 65 -> younger
step older "Older" recommend review "Review" cite s
    when elderly or frail
  stop
step younger "Younger" recommend advise "Advise" cite s stop
'''


def guard(text: str):
    """A guard parsed from DSL text."""
    return parse_text(f'pathway p "P"\nrequire {text}\n').requires[0].condition


@pytest.mark.parametrize("text, shown", [
    ("age >= 65", "age >= 65 years"),
    ("65 <= age", "65 years <= age"),
    ("-age < -65", "-age < -65 years"),
    ("weight - 2 > 70", "weight - 2 > 70 kg"),
    ("weight / height > 25", "weight / height > 25"),  # a quotient has no declared unit
    ("weight + age > 3", "weight + age > 3"),  # mixed units: none
    ("(if age > 70 then weight else 60) >= 50", "(if age > 70 years then weight else 60) >= 50"),
    ("age in {16, 17}", "age in {16 years, 17 years}"),
    ("n > 3 and age < 18", "n > 3 and age < 18 years"),
])
def test_numbers_compared_with_a_value_that_has_a_unit_show_it(text, shown):
    assert show(with_units(guard(text), UNITS)) == shown


def test_unit_of_follows_names_negation_and_sums_of_one_unit():
    assert [unit_of(guard(f"{e} > 0").left, UNITS) for e in ("age", "-weight", "weight - weight", "age * 2")] \
        == ["years", "kg", "kg", None]


def test_guards_in_words_carry_units():
    assert say(with_units(guard("age >= 65 and weight < 40"), UNITS)) == \
        "age is at least 65 years and weight is less than 40 kg"


def invoke(*args: str, stdin: str | None = None):
    """The CLI in-process."""
    return CliRunner().invoke(main, list(args), input=stdin)


@pytest.fixture
def gapped(tmp_path):
    path = tmp_path / "p.dsl"
    path.write_text(GAPPED, encoding="utf-8")
    return path


def test_run_text_shows_units_of_values_and_of_facts_needed(gapped):
    text = invoke("run", str(gapped), "-", stdin='{"age": 70}').output
    assert "  needs: frail\n" in text and "age = 70 years" in text
    text = invoke("run", str(gapped), "-", stdin='{"frail": true}').output
    assert "  needs: age (years)\n" in text


def test_json_keeps_bare_numbers(gapped):
    data = json.loads(invoke("run", str(gapped), "-", "--json", stdin='{"age": 70, "frail": true}').output)
    assert data["path"][0]["facts"] == {"age": 70}


def test_a_run_that_finds_a_gap_says_the_case_with_units(gapped):
    result = invoke("run", str(gapped), "-", stdin='{"age": 65}')
    assert result.exit_code == 1 and "where age == 65 years" in result.output


def test_check_witnesses_are_json_followed_by_their_units(gapped):
    text = invoke("check", str(gapped)).output
    assert '  case: {"age": 65, "frail": false}  (age in years)\n' in text or \
           '  case: {"age": 65, "frail": true}  (age in years)\n' in text, text


def test_charts_and_definitions_show_units(gapped):
    pathway = carepath.load(gapped)
    dot, mermaid = carepath.render(pathway, "dot"), carepath.render(pathway, "mermaid")
    for chart in (dot, mermaid):
        assert "65 years" in chart and "age is at least 75 years" in chart  # an edge, the definitions panel


def test_the_review_page_reads_guards_with_units(gapped):
    page = carepath.review(carepath.load(gapped))
    assert "age is at least 75 years" in page and "age is more than 65 years" in page


def test_diff_witnesses_and_conditions_carry_units(gapped, tmp_path):
    new = tmp_path / "new.dsl"
    new.write_text(GAPPED.replace("age >= 75", "age >= 80"), encoding="utf-8")
    text = invoke("diff", str(gapped), str(new)).output
    assert "witness: age == 7" in text and " years" in text.split("witness: ")[1].splitlines()[0]
    assert "age is at least 75 years" in text and "age is at least 80 years" in text


def test_needs_all_json_gives_the_units_of_the_facts_it_lists(gapped):
    data = json.loads(invoke("run", str(gapped), "-", "--json", "--needs-all", stdin="{}").output)
    assert data["needs_all"]["facts"] == ["age", "frail"] and data["needs_all"]["units"] == {"age": "years"}


def test_a_constant_is_defined_with_its_unit_and_thresholds_compared_with_it_need_none():
    from carepath.syntax.units import derived_with_units
    from carepath.syntax.words import define

    pathway = carepath.loads('pathway p "P"\nfact urea: number unit "mmol/L"\nconstant high_urea = 7 unit "mmol/L"\n'
                             'derive raised: boolean = urea > high_urea or urea > 20\nstart a\nstep a "A" stop\n', "c.dsl")
    assert define(derived_with_units(pathway.derived["high_urea"], pathway.units)) == ["7 mmol/L"]
    assert define(derived_with_units(pathway.derived["raised"], pathway.units)) == \
        ["urea is more than high_urea or urea is more than 20 mmol/L"]


@pytest.mark.parametrize("guard_text, message", [
    ("age > 150", "`age > 150` compares with 150 years, outside the declared range 16..120 years"),
    ("frail and 10 == age", "`10 == age` compares with 10 years, outside the declared range 16..120 years"),
])
def test_a_threshold_outside_the_range_is_reported_in_the_values_unit(guard_text, message):
    """The type checker's range message gives the threshold and the range in the compared value's unit."""
    text = GAPPED.replace("when age > 65 -> older", f"when {guard_text} -> older")
    with pytest.raises(carepath.PathwayError) as raised:
        carepath.loads(text, "p.dsl")
    assert message in str(raised.value)
