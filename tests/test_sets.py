"""Sets of enumeration values: a case gives a list; membership, `any of`, `all of` and `number of`, run and checked."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import carepath
from carepath.cli import main
from carepath.syntax import parse_text
from carepath.syntax.printer import print_document

MEDICINES = '''pathway meds "Medicines"
source s "S"
fact medicines: optional set of warfarin | aspirin | clopidogrel | nsaid | ssri "Current medicines"
start d
decide d "Bleeding risk from the medicines" first match
  when medicines has warfarin and medicines has any of {aspirin, clopidogrel, nsaid} -> combination
  when number of medicines in {aspirin, clopidogrel} >= 2 -> dual
  when medicines has all of {ssri, nsaid} -> gi_risk
  otherwise -> fine
step combination "C" recommend review_combination "Review the anticoagulant with an antiplatelet or NSAID" cite s stop
step dual "D" recommend dual_antiplatelet "Check the indication and duration of dual antiplatelet therapy" cite s stop
step gi_risk "G" recommend gastroprotection "Consider gastroprotection" cite s stop
step fine "F" recommend nothing "No change" cite s
  caution "Review for polypharmacy" when number of medicines >= 4 cite s
  stop
'''


@pytest.fixture(scope="module")
def meds():
    return carepath.loads(MEDICINES, "meds.dsl")


@pytest.mark.parametrize("given, codes", [
    (["warfarin", "nsaid"], ["review_combination"]),
    (["warfarin", "ssri"], ["nothing"]),
    (["aspirin", "clopidogrel"], ["dual_antiplatelet"]),
    (["aspirin", "clopidogrel", "warfarin"], ["review_combination"]),
    (["ssri", "nsaid"], ["gastroprotection"]),
    (["ssri"], ["nothing"]),
    ([], ["nothing"]),
])
def test_membership_any_all_and_number_of(meds, given, codes):
    result = carepath.run(meds, {"medicines": given})
    assert [r.code for r in result.recommendations] == codes


def test_counting_a_whole_set_in_a_caution(meds):
    result = carepath.run(meds, {"medicines": ["warfarin", "ssri"]})
    assert result.recommendations[0].cautions == ()
    crowded = MEDICINES.replace("when number of medicines >= 4", "when number of medicines >= 2")
    result = carepath.run(carepath.loads(crowded, "m.dsl"), {"medicines": ["warfarin", "ssri"]})
    assert [text for text, *_ in result.recommendations[0].cautions] == ["Review for polypharmacy"]


def test_a_missing_set_is_asked_for(meds):
    assert carepath.run(meds, {}).needs == ("medicines",)


@pytest.mark.parametrize("value, message", [
    (["warfarn"], '"warfarn" is not one of warfarin, aspirin, clopidogrel, nsaid, ssri (did you mean `warfarin`?)'),
    ("aspirin", "expected a list of values from warfarin, aspirin, clopidogrel, nsaid, ssri"),
    (["aspirin", "aspirin"], "a value is listed twice"),
    ([1], "1 is not one of"),
])
def test_a_bad_set_in_a_case_is_a_located_error(tmp_path, value, message):
    (tmp_path / "meds.dsl").write_text(MEDICINES)
    (tmp_path / "case.json").write_text(json.dumps({"medicines": value}))
    result = CliRunner().invoke(main, ["run", str(tmp_path / "meds.dsl"), str(tmp_path / "case.json")])
    assert result.exit_code == 2 and "case.json:1:2: error: fact `medicines`: " in result.output
    assert message in result.output


def test_sets_print_back_and_results_list_them_sorted(meds, tmp_path):
    doc = parse_text(MEDICINES, "meds.dsl")
    text = print_document(doc)
    assert "fact medicines: optional set of warfarin | aspirin | clopidogrel | nsaid | ssri" in text
    assert "number of medicines in {aspirin, clopidogrel} >= 2" in text
    assert parse_text(text, "again.dsl") == doc
    (tmp_path / "meds.dsl").write_text(MEDICINES)
    (tmp_path / "case.yaml").write_text("medicines: [warfarin, aspirin]\n")
    out = CliRunner().invoke(main, ["run", str(tmp_path / "meds.dsl"), str(tmp_path / "case.yaml"), "--json"])
    assert json.loads(out.output)["path"][0]["facts"]["medicines"] == ["aspirin", "warfarin"]


def test_the_checker_finds_a_combination_no_set_can_make(meds):
    text = MEDICINES.replace("when medicines has all of {ssri, nsaid}", "when medicines has ssri and number of medicines in {ssri, nsaid} == 0")
    found = [f for f in carepath.check(carepath.loads(text, "m.dsl")) if f.kind == "contradictory"]
    assert found and found[0].span.line == 8
    witness = [f.witness for f in carepath.check(meds) if f.witness]
    assert all(isinstance(w.get("medicines", frozenset()), frozenset) for w in witness)
