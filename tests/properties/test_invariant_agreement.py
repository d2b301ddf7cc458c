"""Property: the checker's invariant verdicts equal brute-force enumeration, runs that stop for
input included.

Every case over the small domains, now with any fact possibly missing (required ones too, as a
real case may leave them out), is run through the executor. A `never` is broken by any run that
emits its code(s) while its condition holds; an `always` by a complete run without its code, or
by a run that stops for input inside a step recommending the code, while its condition holds
(docs/checks.md). The checker must report exactly the invariants the runs break.
"""
from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings, strategies as st

import carepath
from carepath.engine import PathwayDefect
from carepath.errors import CaseError
from carepath.expr import Scope
from carepath.syntax import ast

from .test_checker_agreement import ATOMS, DOMAINS, pathways

CI = settings(derandomize=True, max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PARTIAL = {name: values if None in values else [None, *values] for name, values in DOMAINS.items()}
# Invariant conditions: the guards' atoms, and absences of required facts, which only runs that
# stop for input (or never read the fact) can show.
CONDITIONS = st.one_of(ATOMS, st.builds("{} is missing".format, st.sampled_from(["b1", "b2", "n", "e"])))


@st.composite
def with_invariants(draw) -> str:
    """A generated pathway with up to four invariants over the codes it recommends (simple conditions,
    so that some hold on complete runs and only runs that stop for input can break them)."""
    text = draw(pathways())
    codes = sorted(set(_codes(carepath.loads(text, "generated.dsl"))))
    if not codes:
        return text
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        code = draw(st.sampled_from(codes))
        kind = draw(st.sampled_from(["never", "always", "with"]))
        lines.append(f"never {code} with {draw(st.sampled_from(codes))}\n" if kind == "with"
                     else f"{kind} {code} when {draw(CONDITIONS)}\n")
    return text + "".join(lines)


def _codes(pathway) -> list[str]:
    """Every code some step recommends."""
    return [r.code for n in pathway.nodes.values() if isinstance(n, ast.Step) for r in n.recommendations]


def run(pathway, case: dict) -> tuple[list[str], str | None, bool]:
    """The codes a case emits (up to a gap too), the node where it stopped for input, and whether it completed."""
    program = carepath.program(pathway)
    env = program.rules.validate(case)
    program.rules.check_requires(env, None)
    trail: list = []
    emitted: list = []
    at = pathway.start
    while isinstance(at, str):
        try:
            at = program.steps[at](env, trail, emitted)
        except PathwayDefect:
            return [e.code for e in emitted], None, False
    stopped = trail[-1][0] if at else None
    return [e.code for e in emitted], stopped, not at


def brute_force(pathway) -> set[int]:
    """The lines of the invariants some case breaks."""
    scope = Scope(pathway.facts, pathway.derived)
    invariants = pathway.document.invariants
    conditions = [None if i.condition is None else scope.compile(i.condition) for i in invariants]
    broken = set()
    for values in itertools.product(*PARTIAL.values()):
        case = {k: v for k, v in zip(PARTIAL, values) if v is not None}
        try:
            codes, stopped, complete = run(pathway, case)
        except CaseError:
            continue
        for invariant, condition in zip(invariants, conditions):
            if _breaks(pathway, invariant, condition, dict(case), codes, stopped, complete):
                broken.add(invariant.span.line)
    return broken


def _breaks(pathway, invariant, condition, case, codes, stopped, complete) -> bool:
    """Whether one run breaks one invariant."""
    if invariant.kind == "never_with":
        return invariant.code in codes and invariant.other in codes
    if condition(case) is not True:
        return False
    if invariant.kind == "never":
        return invariant.code in codes
    if invariant.code in codes:
        return False
    node = pathway.nodes.get(stopped) if stopped else None
    waits_here = isinstance(node, ast.Step) and invariant.code in [r.code for r in node.recommendations]
    return complete or waits_here


@CI
@given(with_invariants())
def test_invariant_verdicts_agree_with_brute_force_over_partial_cases(text: str) -> None:
    """No false alarms and no misses, for every generated pathway and invariant."""
    pathway = carepath.loads(text, "generated.dsl")
    found = {d.span.line for d in carepath.check(pathway) if d.kind == "invariant"}
    assert found == brute_force(pathway), text
