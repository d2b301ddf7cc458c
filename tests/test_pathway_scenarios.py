"""The flagship pathway's scenarios (pathway.scenarios.yaml), each run as its own test."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import carepath

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_FILE = ROOT / "pathway.scenarios.yaml"
SEEDS = ROOT.parent / "shared" / "seeds"
SPEC = yaml.safe_load(SCENARIO_FILE.read_text(encoding="utf-8"))
SCENARIOS = SPEC["scenarios"]
PUBLIC_EXAMPLES = {"public 1 - one PT session, no relief": "01_one_session.json",
                   "public 2 - eight weeks of PT after a fall": "02_eight_weeks_after_fall.json"}


@pytest.fixture(scope="module")
def pathway() -> carepath.Pathway:
    """The pathway the scenario file names, loaded once."""
    return carepath.load(SCENARIO_FILE.parent / SPEC["pathway"])


def case_of(scenario: dict) -> dict:
    """The scenario's case over the defaults; a null removes a default (the fact is missing)."""
    merged = {**SPEC["defaults"], **scenario["case"]}
    return {name: value for name, value in merged.items() if value is not None}


def is_subsequence(wanted: list[str], taken: list[str]) -> bool:
    """Whether `wanted` appears in `taken` in order, not necessarily adjacent."""
    remaining = iter(taken)
    return all(node in remaining for node in wanted)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(pathway, scenario):
    """The run gives the expected status, codes present and absent, facts needed and path."""
    expect = scenario["expect"]
    result = carepath.run(pathway, case_of(scenario))
    codes, taken = set(result.codes), [visit.node for visit in result.path]
    assert result.status == expect["status"], (result.status, result.needs, taken)
    assert set(expect.get("present", [])) <= codes, f"missing {set(expect['present']) - codes}; path {taken}"
    assert not set(expect.get("absent", [])) & codes, f"unwanted {set(expect['absent']) & codes}; path {taken}"
    assert set(result.needs) == set(expect.get("needs", [])), result.needs
    assert is_subsequence(expect.get("path", []), taken), f"path {taken} lacks {expect['path']} in order"


def test_scenario_file_is_complete():
    """At least 30 uniquely named scenarios, each with a source, a quote and expectations."""
    names = [s["name"] for s in SCENARIOS]
    assert len(names) >= 30 and len(set(names)) == len(names)
    for scenario in SCENARIOS:
        assert scenario["source"] and scenario["quote"] and scenario["expect"]["status"], scenario["name"]


def test_scenario_sources_are_declared_in_the_pathway(pathway):
    """Each scenario cites a source the pathway declares (a seed file name or a guideline title)."""
    declared = {source.reference for source in pathway.sources.values()}
    assert {s["source"] for s in SCENARIOS} <= declared


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not beside this checkout")
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_quote_is_verbatim_from_its_seed(scenario):
    """A scenario's quote is a verbatim sentence of the seed it names."""
    seed = SEEDS / scenario["source"]
    assert scenario["quote"] in seed.read_text(encoding="utf-8"), scenario["name"]


@pytest.mark.parametrize("name", sorted(PUBLIC_EXAMPLES))
def test_public_examples_match_their_scenarios(name):
    """The example case files are exactly the public scenarios' cases."""
    example = json.loads((ROOT / "examples" / PUBLIC_EXAMPLES[name]).read_text(encoding="utf-8"))
    scenario = next(s for s in SCENARIOS if s["name"] == name)
    assert example == case_of(scenario)


def test_cauda_equina_example_emits_the_emergency_referral_alone(pathway):
    """examples/03_cauda_equina.yaml: same-day emergency assessment and nothing routine."""
    facts = yaml.safe_load((ROOT / "examples" / "03_cauda_equina.yaml").read_text(encoding="utf-8"))
    assert carepath.run(pathway, facts).codes == ["emergency_referral"]
