"""Loading scenario files: every mistake reported at file:line:col, values merged with defaults."""
from __future__ import annotations

from pathlib import Path

import pytest

import carepath
from carepath.scenarios import ScenarioError, load_scenarios

TRIAGE = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "triage.dsl"
TRIAGE_HEADER = "pathway: triage.dsl\n"


def write(folder: Path, text: str, name: str = "t.scenarios.yaml") -> Path:
    """A scenario file in `folder` next to a copy of the triage fixture pathway."""
    (folder / "triage.dsl").write_text(TRIAGE.read_text())
    path = folder / name
    path.write_text(text)
    return path


def problems(path: Path) -> list[tuple[int, int, str]]:
    """(line, column, message) of each diagnostic loading `path` raises."""
    with pytest.raises(ScenarioError) as caught:
        load_scenarios(path)
    return [(d.span.line, d.span.column, d.message) if d.span else (0, 0, d.message)
            for d in caught.value.diagnostics]


def test_every_mistake_in_a_broken_file_is_located(in_fixtures, cli, goldens, check_golden):
    result = cli("test", "triage.dsl", "broken.scenarios.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    check_golden(goldens / "broken.txt", result.stderr)
    located = [line.split(": error:")[0] for line in result.stderr.splitlines() if ": error:" in line]
    assert located == ["broken.scenarios.yaml:2:1", "broken.scenarios.yaml:4:3", "broken.scenarios.yaml:5:9",
                       "broken.scenarios.yaml:8:25", "broken.scenarios.yaml:8:39", "broken.scenarios.yaml:10:15",
                       "broken.scenarios.yaml:11:16", "broken.scenarios.yaml:12:16", "broken.scenarios.yaml:13:21",
                       "broken.scenarios.yaml:14:21", "broken.scenarios.yaml:15:5", "broken.scenarios.yaml:16:5",
                       "broken.scenarios.yaml:17:5"]


@pytest.mark.parametrize("text, line, column, words", [
    ("scenarios: [{name: a, case: {temperature: 39, colour: red}}]", 2, 47, "unknown fact `colour`"),
    ("scenarios: [{name: a, expect: {present: [nsaid]}}]", 2, 42, "`nsaid` is not a recommendation code"),
    ("scenarios: [{name: a, expect: {path: [fever, nowhere]}}]", 2, 46, "`nowhere` is not a node"),
    ("scenarios: [{name: a, expect: {needs: [weight]}}]", 2, 40, "`weight` is not a fact"),
    ("scenarios: [{name: a, expect: {present: [review], absent: [review]}}]", 2, 59, "both present and absent"),
    ("scenarios: [{name: a, expect: {status: complete, needs: [rash]}}]", 2, 57, "`status` is complete"),
    ("scenarios: [{name: a, case: [1, 2]}]", 2, 29, "case must be a mapping, not a list"),
    ("scenarios: [{name: 3}]", 2, 20, "must be a non-empty string"),
    ("scenarios: {name: a}", 2, 12, "must be a list of scenarios"),
    ("scenarios: [{name: a, case: {rash: !!python/name:os.system x}}]", 2, 36, "invalid YAML"),
    ("scenarios: [{name: a, case: {rash: true, rash: false}}]", 2, 42, "`rash` is given twice"),
    ("scenarios: [{name: a, case: {startback: 1}}]", 2, 30, "unknown fact `startback`"),
    ("scenarios:\n  - name: a\n   bad indent", 4, 4, "invalid YAML"),
    ("scenarios: [{name: a, expect: {urgency: {reviw: urgent}}}]", 2, 42, "`reviw` is not a recommendation code"),
    ("scenarios: [{name: a, expect: {urgency: {review: soon}}}]", 2, 50, "must be emergency, urgent, routine"),
])
def test_a_single_mistake_is_reported_at_its_line_and_column(tmp_path, text, line, column, words):
    found = problems(write(tmp_path, TRIAGE_HEADER + text + "\n"))
    assert len(found) == 1, found
    assert found[0][:2] == (line, column), found
    assert words in found[0][2]


def test_a_file_without_scenarios_is_an_error(tmp_path):
    assert problems(write(tmp_path, TRIAGE_HEADER)) == [(1, 1, "a scenario file needs a `scenarios:` list")]
    assert "needs a `scenarios:` list" in problems(write(tmp_path, ""))[0][2]


def test_null_removes_a_default_and_case_keys_win(tmp_path):
    path = write(tmp_path, TRIAGE_HEADER + "defaults: {temperature: 37, rash: false, days_ill: 2}\n"
                 "scenarios:\n  - {name: a, case: {temperature: null, rash: true}}\n")
    (scenario,) = load_scenarios(path).scenarios
    assert scenario.facts == {"rash": True, "days_ill": 2}


def test_yaml_anchors_and_merge_keys_share_facts(tmp_path):
    path = write(tmp_path, TRIAGE_HEADER + "scenarios:\n"
                 "  - {name: a, case: &base {temperature: 39, rash: false}}\n"
                 "  - {name: b, case: {<<: *base, rash: true}}\n")
    first, second = load_scenarios(path).scenarios
    assert first.facts == {"temperature": 39, "rash": False}
    assert second.facts == {"temperature": 39, "rash": True}


def test_the_pathway_named_in_the_file_must_be_the_one_tested(tmp_path, in_fixtures):
    path = write(tmp_path, "pathway: other.dsl\nscenarios: []\n")
    (tmp_path / "other.dsl").write_text((in_fixtures / "triage.dsl").read_text())
    with pytest.raises(ScenarioError) as caught:
        carepath.test_scenarios(in_fixtures / "triage.dsl", [path])
    assert caught.value.diagnostics[0].span.line == 1
    assert "this file tests" in caught.value.diagnostics[0].message


def test_a_missing_pathway_is_located_at_its_entry(tmp_path):
    path = tmp_path / "x.scenarios.yaml"
    path.write_text("pathway: nowhere.dsl\nscenarios: []\n")
    assert problems(path)[0][:2] == (1, 10)
    bare = tmp_path / "y.scenarios.yaml"
    bare.write_text("scenarios: []\n")
    assert "y.dsl does not exist" in problems(bare)[0][2]


def test_deeply_nested_yaml_is_a_located_error_not_a_crash(tmp_path):
    path = write(tmp_path, TRIAGE_HEADER + "scenarios: " + "[" * 3000 + "]" * 3000 + "\n")
    assert problems(path) == [(1, 1, "the file is nested too deeply to read")]
