"""Benchmark of `carepath check`: time and solver calls against pathway size.

Run from the repository root:  .venv/bin/python benchmarks/check_bench.py
Two families, measured side by side in one run:
- chain N: N binary decisions whose branches rejoin, so 2**N paths (N = 40 is the issue's case);
- layered N: about N nodes of decisions over ranged integer facts (exclusive partitions, first-match
  ladders, recommendations with guards, an optional fact read behind a presence check), each node
  leading to later ones.
"""
from __future__ import annotations

import sys
import time

import carepath
from carepath.checks import Context, collect


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


def measure(label: str, text: str) -> None:
    """Load, then check, printing nodes, times, findings and solver calls."""
    started = time.perf_counter()
    pathway = carepath.loads(text, f"{label}.dsl")
    loaded = time.perf_counter()
    context = Context(pathway)
    findings = collect(context)
    checked = time.perf_counter()
    calls = context.solver_calls
    print(f"{label:<14} {len(pathway.nodes):>6} {loaded - started:>8.3f} {checked - loaded:>8.3f} "
          f"{calls:>7} {1000 * (checked - loaded) / calls:>8.2f} {len(findings):>8}")


def main() -> None:
    """Every size of both families, one table."""
    print(f"{'pathway':<14} {'nodes':>6} {'load s':>8} {'check s':>8} {'calls':>7} {'ms/call':>8} {'findings':>8}")
    for n in (10, 20, 40, 80):
        measure(f"chain {n}", chain(n))
    for size in (250, 500, 1000, 2000):
        measure(f"layered {size}", layered(size))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
