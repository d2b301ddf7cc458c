"""The query-parts benchmark never rots: its smoke run finishes and prints every row (speed is never asserted)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "sql_parts_bench.py"


def test_the_query_parts_benchmark_smoke_run_prints_its_table(tmp_path: Path) -> None:
    record = tmp_path / "parts.md"
    done = subprocess.run([sys.executable, str(BENCHMARK), "--smoke", "--record", str(record)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for row in ("every result column", "without the route", "(no list)", "flattened", "giving a number"):
        assert row in done.stdout
    assert record.read_text() in done.stdout
