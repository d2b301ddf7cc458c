"""`carepath test` and carepath.test_scenarios: outcomes, the clinician's diff, JSON, JUnit, coverage."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

import carepath
from carepath.scenarios import branch_points


def test_passing_scenarios_exit_0_and_list_each_one(in_fixtures, cli):
    result = cli("test", "triage.dsl")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["passed: fever without rash gets paracetamol",
                                          "passed: no fever gets reassurance",
                                          "passed: temperature not measured", "3 passed, 0 failed"]


def test_a_broken_expectation_shows_a_diff_a_clinician_can_read(in_fixtures, cli, goldens, check_golden):
    result = cli("test", "triage.dsl", "failing.scenarios.yaml")
    assert result.exit_code == 1
    check_golden(goldens / "failing.txt", result.stdout)
    report = result.stdout
    for needed in ["FAILED: fever with a rash (broken expectation) (failing.scenarios.yaml:10)",
                   'quote: "Paracetamol for comfort"',
                   "status: expected needs_input, got complete",
                   "missing: antipyretic (expected, not emitted: step febrile was reached, but `not rash` is false)",
                   "missing: reassure (expected, not emitted: step afebrile is not on the path)",
                   "forbidden: review (emitted by step febrile, expected absent)",
                   "needs: expected temperature, got (none)",
                   "urgency: expected review to be urgent, got routine",
                   "`afebrile` is not on the path",
                   "emitted, in order: review",
                   "fever: temperature >= 38", "temperature = 39.5", "rash = true",
                   "the case breaks `require days_of_fever <= days_ill`",
                   "passed: no fever still passes", "1 passed, 2 failed"]:
        assert needed in report, needed


def test_json_has_exactly_the_documented_shape(in_fixtures, cli):
    result = cli("test", "triage.dsl", "failing.scenarios.yaml", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert list(data) == ["passed", "failed", "scenarios", "coverage"]
    assert (data["passed"], data["failed"]) == (1, 2)
    assert [list(s) for s in data["scenarios"]] == [["name", "status", "failures"]] * 3
    assert [s["status"] for s in data["scenarios"]] == ["failed", "failed", "passed"]
    assert [f.split(":")[0] for f in data["scenarios"][0]["failures"]] == [
        "status", "missing", "missing", "forbidden", "urgency", "needs", "path"]
    assert data["scenarios"][2]["failures"] == []
    assert list(data["coverage"]) == ["nodes", "branches", "uncovered"]
    assert all(list(u) == ["node", "branch", "location"] for u in data["coverage"]["uncovered"])


def test_coverage_counts_three_of_four_branches(in_fixtures, cli):
    # triage.dsl has 4 branches: `fever` (2) and antipyretic emitted / not emitted (2); the passing
    # scenarios never give a febrile patient a rash, so "antipyretic not emitted" is never taken.
    pathway = carepath.load("triage.dsl")
    assert len(branch_points(pathway)) == 4
    report = carepath.test_scenarios(pathway, ["triage.scenarios.yaml"])
    assert report.coverage.to_json() == {
        "nodes": 100.0, "branches": 75.0,
        "uncovered": [{"node": "febrile", "branch": "antipyretic not emitted", "location": "triage.dsl:22"}]}
    text = cli("test", "triage.dsl", "--coverage").stdout
    assert "branches 75.0% (3/4)" in text
    assert "not covered: triage.dsl:22: febrile: antipyretic not emitted" in text


def test_uncovered_locations_point_at_the_branch_lines(in_fixtures):
    lines = (in_fixtures / "triage.dsl").read_text().splitlines()
    for point in branch_points(carepath.load("triage.dsl")):
        line = lines[int(point.location.rsplit(":", 1)[1]) - 1]
        assert point.label.split()[0] in line or point.label == "otherwise" and "otherwise" in line


@pytest.mark.parametrize("under, code", [("75", 0), ("75.1", 1), ("100", 1)])
def test_fail_under_compares_branch_coverage(in_fixtures, cli, under, code):
    result = cli("test", "triage.dsl", "--fail-under", under)
    assert result.exit_code == code
    assert "branches 75.0%" in result.stdout
    assert ("is under --fail-under" in result.stderr) == bool(code)


def test_junit_xml_has_one_testcase_per_scenario_with_the_diff(in_fixtures, cli, tmp_path):
    target = tmp_path / "report.xml"
    result = cli("test", "triage.dsl", "failing.scenarios.yaml", "--junit", target)
    assert result.exit_code == 1
    root = ET.parse(target).getroot()
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("3", "2")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["fever with a rash (broken expectation)",
                                              "fever for longer than the illness", "no fever still passes"]
    failure = cases[0].find("failure")
    assert "forbidden: review" in failure.get("message")
    assert "path taken, with the facts that decided each node:" in failure.text
    assert cases[2].find("failure") is None
    assert cases[0].get("file") == "failing.scenarios.yaml" and cases[0].get("line") == "10"


def test_reports_are_byte_identical_run_to_run(in_fixtures, cli, tmp_path):
    outputs = []
    for name in ("a.xml", "b.xml"):
        result = cli("test", "triage.dsl", "failing.scenarios.yaml", "--json", "--junit", tmp_path / name)
        outputs.append((result.stdout, (tmp_path / name).read_bytes()))
    assert outputs[0] == outputs[1]


def test_without_files_and_without_a_default_file_is_a_usage_error(tmp_path, in_fixtures, cli):
    (tmp_path / "lone.dsl").write_text((in_fixtures / "triage.dsl").read_text())
    result = cli("test", tmp_path / "lone.dsl")
    assert result.exit_code == 2
    assert "lone.scenarios.yaml does not exist" in result.stderr


def test_the_flagship_pathway_scenarios_pass_with_full_coverage(in_fixtures, cli):
    root = in_fixtures.parent.parent.parent
    result = cli("test", root / "pathway.dsl", "--coverage", "--fail-under", "100")
    assert result.exit_code == 0, result.output
    assert "0 failed" in result.stdout


def test_the_public_api_is_exported_and_not_collected_as_a_test():
    assert "test_scenarios" in carepath.__all__
    assert carepath.test_scenarios.__test__ is False


def test_junit_to_stdout_keeps_the_report_off_stdout(in_fixtures, cli):
    """`--junit -`: stdout is the XML alone (parseable), the pass/fail report goes to stderr."""
    import xml.etree.ElementTree as ElementTree

    result = cli("test", "triage.dsl", "failing.scenarios.yaml", "--junit", "-")
    assert result.exit_code == 1
    assert ElementTree.fromstring(result.stdout).tag == "testsuites"
    assert "1 passed, 2 failed" in result.stderr and "1 passed" not in result.stdout


def test_junit_to_stdout_with_json_is_a_usage_error(in_fixtures, cli):
    result = cli("test", "triage.dsl", "--junit", "-", "--json")
    assert result.exit_code == 2 and "both write to stdout" in result.stderr


PARTIAL = '''pathway p "P"
source s "S"
fact a: boolean
fact b: boolean
fact c: boolean
start advise
step advise "Advise"
  recommend ra "A" cite s
    when a
  recommend rb "B" cite s
    when b
  recommend rc "C" cite s
    when c
  stop
'''


def test_a_step_where_a_run_stopped_covers_the_outcomes_it_decided():
    """The step emits its decided advice before stopping for `c`: `ra emitted` and `rb not emitted` are
    covered; `rc`, undecided, is covered by neither outcome."""
    from carepath.scenarios import coverage

    pathway = carepath.loads(PARTIAL, "partial.dsl")
    facts = {"a": True, "b": False}
    result = carepath.run(pathway, facts)
    assert result.status == "needs_input" and result.codes == ["ra"]
    uncovered = [b.label for b in coverage(pathway, [result], [facts]).uncovered]
    assert uncovered == ["ra not emitted", "rb emitted", "rc emitted", "rc not emitted"]
