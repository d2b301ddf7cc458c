"""`run --needs-all`: every missing fact that could still change the advice, so a user can ask for all at once."""
from __future__ import annotations

import json

from click.testing import CliRunner

import carepath
from carepath.cli import main

CHAIN = '''pathway chain "Chain"
source s "S"
fact swelling: optional boolean
fact surgery: optional boolean
fact weeks_since_surgery: optional integer 0..520
fact calf_difference: optional number 0..20 unit "cm"
start swollen
decide swollen "Swollen?"
  when swelling -> second
  when not swelling -> done
decide second "Recent surgery or a large calf difference?"
  when surgery and weeks_since_surgery < 12 or calf_difference >= 3 -> likely
  otherwise -> done
step likely "Likely" recommend scan "Scan" cite s stop
step done "Done" recommend reassure "Reassure" cite s stop
'''


def test_facts_behind_later_decisions_are_listed_too():
    """The run stops at `swollen` for `swelling`; with swelling, `second` could still need the others."""
    pathway = carepath.loads(CHAIN, "chain.dsl")
    assert carepath.run(pathway, {}).needs == ("swelling",)
    every = carepath.needs_all(pathway, {})
    assert every.facts == ("calf_difference", "surgery", "swelling", "weeks_since_surgery") and every.exhausted
    assert set(carepath.run(pathway, {}).needs) <= set(every.facts)


def test_no_surgery_date_when_there_was_no_surgery():
    pathway = carepath.loads(CHAIN, "chain.dsl")
    every = carepath.needs_all(pathway, {"surgery": False})
    assert every.facts == ("calf_difference", "swelling")
    assert carepath.needs_all(pathway, {"swelling": False}).facts == ()


def test_cli_prints_the_list_in_text_and_json(tmp_path):
    path = tmp_path / "chain.dsl"
    path.write_text(CHAIN)
    case = tmp_path / "case.json"
    case.write_text('{"surgery": true, "weeks_since_surgery": 30}')
    text = CliRunner().invoke(main, ["run", str(path), str(case), "--needs-all"])
    assert text.exit_code == 0 and "every fact that could still change the advice: calf_difference (cm), swelling" \
        in text.output
    data = json.loads(CliRunner().invoke(main, ["run", str(path), str(case), "--needs-all", "--json"]).output)
    assert data["needs"] == ["swelling"]
    every = data["needs_all"]
    assert (every["facts"], every["complete"], every["undecided"]) == (["calf_difference", "swelling"], True, [])
    assert sorted(every["witnesses"]) == ["calf_difference", "swelling"]  # the values: the solver's choice
    assert every["units"] == {"calf_difference": "cm"}


def test_needs_all_with_a_batch_is_a_usage_error(tmp_path):
    path = tmp_path / "chain.dsl"
    path.write_text(CHAIN)
    result = CliRunner().invoke(main, ["run", str(path), "--batch", "-", "--needs-all"], input="{}\n")
    assert result.exit_code == 2 and "--needs-all" in result.output


def test_a_witness_value_changes_the_advice():
    """Each listed fact comes with a value that, for some values of the others, changes what the run recommends."""
    pathway = carepath.loads(CHAIN, "chain.dsl")
    every = carepath.needs_all(pathway, {"swelling": True, "surgery": False})
    assert every.facts == ("calf_difference",)
    value = dict(zip(every.facts, every.witnesses))["calf_difference"]
    assert carepath.run(pathway, {"swelling": True, "surgery": False, "calf_difference": value}).codes == ["scan"]


MASKED = CHAIN.replace("when surgery and weeks_since_surgery < 12 or calf_difference >= 3 -> likely",
                       "when calf_difference >= 3 or (calf_difference >= 5 and surgery) -> likely")


def test_a_fact_that_cannot_change_the_advice_is_not_listed():
    """`surgery` only matters where `calf_difference >= 3` already decided the branch: never asked for."""
    pathway = carepath.loads(MASKED, "masked.dsl")
    assert carepath.needs_all(pathway, {"swelling": True}).facts == ("calf_difference",)
    assert carepath.run(pathway, {"swelling": True}).needs == ("calf_difference",)


