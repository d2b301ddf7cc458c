"""The benchmarks never rot: the smoke run finishes and prints every ratio (speed is never asserted)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import carepath

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from generate import SHAPES, generate  # noqa: E402


@pytest.mark.parametrize("shape", SHAPES)
def test_synthetic_pathways_load_and_are_the_same_for_the_same_seed(shape):
    text = generate(200, shape, seed=5)
    assert text == generate(200, shape, seed=5) and text != generate(200, shape, seed=6)
    assert 150 <= len(carepath.loads(text, f"{shape}.dsl").nodes) <= 200


def test_the_smoke_benchmark_runs_and_prints_every_ratio(tmp_path):
    record = tmp_path / "smoke.md"
    done = subprocess.run([sys.executable, str(BENCHMARKS / "run.py"), "--smoke", "--record", str(record)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for heading in ("## Front end", "## Execution", "## Startup", "## Memory"):
        assert heading in done.stdout
    for ratio in ("ratio load / bare parse", "ratio to its floor", "against `json.loads` alone", "ratio to python -c pass",
                  "peak RSS MB"):
        assert ratio in done.stdout
    assert record.read_text().count("## ") >= 5


def test_the_hostile_input_benchmark_runs_and_prints_every_ratio():
    done = subprocess.run([sys.executable, str(BENCHMARKS / "hostile_bench.py"), "--smoke"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = ("unknown keys", "dense guard", "string literal", "nested parentheses", "YAML flow list", "long sum, run",
            "long sum, check")
    for row in rows:
        assert row in done.stdout
    assert done.stdout.count("\n") == 1 + len(rows)
