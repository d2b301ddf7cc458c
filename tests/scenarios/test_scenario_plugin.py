"""The pytest plugin: `*.scenarios.yaml` files collected as one test item per scenario."""
from __future__ import annotations

from pathlib import Path

pytest_plugins = ["pytester"]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios"


def guideline_repo(pytester, *scenario_files: str) -> None:
    """A guideline repository: the triage pathway and the named fixture scenario files."""
    pytester.makefile(".dsl", triage=(FIXTURES / "triage.dsl").read_text())
    for name in scenario_files:
        (pytester.path / name).write_text((FIXTURES / name).read_text())


def test_each_scenario_is_a_test_item(pytester):
    guideline_repo(pytester, "triage.scenarios.yaml")
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*triage.scenarios.yaml::fever without rash gets paracetamol PASSED*"])


def test_a_failing_scenario_reports_the_diff_not_a_traceback(pytester):
    guideline_repo(pytester, "failing.scenarios.yaml")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines([
        "*FAILED: fever with a rash (broken expectation) (*failing.scenarios.yaml:10)",
        "*missing: antipyretic (expected, not emitted: step febrile was reached, but `not rash` is false)",
        "*forbidden: review (emitted by step febrile, expected absent)",
        "*path taken, with the facts that decided each node:",
        "*the case breaks `require days_of_fever <= days_ill`*",
    ])
    assert "Traceback" not in result.stdout.str()
    assert "ScenarioFailed" not in result.stdout.str()


def test_a_broken_scenario_file_is_a_located_collection_error(pytester):
    guideline_repo(pytester, "broken.scenarios.yaml")
    result = pytester.runpytest()
    assert result.ret == 2
    result.stdout.fnmatch_lines(["*broken.scenarios.yaml:4:3: error: defaults: unknown fact `temprature`"])
    assert "Traceback" not in result.stdout.str()


def test_other_yaml_files_are_left_alone(pytester):
    pytester.makefile(".yaml", config="scenarios: not ours\n")
    result = pytester.runpytest()
    assert result.ret == 5  # no tests collected
