"""The smaller constructs authors hit: conditional cautions, named constants, cited derived values,
and invariants over several codes; each parsed, printed back, run and checked."""
from __future__ import annotations

from pathlib import Path

import pytest

import carepath
from carepath.syntax import parse_text
from carepath.syntax.printer import print_document

CAUTION = '''pathway p "P"
source s "S"
fact age: optional integer 0..120 unit "years"
start a
step a "A"
  recommend nsaid "Offer an NSAID" cite s
    caution "Consider a proton pump inhibitor" when age > 45 cite s
    caution "Take with food" cite s
  stop
'''


@pytest.mark.parametrize("case, shown", [
    ({"age": 60}, ["Consider a proton pump inhibitor", "Take with food"]),
    ({"age": 30}, ["Take with food"]),
    ({}, ["Consider a proton pump inhibitor (applies when age > 45; not known for this case)", "Take with food"]),
])
def test_a_conditional_caution_shows_where_it_holds_or_cannot_be_told(case, shown):
    result = carepath.run(carepath.loads(CAUTION, "c.dsl"), case)
    assert result.status == "complete"
    assert [text for text, *_ in result.recommendations[0].cautions] == shown


def test_a_conditional_caution_counts_as_a_use_of_its_fact_and_draws_its_condition():
    pathway = carepath.loads(CAUTION, "c.dsl")
    assert not [f for f in carepath.check(pathway) if f.kind == "unused_fact"]
    assert "(when age &#62; 45 years)" in carepath.render(pathway, "dot")


def test_a_division_in_a_caution_condition_is_checked():
    text = CAUTION.replace("when age > 45", "when 100 / age > 2")
    kinds = [f.kind for f in carepath.check(carepath.loads(text, "c.dsl"))]
    assert "division_by_zero" in kinds


CONSTANTS = '''pathway p "P"
source bts "BTS"
fact urea: number 0..100 unit "mmol/L"
fact age: integer 0..120
constant high_urea = 7 unit "mmol/L" cite bts
constant old = 65
derive elderly: boolean = age >= old cite bts
start d
decide d "D"
  when elderly or urea > high_urea -> s
  otherwise -> t
step s "S" recommend x "X" cite bts stop
step t "T" recommend y "Y" cite bts stop
'''


def test_named_constants_are_thresholds_used_by_name():
    pathway = carepath.loads(CONSTANTS, "k.dsl")
    assert pathway.derived["high_urea"].constant and pathway.derived["high_urea"].unit == "mmol/L"
    assert [r.code for r in carepath.run(pathway, {"urea": 7.1, "age": 40}).recommendations] == ["x"]
    assert [r.code for r in carepath.run(pathway, {"urea": 7, "age": 64}).recommendations] == ["y"]
    assert [f for f in carepath.check(pathway) if f.severity == "error"] == []


def test_constants_and_cited_derived_values_print_back():
    doc = parse_text(CONSTANTS, "k.dsl")
    text = print_document(doc)
    assert 'constant high_urea = 7 unit "mmol/L"  cite bts' in text
    assert "derive elderly: boolean = age >= old  cite bts" in text
    assert parse_text(text, "again.dsl") == doc


def test_a_cited_derived_value_needs_a_declared_source():
    with pytest.raises(carepath.PathwayError) as raised:
        carepath.loads(CONSTANTS.replace("age >= old cite bts", "age >= old cite nice"), "k.dsl")
    assert "`nice` is not a declared source" in raised.value.format()


INVARIANT = '''pathway p "P"
source s "S"
fact a: boolean
fact b: boolean
start d
decide d "D"
  when a -> x
  otherwise -> y
step x "X" recommend one "One" cite s stop
step y "Y"
  recommend two "Two" cite s
    when b
  stop
always one or two when a or b
always one or two when not a
'''


def test_always_over_several_codes_holds_when_any_is_emitted():
    pathway = carepath.loads(INVARIANT, "i.dsl")
    found = [f for f in carepath.check(pathway) if f.kind == "invariant"]
    assert [f.span.line for f in found] == [15]
    assert found[0].witness == {"a": False, "b": False}
    assert "without `one` or `two`" in found[0].message
    doc = parse_text(INVARIANT, "i.dsl")
    assert "always one or two when a or b" in print_document(doc)
    assert doc.invariants[0].codes == ("one", "two")


ACCEPTS = '''pathway p "P"
source s "S"
fact x: optional boolean
start d
decide d "D"
  when x -> a
  otherwise -> a
step a "A" recommend r "R" cite s stop
accept needs_input at d "x is asked for when it is known to matter"
accept overlap "nothing overlaps"
accept gpa "a typo"
'''


def test_accepted_findings_are_listed_with_their_reason_and_stale_ones_warned(tmp_path):
    import json

    from click.testing import CliRunner

    from carepath.cli import main

    findings = carepath.check(carepath.loads(ACCEPTS, "a.dsl"))
    assert [(f.kind, f.severity) for f in findings] == [
        ("needs_input", "accepted"), ("stale_accept", "warning"), ("stale_accept", "warning")]
    assert findings[0].hint == "accepted: x is asked for when it is known to matter"
    assert "did you mean `gap`?" in findings[2].format()
    path = tmp_path / "a.dsl"
    path.write_text(ACCEPTS)
    text = CliRunner().invoke(main, ["check", str(path), "--strict"])
    assert text.exit_code == 1 and text.output.endswith("2 warnings, 1 accepted\n")
    path.write_text(ACCEPTS.split("accept overlap")[0])
    assert CliRunner().invoke(main, ["check", str(path), "--strict"]).exit_code == 0
    sarif = json.loads(CliRunner().invoke(main, ["check", str(path), "--format", "sarif"]).output)
    import jsonschema

    schema = json.loads((Path(__file__).parent / "fixtures" / "sarif-subset-2.1.0.schema.json").read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    result = sarif["runs"][0]["results"][0]
    assert result["level"] == "none"
    assert result["suppressions"] == [{"kind": "inSource", "justification": "x is asked for when it is known to matter"}]
