"""The flagship scenario file's own quality: size, sources, verbatim quotes, the public examples.

Running the scenarios themselves is the pytest plugin's job (pathway.scenarios.yaml is in
testpaths), so this module checks only what the runner does not.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

import carepath
from carepath.scenarios import load_scenarios

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("CAREPATH_SEEDS") or ROOT.parent / "shared" / "seeds")
FILE = load_scenarios(ROOT / "pathway.scenarios.yaml")
SCENARIOS = FILE.scenarios
PUBLIC_EXAMPLES = {"public 1 - one PT session, no relief": "01_one_session.json",
                   "public 2 - eight weeks of PT after a fall": "02_eight_weeks_after_fall.json"}


def test_scenario_file_is_complete() -> None:
    """At least 30 uniquely named scenarios, each with a source, a quote and an expected status."""
    names = [s.name for s in SCENARIOS]
    assert len(names) >= 30 and len(set(names)) == len(names)
    for scenario in SCENARIOS:
        assert scenario.source and scenario.quote and scenario.expect.status, scenario.name


def test_scenario_sources_are_declared_in_the_pathway() -> None:
    """Each scenario cites a source the pathway declares (a seed file name or a guideline title)."""
    declared = {source.reference for source in FILE.pathway.sources.values()}
    assert {s.source for s in SCENARIOS} <= declared


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the seed documents are not beside this checkout ({SEEDS}): these "
                    "tests check each scenario's quote against its seed; set CAREPATH_SEEDS=DIR to run them (README)")
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_quote_is_verbatim_from_its_seed(scenario) -> None:
    """A scenario's quote is a verbatim sentence of the seed it names."""
    assert scenario.quote in (SEEDS / scenario.source).read_text(encoding="utf-8"), scenario.name


@pytest.mark.parametrize("name", sorted(PUBLIC_EXAMPLES))
def test_public_examples_match_their_scenarios(name: str) -> None:
    """The example case files are exactly the public scenarios' cases."""
    example = json.loads((ROOT / "examples" / PUBLIC_EXAMPLES[name]).read_text(encoding="utf-8"))
    scenario = next(s for s in SCENARIOS if s.name == name)
    assert example == dict(scenario.facts)


def test_cauda_equina_example_emits_the_emergency_referral_alone() -> None:
    """examples/03_cauda_equina.yaml: same-day emergency assessment and nothing routine."""
    facts = yaml.safe_load((ROOT / "examples" / "03_cauda_equina.yaml").read_text(encoding="utf-8"))
    assert carepath.run(FILE.pathway, facts).codes == ["emergency_referral"]
