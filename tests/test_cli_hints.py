"""Hints for the common first-hour mistakes: swapped arguments, a scenario file for another pathway,
a case that falls through shown in DSL terms."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from carepath.cli import main

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = str(ROOT / "pathway.dsl")
EXAMPLE = str(ROOT / "examples" / "01_one_session.json")
SCENARIO_FIXTURES = ROOT / "tests" / "fixtures" / "scenarios"


def invoke(*args: str):
    """Run the CLI in-process; click's result, stderr kept apart."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("command", [("run", EXAMPLE, FLAGSHIP), ("render", EXAMPLE), ("check", EXAMPLE),
                                     ("test", str(ROOT / "pathway.scenarios.yaml"), FLAGSHIP)])
def test_a_case_or_scenario_file_given_as_the_pathway_gets_a_hint(command) -> None:
    result = invoke(*command)
    assert result.exit_code == 2 and result.stdout == ""
    assert "hint: " in result.stderr and "the pathway (.dsl) comes first" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_scenario_file_for_another_pathway_gives_one_error() -> None:
    """Not one error per fact, code and node of the other pathway: one, naming both and the fix."""
    result = invoke("test", str(SCENARIO_FIXTURES / "triage.dsl"), str(ROOT / "pathway.scenarios.yaml"))
    assert result.exit_code == 2
    assert result.stderr.count("error:") == 1
    assert "this file tests" in result.stderr and "hint: run it against its own pathway" in result.stderr


def test_a_case_that_falls_through_shows_its_facts_in_dsl_terms(tmp_path: Path) -> None:
    pathway = tmp_path / "gap.dsl"
    pathway.write_text('pathway g "Gap" start d\nfact n: integer 0..10\nfact fever: boolean\n'
                       'decide d "D" when n < 3 and fever -> s when n > 5 -> s\nstep s "S" stop\n')
    case = tmp_path / "case.json"
    case.write_text('{"n": 4, "fever": true}')
    result = invoke("run", str(pathway), str(case))
    assert result.exit_code == 1
    assert "holds for this case, where fever and n == 4" in result.stderr
    assert "{" not in result.stderr.splitlines()[0]
