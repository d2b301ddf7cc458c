"""`carepath run PATHWAY CASE --save-scenario FILE`: a finished run becomes a scenario that passes."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import carepath
from carepath.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the pathway and its scenarios file."""
    shutil.copy(ROOT / "pathway.dsl", tmp_path / "pathway.dsl")
    shutil.copy(ROOT / "pathway.scenarios.yaml", tmp_path / "pathway.scenarios.yaml")
    return tmp_path


def save(folder: Path, case: Path, *extra: str):
    """Run `carepath run ... --save-scenario pathway.scenarios.yaml` in `folder`."""
    return CliRunner().invoke(main, ["run", str(folder / "pathway.dsl"), str(case), "--save-scenario",
                                     str(folder / "pathway.scenarios.yaml"), *extra])


def scenario_names(path: Path) -> list[str]:
    """The names of a scenarios file's scenarios, in order."""
    import yaml

    return [s["name"] for s in yaml.safe_load(path.read_text())["scenarios"]]


def test_the_run_is_appended_keeping_every_line_and_passes(folder: Path):
    """Every line of the file stays as it was; the new scenario comes last and passes at once."""
    scenarios = folder / "pathway.scenarios.yaml"
    before = scenarios.read_text()
    result = save(folder, ROOT / "examples/02_eight_weeks_after_fall.json", "--name", "after a fall: week 9")
    assert result.exit_code == 0, result.output
    after = scenarios.read_text()
    assert after.startswith(before)
    added = after[len(before):]
    assert added.startswith("\n  - name: \"after a fall: week 9\"\n    case: {age: 55,")
    assert scenario_names(scenarios)[-1] == "after a fall: week 9"
    report = carepath.test_scenarios(folder / "pathway.dsl", [scenarios])
    outcome = next(o for o in report.outcomes if o.scenario.name == "after a fall: week 9")
    assert not outcome.failures
    expected = carepath.run(folder / "pathway.dsl", json.loads((ROOT / "examples/02_eight_weeks_after_fall.json")
                                                              .read_text()))
    assert list(outcome.scenario.expect.present) == list(dict.fromkeys(expected.codes))
    assert CliRunner().invoke(main, ["test", str(folder / "pathway.dsl")]).exit_code == 0


def test_a_needs_input_run_keeps_its_needs_and_a_missing_default_becomes_null(folder: Path):
    """The case lacks `fever`, which the defaults give: the scenario removes it with null."""
    scenarios = folder / "pathway.scenarios.yaml"
    assert save(folder, ROOT / "examples/04_fever_not_asked.json").exit_code == 0
    added = scenarios.read_text().split("- name: 04_fever_not_asked\n")[1]
    assert added == "    case: {fever: null}\n    expect:\n      status: needs_input\n      present: []\n" \
                    "      needs: [fever]\n"
    assert CliRunner().invoke(main, ["test", str(folder / "pathway.dsl")]).exit_code == 0


def test_a_duplicate_name_is_refused_and_the_file_left_alone(folder: Path):
    """Exit 2, located at the existing scenario's name."""
    scenarios = folder / "pathway.scenarios.yaml"
    before = scenarios.read_text()
    name = scenario_names(scenarios)[0]
    result = save(folder, ROOT / "examples/01_one_session.json", "--name", name)
    assert result.exit_code == 2
    assert f"a scenario named `{name}` is already in" in result.stderr
    assert scenarios.read_text() == before


def test_a_new_file_is_created_with_its_pathway(tmp_path: Path):
    """A scenarios file that does not exist yet starts with `pathway:` and the one scenario."""
    shutil.copy(ROOT / "pathway.dsl", tmp_path / "pathway.dsl")
    target = tmp_path / "new.scenarios.yaml"
    result = CliRunner().invoke(main, ["run", str(tmp_path / "pathway.dsl"), str(ROOT / "examples/01_one_session.json"),
                                       "--save-scenario", str(target), "--name", "first"])
    assert result.exit_code == 0, result.output
    assert target.read_text().startswith("pathway: pathway.dsl\nscenarios:\n  - name: first\n")
    assert CliRunner().invoke(main, ["test", str(tmp_path / "pathway.dsl"), str(target)]).exit_code == 0


def test_an_empty_list_and_comments_after_it_are_kept(tmp_path: Path):
    """`scenarios: []` becomes a block list; the comment at the end stays."""
    shutil.copy(ROOT / "pathway.dsl", tmp_path / "pathway.dsl")
    target = tmp_path / "pathway.scenarios.yaml"
    target.write_text("# mine\npathway: pathway.dsl\nscenarios: []\n# the end\n")
    result = CliRunner().invoke(main, ["run", str(tmp_path / "pathway.dsl"), str(ROOT / "examples/01_one_session.json"),
                                       "--save-scenario", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert text.startswith("# mine\npathway: pathway.dsl\nscenarios:\n  - name: 01_one_session\n")
    assert text.endswith("# the end\n")
    assert scenario_names(target) == ["01_one_session"]


def test_save_scenario_with_batch_is_a_usage_error(folder: Path):
    """--save-scenario saves one case."""
    result = CliRunner().invoke(main, ["run", str(folder / "pathway.dsl"), "--batch", "x.jsonl",
                                       "--save-scenario", "x.yaml"])
    assert result.exit_code == 2
