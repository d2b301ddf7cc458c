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
    assert data["needs_all"] == {"facts": ["calf_difference", "swelling"], "runs": 3, "complete": True,
                                 "units": {"calf_difference": "cm"}}


def test_needs_all_with_a_batch_is_a_usage_error(tmp_path):
    path = tmp_path / "chain.dsl"
    path.write_text(CHAIN)
    result = CliRunner().invoke(main, ["run", str(path), "--batch", "-", "--needs-all"], input="{}\n")
    assert result.exit_code == 2 and "--needs-all" in result.output
