"""The population benchmarks never rot: their smoke runs finish and print every row (speed is never asserted)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.mark.parametrize("script, rows", [
    ("population_bench.py", ("`run --batch`", "DuckDB, 1 thread", "DuckDB, 2 threads", "inside the engine",
                             "peak RSS MB")),
    ("sql_parts_bench.py", ("every result column", "without the route", "(no list)", "flattened", "giving a number")),
])
def test_a_population_benchmark_smoke_run_prints_its_table(tmp_path: Path, script: str, rows: tuple[str, ...]) -> None:
    record = tmp_path / "table.md"
    done = subprocess.run([sys.executable, str(BENCHMARKS / script), "--smoke", "--record", str(record)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for row in rows:
        assert row in done.stdout
    assert record.read_text() in done.stdout
