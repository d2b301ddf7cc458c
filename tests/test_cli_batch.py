"""`carepath run PATHWAY --batch FILE`: streamed JSON lines, exit codes, atomic output."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from carepath import cli
from carepath.engine import batch

ROOT = Path(__file__).resolve().parents[1]
PATHWAY = str(ROOT / "pathway.dsl")
PUBLIC = ("01_one_session.json", "02_eight_weeks_after_fall.json")
CASES = [json.dumps(json.loads((ROOT / "examples" / name).read_text())) for name in PUBLIC]


def invoke(*args: str, stdin: str | None = None):
    """Run the CLI in-process, stderr kept apart from stdout."""
    return CliRunner().invoke(cli.main, list(args), input=stdin)


@pytest.fixture
def batch_file(tmp_path: Path) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(CASES) + "\n")
    return path


def test_a_batch_writes_one_result_per_case_and_exits_0(batch_file, tmp_path):
    out = tmp_path / "results.jsonl"
    result = invoke("run", PATHWAY, "--batch", str(batch_file), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["line"] for r in rows] == [1, 2] and {r["status"] for r in rows} == {"complete"}
    assert result.stderr == "" and result.stdout == ""


def test_a_batch_without_output_streams_to_stdout(batch_file):
    result = invoke("run", PATHWAY, "--batch", str(batch_file))
    assert [json.loads(line)["line"] for line in result.stdout.splitlines()] == [1, 2]


def test_a_batch_reads_stdin_with_a_dash():
    result = invoke("run", PATHWAY, "--batch", "-", stdin=CASES[0] + "\n")
    assert result.exit_code == 0 and json.loads(result.stdout)["line"] == 1


def test_bad_lines_give_error_rows_located_diagnostics_and_exit_1(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text(CASES[0] + '\n{"age": 400}\n' + CASES[1] + "\n")
    result = invoke("run", PATHWAY, "--batch", str(path))
    assert result.exit_code == 1
    assert [json.loads(line)["status"] for line in result.stdout.splitlines()] == ["complete", "error", "complete"]
    assert result.stderr.startswith(f"{path}:2:2: error: fact `age`: 400 is outside")
    assert result.stderr.rstrip().endswith("1 of 3 cases could not run")


@pytest.mark.parametrize("args, message", [
    (["CASE", "--batch", "FILE"], "not both"),
    ([], "give a CASE file or --batch FILE"),
])
def test_case_and_batch_are_mutually_exclusive_usage_errors(args, message):
    result = invoke("run", PATHWAY, *args)
    assert result.exit_code == 2 and message in result.stderr


def test_an_unreadable_batch_file_is_exit_2_and_leaves_no_output(tmp_path):
    out = tmp_path / "results.jsonl"
    result = invoke("run", PATHWAY, "--batch", str(tmp_path / "missing.jsonl"), "-o", str(out))
    assert result.exit_code == 2 and "cannot read" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_batch_that_fails_midway_leaves_the_old_output_untouched(batch_file, tmp_path, monkeypatch):
    out = tmp_path / "results.jsonl"
    out.write_text("old\n")

    def fail_midway(program, lines, stream, name):
        stream.write(b"partial\n")
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "write_batch", fail_midway)
    result = invoke("run", PATHWAY, "--batch", str(batch_file), "-o", str(out))
    assert result.exit_code != 0
    assert out.read_text() == "old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["cases.jsonl", "results.jsonl"]


def test_a_closed_pipe_ends_the_batch_quietly(batch_file):
    many = batch_file.parent / "many.jsonl"
    many.write_text((CASES[0] + "\n") * 5000)
    command = f"{sys.executable} -m carepath.cli run {PATHWAY} --batch {many} | head -c 10 >/dev/null"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr and done.returncode in (1, 141)
