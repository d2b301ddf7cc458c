"""CLI tests: commands through click's runner, and the installed console script from outside."""
from __future__ import annotations

import json
from fractions import Fraction
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import carepath
from carepath.cli import main

HERE = Path(__file__).parent
ROOT = HERE.parent
TRIAGE = str(HERE / "fixtures" / "pathways" / "triage.dsl")
CASE = str(HERE / "fixtures" / "cases" / "home_child.json")


def invoke(*args: str, stdin: str | None = None):
    """Run the CLI in-process and return the click Result."""
    return CliRunner().invoke(main, list(args), input=stdin)


def test_version() -> None:
    """--version prints the package version."""
    result = invoke("--version")
    assert result.exit_code == 0 and result.output == f"carepath, version {carepath.__version__}\n"


def test_the_console_script_answers_version_as_click_does_without_loading_the_command_line() -> None:
    """`carepath --version` (the launcher's quick answer) prints click's version line, and neither click
    nor any stage is imported for it; `import carepath` alone imports nothing of the package."""
    probe = ("import runpy, sys\nsys.argv = ['carepath', '--version']\nrunpy.run_module('carepath', run_name='__main__')\n"
             "print(sorted(m for m in sys.modules if m == 'click' or m.startswith(('carepath.', 'typing', 'lark'))))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    version_line, loaded = result.stdout.splitlines()
    assert version_line + "\n" == invoke("--version").output
    assert loaded == "['carepath.launch']"


@pytest.mark.parametrize("command", [[], ["run"], ["graph"], ["check"]])
def test_help_shows_an_example(command: list[str]) -> None:
    """Every command's --help shows an example invocation and the exit codes."""
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and "carepath " in result.output and "Exit codes" in result.output


def test_run_json_matches_the_api() -> None:
    """`run --json` prints exactly the API's result as JSON."""
    result = invoke("run", TRIAGE, CASE, "--json")
    expected = carepath.run(carepath.load(TRIAGE), json.loads(Path(CASE).read_text())).to_json()
    assert result.exit_code == 0 and json.loads(result.output, parse_float=Fraction) == expected


def test_run_summary_lists_recommendations_then_path() -> None:
    """The readable summary names each recommendation with its sources, then the path and facts."""
    output = invoke("run", TRIAGE, CASE).output
    assert output.index("1. guardian_advice [routine]: Advice to the parent or guardian") < output.index("Path")
    assert "sources: Local triage guide (guide.txt)  (step child)" in output
    assert "home: age < 16\n      age = 9" in output


def test_run_reads_stdin() -> None:
    """`-` reads the case from standard input, JSON or YAML."""
    yaml_case = "age: 9\ntemperature: 36.8\npain: mild\nhead_injury: true\ngcs: 15\n"
    assert invoke("run", TRIAGE, "-", "--json", stdin=yaml_case).exit_code == 0
    assert json.loads(invoke("run", TRIAGE, "-", "--json", stdin=Path(CASE).read_text()).output)["status"] == "complete"


def test_needs_input_exits_zero() -> None:
    """needs_input is a normal outcome."""
    result = invoke("run", TRIAGE, "-", "--json", stdin='{"age": 40, "temperature": 37, "head_injury": false}')
    assert result.exit_code == 0 and json.loads(result.output)["needs"] == ["pain"]


def test_case_error_exits_two_with_nothing_on_stdout() -> None:
    """A bad case is exit 2, located on stderr, nothing on stdout."""
    result = CliRunner().invoke(main, ["run", TRIAGE, "-", "--json"], input='{"age": 400}')
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("<stdin>:1:2: error: fact `age`: 400 is outside the declared range 0..120")


def test_pathway_error_exits_two(tmp_path: Path) -> None:
    """A pathway with errors is exit 2 with every error located; no traceback."""
    bad = tmp_path / "bad.dsl"
    bad.write_text('pathway p "P"\nstart s\nstep s "S" recommend r "R" cite nowhere stop\n')
    result = invoke("run", str(bad), CASE)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad}:3:33: error: `nowhere` is not a declared source")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args, message", [
    (["run", "missing.dsl", CASE], "missing.dsl: cannot read: No such file or directory"),
    (["run", str(HERE), CASE], f"{HERE}: is a directory, not a pathway file"),
    (["run", TRIAGE, "missing.json"], "missing.json: cannot read: No such file or directory"),
])
def test_unreadable_inputs_exit_two(args: list[str], message: str) -> None:
    """Files that cannot be read are usage errors with a plain message."""
    result = invoke(*args)
    assert result.exit_code == 2 and result.stderr == f"error: {message}\n"


def test_unknown_option_is_a_usage_error() -> None:
    """click's own usage errors keep exit code 2."""
    assert invoke("run", "--frobnicate").exit_code == 2


def test_graph_json_is_node_link() -> None:
    """`graph --json` prints networkx node-link JSON keyed by DSL names."""
    data = json.loads(invoke("graph", TRIAGE, "--json").output)
    assert [n["id"] for n in data["nodes"]][:2] == ["assess", "emergency_department"]
    assert {"source", "target", "branches"} <= set(data["edges"][0])


def test_graph_output_file_is_written_whole(tmp_path: Path) -> None:
    """`-o FILE` writes the file; a missing folder is a usage error and writes nothing."""
    target = tmp_path / "graph.json"
    assert invoke("graph", TRIAGE, "--json", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text())["graph"]["name"] == "triage"
    missing = tmp_path / "nope" / "graph.json"
    result = invoke("graph", TRIAGE, "--json", "-o", str(missing))
    assert result.exit_code == 2 and not missing.exists() and "does not exist" in result.stderr


def test_installed_console_script_runs_outside_the_checkout(tmp_path: Path) -> None:
    """The `carepath` script works from any directory (the grammar ships in the package)."""
    script = shutil.which("carepath", path=str(Path(sys.executable).parent))
    assert script, "the carepath console script is not installed next to this Python"
    pathway, case = tmp_path / "p.dsl", tmp_path / "c.yaml"
    shutil.copy(TRIAGE, pathway)
    case.write_text("age: 9\ntemperature: 36.8\npain: mild\nhead_injury: true\ngcs: 15\n")
    done = subprocess.run([script, "run", "p.dsl", "c.yaml", "--json"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["recommendations"][0]["code"] == "guardian_advice"


def test_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    """A built wheel carries the grammar and the review page's templates: installed into a fresh target,
    it parses and writes a review page from anywhere."""
    built = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path / "dist")],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("carepath-*.whl")
    target = tmp_path / "site"
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                                "--target", str(target), str(wheel)], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    probe = ("import carepath, carepath.syntax.grammar as g; "
             "print(g.grammar_path().is_relative_to(carepath.__path__[0]), carepath.load('p.dsl').name, "
             "'<svg' in carepath.review('p.dsl'))")
    shutil.copy(TRIAGE, tmp_path / "p.dsl")
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "triage", "True"]
