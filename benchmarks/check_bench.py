"""Benchmark of `carepath check`: time and solver calls against pathway size.

Run from the repository root:  .venv/bin/python benchmarks/check_bench.py
Two families, measured side by side in one run (wall and CPU seconds: on a shared machine the CPU
time is the steadier figure):
- chain N: N binary decisions whose branches rejoin, so 2**N paths (N = 40 is the issue's case);
- layered N: about N nodes of decisions over ranged integer facts (exclusive partitions, first-match
  ladders, recommendations with guards, an optional fact read behind a presence check), each node
  leading to later ones.
"""
from __future__ import annotations

import argparse
import sys
import time

import carepath
from carepath.checks import Context, collect
from carepath.checks.samples import SAMPLES

WIDTHS = (14, 6, 7, 8, 6, 6, 8, 11, 6, 6, 8)


def chain(n: int) -> str:
    """N binary decisions that rejoin after each step: 2**n paths, 3n + 1 nodes."""
    facts = "".join(f"fact f{i}: boolean\n" for i in range(n))
    nodes = []
    for i in range(n):
        after = f"d{i + 1}" if i + 1 < n else "end"
        nodes.append(f'decide d{i} "D{i}"\n  when f{i} -> a{i}\n  otherwise -> b{i}\n'
                     f'step a{i} "A{i}" -> {after}\nstep b{i} "B{i}" -> {after}\n')
    return f'pathway chain "Chain"\n{facts}start d0\n{"".join(nodes)}step end "End" stop\n'


def layered(size: int) -> str:
    """About `size` nodes in groups of four: a partition, a first-match ladder and two steps."""
    groups = max(1, size // 4)
    facts = [f"fact v{i}: integer 0..10\n" for i in range(groups)] + ["fact score: optional integer 0..9\n"]
    nodes = []
    for i in range(groups):
        after = f"p{i + 1}" if i + 1 < groups else "end"
        v = f"v{i}"
        nodes.append(
            f'decide p{i} "P{i}"\n  when {v} < 3 -> s{i}\n  when {v} >= 3 and {v} < 7 -> l{i}\n  otherwise -> t{i}\n'
            f'decide l{i} "L{i}" first match\n  when score is missing -> t{i}\n  when score >= 5 -> s{i}\n'
            f'  otherwise -> t{i}\n'
            f'step s{i} "S{i}"\n  recommend r{i} "R" cite g\n    when {v} + v{(i + 1) % groups} > 4\n  -> t{i}\n'
            f'step t{i} "T{i}"\n  recommend q{i} "Q" cite g\n  -> {after}\n')
    return (f'pathway layered "Layered"\nsource g "g.txt"\n{"".join(facts)}start p0\n'
            f'{"".join(nodes)}step end "End" stop\n')


def measure(label: str, text: str, without_samples: bool) -> None:
    """Load, then check with sample runs (and, if asked, without), printing times and solver calls."""
    started = time.perf_counter()
    pathway = carepath.loads(text, f"{label}.dsl")
    loaded = time.perf_counter()
    row = [label, len(pathway.nodes), f"{loaded - started:.3f}"]
    for samples in (SAMPLES, 0) if without_samples else (SAMPLES,):
        begun, cpu = time.perf_counter(), time.process_time()
        context = Context(pathway, samples=samples)
        findings = collect(context)
        row += [f"{time.perf_counter() - begun:.3f}", f"{time.process_time() - cpu:.3f}", context.solver_calls,
                len(findings)]
    print(" ".join(f"{cell:>{width}}" for cell, width in zip(row, WIDTHS)))


def main() -> None:
    """Every size of both families, one table; without sample runs too, up to 1,000 nodes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small sizes only, for CI: checks the script runs")
    smoke = parser.parse_args().smoke
    header = ["pathway", "nodes", "load s", "check s", "CPU s", "calls", "findings", "no-sample s", "CPU s", "calls",
              "findings"]
    print(" ".join(f"{cell:>{width}}" for cell, width in zip(header, WIDTHS)))
    for n in (10, 40) if smoke else (10, 20, 40, 80, 1000):
        measure(f"chain {n}", chain(n), without_samples=n <= 80)
    for size in (100,) if smoke else (250, 500, 1000, 2000):
        measure(f"layered {size}", layered(size), without_samples=size <= 1000)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