def test_an_undecided_question_is_a_located_warning_not_a_short_list(tmp_path, monkeypatch):
    """A question the solver cannot decide in time is reported at the fact's declaration, and the list is
    marked incomplete in JSON."""
    from carepath.solver import Encoding, Undecided

    def gives_up(self, *literals, why="a question", partial=False):
        raise Undecided(why, "timeout")

    monkeypatch.setattr(Encoding, "check", gives_up)
    path = tmp_path / "chain.dsl"
    path.write_text(CHAIN)
    case = tmp_path / "case.json"
    case.write_text('{"swelling": true}')
    text = CliRunner().invoke(main, ["run", str(path), str(case), "--needs-all", "--timeout", "2"])
    assert text.exit_code == 0, text.output
    assert "every fact that could still change the advice: none (incomplete: the solver could not decide about " \
           "the facts below)" in text.output
    assert f"{path}:6:1: warning: the solver could not decide whether `calf_difference` could still change the " \
           "advice within the 2 s limit; it is not listed" in text.output
    data = json.loads(CliRunner().invoke(main, ["run", str(path), str(case), "--needs-all", "--json"]).output)
    assert data["needs_all"]["complete"] is False and data["needs_all"]["facts"] == []
    assert [u["fact"] for u in data["needs_all"]["undecided"]] == ["calf_difference", "surgery", "weeks_since_surgery"]
    assert data["needs_all"]["undecided"][0]["location"] == f"{path}:6:1"


def test_timeout_without_needs_all_is_a_usage_error(tmp_path):
    path = tmp_path / "chain.dsl"
    path.write_text(CHAIN)
    case = tmp_path / "case.json"
    case.write_text("{}")
    result = CliRunner().invoke(main, ["run", str(path), str(case), "--timeout", "1"])
    assert result.exit_code == 2 and "--timeout" in result.output


SCORE = '''pathway weighted "Weighted"
source s "S"
fact minor: optional boolean
fact major: optional boolean
fact early: optional boolean
fact late: optional boolean
score points "Points" cite s
  points 1 when minor
  points 5 when major
start d
decide d "Enough points?"
  when points >= 5 -> treat
  otherwise -> order
decide order "Which first?" first match
  when early -> treat
  when late -> watch
  otherwise -> watch
step treat "Treat" recommend treat "Treat" cite s stop
step watch "Watch" recommend watch "Watch" cite s stop
'''


def test_run_asks_only_for_what_can_change_the_branch(tmp_path):
    """Through the CLI and the API: a criterion whose point cannot tip `>= 5` is not asked for; under
    `first match`, a later branch that could still be taken is (it decides if the first turns out false)."""
    path = tmp_path / "weighted.dsl"
    path.write_text(SCORE)
    case = tmp_path / "case.json"
    case.write_text("{}")
    data = json.loads(CliRunner().invoke(main, ["run", str(path), str(case), "--json"]).output)
    assert data["status"] == "needs_input" and data["needs"] == ["major"]
    pathway = carepath.loads(SCORE, "weighted.dsl")
    assert carepath.run(pathway, {"major": False}).needs == ("early", "late")
    assert carepath.run(pathway, {"major": False, "early": False}).needs == ("late",)


def test_dates_and_sets_are_asked_about_too():
    """A date given as ISO text in the case, a date and a set as witnesses (the solver's day numbers and bits)."""
    import datetime

    from test_dates import SURGERY
    from test_sets import MEDICINES

    dated = carepath.loads(SURGERY, "surgery.dsl")
    case = {"today": "2026-01-01", "surgery": True}
    every = carepath.needs_all(dated, case)
    assert every.facts == ("surgery_date",) and isinstance(every.witnesses[0], datetime.date)
    assert carepath.run(dated, {**case, "surgery_date": every.witnesses[0].isoformat()}).status == "complete"
    listed = carepath.loads(MEDICINES, "medicines.dsl")
    assert carepath.needs_all(listed, {}).facts == ("medicines",)
    assert carepath.needs_all(listed, {"medicines": ["aspirin"]}).facts == ()
