"""Benchmark of exact `needs` and `run --needs-all`: what the witness search and the solver cost.

Run from the repository root:  .venv/bin/python benchmarks/needs_bench.py
Cases of pathway.dsl and of the published rules with facts left out at random, run side by side
in one process with the witness search (the shipped executor) and without it (the candidates
alone, as before the search); then `needs_all` (the solver) on a few of the stopped cases.
"""
from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import carepath
from carepath.engine import NEEDS_INPUT

ROOT = Path(__file__).resolve().parents[1]
PATHWAYS = ["pathway.dsl", "examples/rules/has_bled.dsl", "examples/rules/cha2ds2_vasc.dsl"]


def stopped_cases(pathway, count: int, seed: int = 5) -> list[dict]:
    """Valid cases that stop for input: each fact given (a random value of the benchmark's) or left out."""
    from run import lbp_cases

    rng, compiled, found = random.Random(seed), carepath.program(pathway), []
    for case in lbp_cases(pathway, count * 20, seed):
        case = {k: v for k, v in case.items() if rng.random() < 0.7}
        try:
            if compiled.run(case, trace=False).status == NEEDS_INPUT:
                found.append(case)
        except carepath.CarepathError:
            continue
        if len(found) == count:
            break
    return found


def timed(action, rounds: int) -> float:
    """The best of `rounds` timings of `action`, in seconds."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def _interleaved(runs: list, rounds: int) -> tuple[float, ...]:
    """The best time of each action, the actions taking turns so that the machine's load falls on all alike."""
    best = [float("inf")] * len(runs)
    for _ in range(rounds):
        for index, run in enumerate(runs):
            best[index] = min(best[index], timed(run, 1))
    return tuple(best)


def main() -> None:
    """One row per pathway: us per stopped case without and with the search, and ms per needs_all."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print("| pathway | stopped cases | candidates only, us/case | exact (search), us/case | ratio | needs_all, ms/case |")
    print("|---|---|---|---|---|---|")
    for name in PATHWAYS:
        pathway = carepath.load(ROOT / name)
        cases = stopped_cases(pathway, args.cases)
        searching, plain = carepath.engine.Program(pathway), carepath.engine.Program(pathway)
        plain.exactness = None
        runs = [lambda: [plain.run(c, trace=False) for c in cases], lambda: [searching.run(c, trace=False) for c in cases]]
        without, with_search = _interleaved(runs, args.rounds)
        few = cases[:5]
        solver = timed(lambda: [carepath.needs_all(pathway, c) for c in few], 1) / max(1, len(few))
        print(f"| {name} | {len(cases)} | {without / len(cases) * 1e6:.1f} | {with_search / len(cases) * 1e6:.1f} | "
              f"**{with_search / without:.2f}x** | {solver * 1e3:.0f} |")


if __name__ == "__main__":
    main()
