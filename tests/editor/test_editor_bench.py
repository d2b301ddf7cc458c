"""The editor benchmark never rots: its quick run finishes and prints every ratio (speed is never asserted)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "editor_bench.py"


def test_the_quick_editor_benchmark_prints_a_row_per_size():
    """Two sizes, each with both ratios."""
    done = subprocess.run([sys.executable, str(BENCHMARK), "--quick"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| 40 ") or line.startswith("| 100 ")]
    assert len(rows) == 2 and all(row.count("x |") == 2 for row in rows)
