"""`carepath diff` on real edits of pathway.dsl: each verdict, and every witness replayed through both versions."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import carepath
from carepath.cli import main
from carepath.comparison import BEHAVIOUR, NEW_ONLY, OLD_ONLY, report
from replay import outcome

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = (ROOT / "pathway.dsl").read_text(encoding="utf-8")
OLD = carepath.loads(FLAGSHIP, "pathway.dsl")

THRESHOLD = ("derive fragile_bone: boolean = osteoporosis_risk or age >= 65",
             "derive fragile_bone: boolean = osteoporosis_risk or age >= 70")
DISJOINT_ORDER = ("  when weeks_since_onset >= 12 and improvement is significant     -> work\n"
                  "  when weeks_since_onset >= 12 and improvement in {none, partial} -> not_improved_by_12\n",
                  "  when weeks_since_onset >= 12 and improvement in {none, partial} -> not_improved_by_12\n"
                  "  when weeks_since_onset >= 12 and improvement is significant     -> work\n")
OVERLAPPING_ORDER = ("  when nsaid_contraindicated      -> nsaid_alternative\n  when nsaid_tried                -> medicines\n",
                     "  when nsaid_tried                -> medicines\n  when nsaid_contraindicated      -> nsaid_alternative\n")
REWORDED = ('recommend fit_note "Fit note (statement of fitness for work)',
            'recommend fit_note "A fit note (statement of fitness for work)')
CAUTION = ('    when work_affected\n  stop\n',
           '    when work_affected\n    caution "Review the fit note at each visit"  cite s001\n  stop\n')
NEW_STEP = ('    when work_affected\n  stop\n',
            '    when work_affected\n  -> safety_net\n\nstep safety_net "Safety net"\n'
            '  recommend safety_net_advice "Return if new red flags appear"  cite s001\n  stop\n')
INVARIANT = ("never emergency_referral with nsaid\n", "")
URGENCY = ('step suspected_cancer "Suspected malignancy" urgent', 'step suspected_cancer "Suspected malignancy" emergency')
REQUIRE = ("require weeks_of_pt <= weeks_since_onset\n", "require weeks_of_pt <= weeks_since_onset\nrequire age >= 18\n")


def edited(*edits: tuple[str, str]):
    """pathway.dsl with each (old text, new text) replaced once; each must be found."""
    text = FLAGSHIP
    for before, after in edits:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    return carepath.loads(text, "edited.dsl")


def replayed(comparison) -> None:
    """Every witness, run through both versions, shows exactly the difference the report states."""
    for region in comparison.regions:
        before, after = outcome(comparison.old, region.witness_old), outcome(comparison.new, region.witness_new)
        assert before != after
        if region.kind == OLD_ONLY:
            assert after is None and before == (region.old.status, region.old.codes)
        elif region.kind == NEW_ONLY:
            assert before is None and after == (region.new.status, region.new.codes)
        else:
            assert before == (region.old.status, region.old.codes) and after == (region.new.status, region.new.codes)
            gained = {c for c, _ in after[1]} - {c for c, _ in before[1]}
            assert sorted(gained) == region.gained


def test_the_same_file_is_proven_the_same():
    comparison = carepath.diff(OLD, OLD)
    assert comparison.same and not comparison.changes
    assert "Same behaviour" in report.text(comparison)


def test_a_changed_threshold_is_found_and_each_witness_replays():
    comparison = carepath.diff(OLD, edited(THRESHOLD))
    assert not comparison.same and all(r.kind == BEHAVIOUR for r in comparison.regions)
    assert comparison.changes == ("derived value `fragile_bone` redefined",)
    assert any("avoid_spinal_manipulation" in r.lost for r in comparison.regions)
    assert all(r.witness["age"] in range(65, 70) for r in comparison.regions)  # only the moved band differs
    replayed(comparison)


def test_reordering_disjoint_first_match_branches_changes_nothing():
    assert carepath.diff(OLD, edited(DISJOINT_ORDER)).same


def test_reordering_overlapping_first_match_branches_is_found():
    comparison = carepath.diff(OLD, edited(OVERLAPPING_ORDER))
    assert not comparison.same
    assert all(r.witness["nsaid_tried"] and r.witness["nsaid_contraindicated"] for r in comparison.regions)
    replayed(comparison)


def test_a_reworded_text_and_an_added_caution_change_no_result_and_it_says_so():
    comparison = carepath.diff(OLD, edited(REWORDED, CAUTION))
    assert comparison.same
    assert comparison.changes == ("text of `fit_note` reworded", "cautions of `fit_note` changed")
    shown = report.text(comparison)
    assert "Same behaviour" in shown and "no behavioural difference" in shown and "text of `fit_note` reworded" in shown


def test_a_new_step_gains_its_code_wherever_runs_reach_it():
    comparison = carepath.diff(OLD, edited(NEW_STEP))
    assert comparison.regions and all(r.gained == ["safety_net_advice"] and not r.lost for r in comparison.regions)
    assert "code `safety_net_advice` added" in comparison.changes and "node `safety_net` added" in comparison.changes
    replayed(comparison)


def test_a_removed_invariant_changes_no_result():
    comparison = carepath.diff(OLD, edited(INVARIANT))
    assert comparison.same and comparison.changes == ("invariant `never emergency_referral with nsaid` removed",)


def test_a_changed_urgency_is_found():
    comparison = carepath.diff(OLD, edited(URGENCY))
    assert comparison.regions and all(not r.gained and not r.lost for r in comparison.regions)
    changed = {item for r in comparison.regions for item in r.urgency_changed}
    assert ("urgent_mri", "urgent", "emergency") in changed
    replayed(comparison)


def test_a_stricter_require_makes_cases_valid_in_the_old_version_only():
    comparison = carepath.diff(OLD, edited(REQUIRE))
    kinds = {r.kind for r in comparison.regions}
    assert kinds == {OLD_ONLY}
    assert all(r.witness["age"] < 18 for r in comparison.regions)
    assert comparison.regions[0].conditions[0].dsl == "require age >= 18"
    replayed(comparison)


def test_a_fact_only_in_the_new_version_is_free():
    new = edited(("fact work_affected: boolean", "fact shift_work: optional boolean \"works shifts\"\nfact work_affected: boolean"),
                 ("    when work_affected\n  stop\n", "    when work_affected\n"
                  "  recommend shift_advice \"Plan activity around shifts\"  cite s001\n    when shift_work\n  stop\n"))
    comparison = carepath.diff(OLD, new)
    assert "fact `shift_work` added (optional boolean); the old version ignores it" in comparison.changes
    for region in comparison.regions:  # given: the advice is gained; missing: the new version asks for it
        assert (region.gained == ["shift_advice"] if region.witness.get("shift_work") is True else
                "shift_work" not in region.witness and region.new.status == "needs_input")
    assert {r.new.status for r in comparison.regions} == {"complete", "needs_input"}
    assert all("shift_work" not in r.witness_old for r in comparison.regions)
    replayed(comparison)
    back = carepath.diff(new, OLD)  # removed: the new version ignores it
    assert back.regions and all(r.lost == ["shift_advice"] or r.old.status == "needs_input" for r in back.regions)
    replayed(back)


def test_the_limit_bounds_the_list_and_says_so():
    comparison = carepath.diff(OLD, edited(THRESHOLD), limit=1)
    assert len(comparison.regions) == 1 and comparison.truncated
    assert "(more not listed)" in report.verdict(comparison)


def invoke(*args: str):
    """The CLI in-process."""
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def versions(tmp_path):
    """The flagship and its edited threshold as files."""
    old, new = tmp_path / "old.dsl", tmp_path / "new.dsl"
    old.write_text(FLAGSHIP, encoding="utf-8")
    new.write_text(FLAGSHIP.replace(*THRESHOLD), encoding="utf-8")
    return str(old), str(new)


def test_cli_exit_codes_and_formats(versions, tmp_path):
    old, new = versions
    assert invoke("diff", old, old).exit_code == 0
    result = invoke("diff", old, new, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert not data["same"] and data["differences"][0]["kind"] == BEHAVIOUR
    markdown = invoke("diff", old, new, "--format", "markdown").output
    assert markdown.startswith("### carepath diff") and "| # | kind | change |" in markdown and "<details>" in markdown


def test_cli_witness_files_replay(versions, tmp_path):
    old, new = versions
    folder = tmp_path / "w"
    assert invoke("diff", old, new, "--witnesses", str(folder)).exit_code == 1
    files = sorted(folder.iterdir())
    assert files and len(files) % 2 == 0
    for before, after in zip(files[::2], files[1::2]):
        assert before.name.endswith("-new.json") and after.name.endswith("-old.json")
        assert outcome(carepath.load(old), json.loads(after.read_text())) != \
            outcome(carepath.load(new), json.loads(before.read_text()))


def test_cli_bad_input_is_located(versions, tmp_path):
    old, _ = versions
    broken = tmp_path / "broken.dsl"
    broken.write_text(FLAGSHIP.replace("start red_flags", "start red_flags\nstep"), encoding="utf-8")
    result = invoke("diff", old, str(broken))
    assert result.exit_code == 2 and f"{broken}:" in result.output
    small = 'pathway small "Small"\nsource g "g.txt"\nfact b: boolean\nstart x\nstep x "X"\n  recommend r "R" cite g\n  stop\n'
    first, clash = tmp_path / "first.dsl", tmp_path / "clash.dsl"
    first.write_text(small, encoding="utf-8")
    clash.write_text(small.replace("fact b: boolean", "fact b: number 0..1"), encoding="utf-8")
    result = invoke("diff", str(first), str(clash))
    assert result.exit_code == 2 and f"{clash}:3:1: error: fact `b` is boolean" in result.output, result.output


def test_an_undecided_question_is_reported_and_never_called_the_same():
    comparison = carepath.diff(OLD, OLD, timeout=0.001)  # too short for z3 on the flagship
    assert comparison.undecided and not comparison.same
    assert all("could not decide" in question for question in comparison.undecided)
    assert "Undecided (raise --timeout)" in report.text(comparison)
    assert report.as_json(comparison)["undecided"] == list(comparison.undecided)


def test_an_integer_fact_that_becomes_a_number_is_one_value():
    new = edited(("fact pt_sessions: integer 0..200", "fact pt_sessions: number 0..200"))
    comparison = carepath.diff(OLD, new)
    assert {r.kind for r in comparison.regions} == {NEW_ONLY}
    assert all(r.witness["pt_sessions"] != int(r.witness["pt_sessions"]) for r in comparison.regions)
    assert "fact `pt_sessions` changed from required integer 0..200 to required number 0..200" in comparison.changes
    replayed(comparison)


SETS = '''pathway p "P"
source s "S"
fact meds: set of {values}
start a
step a "A"
  recommend warn "Warn" cite s
    when meds has warfarin
  stop
'''


@pytest.mark.parametrize("new_values", ["aspirin | warfarin", "warfarin | aspirin | heparin", "aspirin | heparin | warfarin"])
def test_a_set_fact_whose_values_are_reordered_or_added_is_compared_by_value_name(new_values):
    """The same guard over the same value names: reordering the values or adding one changes no result
    for any case both versions accept (bits are matched by name, not position); a case holding the added
    value is valid in the new version only."""
    old = carepath.loads(SETS.format(values="warfarin | aspirin"), "old.dsl")
    new = carepath.loads(SETS.format(values=new_values), "new.dsl")
    comparison = carepath.diff(old, new)
    assert {r.kind for r in comparison.regions} <= {NEW_ONLY}
    assert all("heparin" in r.witness["meds"] for r in comparison.regions)
    assert bool(comparison.regions) == ("heparin" in new_values)
    replayed(comparison)


def test_a_set_value_removed_makes_its_cases_valid_in_the_old_version_only():
    old = carepath.loads(SETS.format(values="warfarin | aspirin | heparin"), "old.dsl")
    new = carepath.loads(SETS.format(values="heparin | warfarin"), "new.dsl")
    comparison = carepath.diff(old, new)
    assert comparison.regions and {r.kind for r in comparison.regions} == {OLD_ONLY}
    assert all("aspirin" in r.witness["meds"] for r in comparison.regions)
    replayed(comparison)
