"""Benchmark of hostile inputs: does the cost grow with the input, and no faster?

Run from the repository root:  .venv/bin/python benchmarks/hostile_bench.py [--smoke]
Each row measures an input at size N and at 4N side by side in one run (best of a few repeats,
in-process, through the CLI) and prints the ratio: about 4 is linear, about 16 quadratic.
- unknown keys: a JSON case with N unknown facts on one line (refused with N diagnostics, 20 shown);
- dense guard: a `require` of N `or` terms (every byte an expression);
- string literal: a title of N characters;
- nested parentheses: N levels (refused at 10,000; the cost stops growing there);
- YAML flow list: a case whose one value is a list of N numbers (refused as the wrong type);
- long sum, run / check: a derived value `n + n - 1 + n * 2 - ...` of N terms, run on a case, and checked.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from carepath.cli import main

HEADER = 'pathway p "P"\nsource s "S"\nfact n: integer 0..10\n'
STEP = 'start a\nstep a "A" stop\n'


def unknown_keys(n: int, folder: Path) -> list[str]:
    (folder / "p.dsl").write_text(HEADER + STEP)
    (folder / "c.json").write_text(json.dumps({f"unknown_{i}": 1 for i in range(n)}))
    return ["run", "p.dsl", "c.json"]


def dense_guard(n: int, folder: Path) -> list[str]:
    (folder / "p.dsl").write_text(HEADER + "require " + " or ".join(f"n == {i % 7}" for i in range(n)) + "\n" + STEP)
    return ["graph", "p.dsl"]


def string_literal(n: int, folder: Path) -> list[str]:
    (folder / "p.dsl").write_text('pathway p "' + "a" * n + '"\n' + STEP)
    return ["graph", "p.dsl", "-o", os.devnull]


def parentheses(n: int, folder: Path) -> list[str]:
    (folder / "p.dsl").write_text(HEADER + "require " + "(" * n + "n > 1" + ")" * n + "\n" + STEP)
    return ["graph", "p.dsl"]


def yaml_list(n: int, folder: Path) -> list[str]:
    (folder / "p.dsl").write_text(HEADER + STEP)
    (folder / "c.yaml").write_text("n: [" + ", ".join(["1"] * n) + "]\n")
    return ["run", "p.dsl", "c.yaml"]


def _long_sum(n: int, folder: Path) -> None:
    """A pathway whose derived value is an N-term chain of `+` and `-` (one flat node however long)."""
    terms = "n" + "".join((" + n", " - 1", " + n * 2", " - n")[i % 4] for i in range(n - 1))
    (folder / "p.dsl").write_text(HEADER + f"derive total: integer = {terms}\nstart a\ndecide a \"A\"\n"
                                  "  when total > 5 -> b\n  otherwise -> b\nstep b \"B\" stop\n")
    (folder / "c.json").write_text('{"n": 3}')


def long_sum_run(n: int, folder: Path) -> list[str]:
    _long_sum(n, folder)
    return ["run", "p.dsl", "c.json"]


def long_sum_check(n: int, folder: Path) -> list[str]:
    _long_sum(n, folder)
    return ["check", "p.dsl"]


ROWS = [("unknown keys", unknown_keys, 5_000), ("dense guard (terms)", dense_guard, 5_000),
        ("string literal (chars)", string_literal, 2_000_000), ("nested parentheses", parentheses, 4_000),
        ("YAML flow list", yaml_list, 20_000), ("long sum, run (terms)", long_sum_run, 2_500),
        ("long sum, check (terms)", long_sum_check, 2_500)]


def best_time(arguments: list[str], folder: Path, repeats: int) -> tuple[float, int]:
    """The best wall time of `repeats` in-process runs, and the exit code."""
    best, code = float("inf"), None
    for _ in range(repeats):
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            started = time.perf_counter()
            code = CliRunner().invoke(main, arguments).exit_code
            best = min(best, time.perf_counter() - started)
        finally:
            os.chdir(cwd)
    return best, code


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small sizes, one repeat (for the test suite)")
    options = parser.parse_args()
    scale, repeats = (0.05, 1) if options.smoke else (1, 3)
    with tempfile.TemporaryDirectory() as warm:  # build the parser and import the lazy modules first
        for _, build, _ in ROWS:
            best_time(build(10, Path(warm)), Path(warm), 1)
    print(f"{'input':24} {'N':>10} {'time N s':>9} {'time 4N s':>9} {'bytes 4N':>10} {'ratio 4N / N':>12}  exit")
    for label, build, size in ROWS:
        n = max(10, int(size * scale))
        with tempfile.TemporaryDirectory() as small, tempfile.TemporaryDirectory() as large:
            small_time, _ = best_time(build(n, Path(small)), Path(small), repeats)
            arguments = build(4 * n, Path(large))
            large_time, code = best_time(arguments, Path(large), repeats)
            size_4n = sum(p.stat().st_size for p in Path(large).iterdir())
        print(f"{label:24} {n:>10,} {small_time:>9.3f} {large_time:>9.3f} {size_4n:>10,} "
              f"{large_time / small_time:>12.1f}  {code}")


if __name__ == "__main__":
    main_bench()
