"""Stage 4, scenarios: node and branch coverage of a pathway by a set of runs.

A branch is each branch of each decision (its `otherwise` included), each guarded
recommendation's two outcomes: emitted and not emitted, and each score criterion's two outcomes,
holds and does not hold, counted for runs that computed the score. A step's jump and an unguarded
recommendation are not branches: node coverage accounts for them. A run that stops with
needs_input covers the node it stopped at; at a decision, none of its branches; at a step, the
outcome of each guarded recommendation the run decided (the step emits its decided advice before
it stops: emitted where the guard held, not emitted where it was false), but not the undecided ones.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from ..engine import Result
from ..errors import Span
from ..model import Pathway
from ..syntax import ast
from ..syntax.printer import show_branch, show_criterion

Taken = tuple[str, str]
EMITTED, NOT_EMITTED = "emitted", "not emitted"
HOLDS, FAILS = "holds", "does not hold"


@dataclass(frozen=True)
class BranchPoint:
    """One branch: the node it leaves, its label (a guard, `otherwise`, or `CODE emitted`), where,
    and its position in the node (the branch's, or the guarded recommendation's)."""

    node: str
    label: str
    span: Span | None
    index: int

    @property
    def key(self) -> Taken:
        """What a run's path records when it takes this branch."""
        return (self.node, self.label)

    @property
    def location(self) -> str:
        """`file:line` of the branch in the pathway."""
        return f"{self.span.file}:{self.span.line}" if self.span else "<pathway>"

    def to_json(self) -> dict[str, Any]:
        """One entry of the uncovered list."""
        return {"node": self.node, "branch": self.label, "location": self.location}


def branch_points(pathway: Pathway) -> tuple[BranchPoint, ...]:
    """Every branch of the pathway, in source order."""
    points: list[BranchPoint] = []
    for node in pathway.nodes.values():
        if isinstance(node, ast.Decision):
            points.extend(BranchPoint(node.name, show_branch(b.guard), b.span, i)
                          for i, b in enumerate(node.branches))
        else:
            points.extend(BranchPoint(node.name, f"{r.code} {outcome}", r.span, i)
                          for i, r in enumerate(node.recommendations) if r.guard is not None
                          for outcome in (EMITTED, NOT_EMITTED))
    for value in pathway.derived.values():
        if value.score is not None:
            points.extend(BranchPoint(value.name, f"{show_criterion(c)}: {outcome}", c.span, i)
                          for i, c in enumerate(value.score.criteria) for outcome in (HOLDS, FAILS))
    return tuple(points)


def criteria_taken(pathway: Pathway, facts: dict[str, Any]) -> Iterator[Taken]:
    """The outcome of each criterion of each score the run computed (undecided ones count for neither)."""
    from .. import program
    from ..expr import UNKNOWN

    compiled = program(pathway)
    env = compiled.rules.validate(facts)
    compiled.walk(env, trace=False)  # the run again, to see which derived values it computed into env
    for value in [v for v in pathway.derived.values() if v.score is not None and v.name in env]:
        for criterion in value.score.criteria:
            held = compiled.scope.compiled(criterion.guard)(env)
            if held is not UNKNOWN:
                yield (value.name, f"{show_criterion(criterion)}: {HOLDS if held else FAILS}")


def stopped_step_taken(pathway: Pathway, result: Result, facts: dict[str, Any]) -> Iterator[Taken]:
    """At a step where the run stopped for input, the outcome of each guarded recommendation it decided."""
    from .. import program
    from ..expr import UNKNOWN

    last = result.path[-1] if result.path else None
    if last is None or last.took is not None or not isinstance(pathway.nodes[last.node], ast.Step):
        return
    compiled = program(pathway)
    env = compiled.rules.validate(facts)
    compiled.walk(env, trace=False)  # the run again: the derived values it computed, as the step read them
    for rec in pathway.nodes[last.node].recommendations:
        held = UNKNOWN if rec.guard is None else compiled.scope.compiled(rec.guard)(dict(env))
        if held is not UNKNOWN:
            yield (last.node, f"{rec.code} {EMITTED if held else NOT_EMITTED}")


def taken(pathway: Pathway, result: Result) -> Iterator[Taken]:
    """The branches one run took, read from its path and its emitted recommendations."""
    for visit in result.path:
        if visit.took is None:
            continue
        node = pathway.nodes[visit.node]
        if isinstance(node, ast.Decision):
            yield (visit.node, visit.took)
            continue
        emitted = {e.code for e in result.recommendations if e.step == visit.node}
        for rec in node.recommendations:
            if rec.guard is not None:
                yield (visit.node, f"{rec.code} {EMITTED if rec.code in emitted else NOT_EMITTED}")


@dataclass(frozen=True)
class Coverage:
    """Which nodes and branches a set of runs reached."""

    nodes: tuple[str, ...]
    visited: frozenset[str]
    branches: tuple[BranchPoint, ...]
    covered: frozenset[Taken]

    @property
    def node_percent(self) -> float:
        """Share of nodes visited, in percent (one decimal)."""
        return _percent(sum(n in self.visited for n in self.nodes), len(self.nodes))

    @property
    def branch_percent(self) -> float:
        """Share of branches taken, in percent (one decimal)."""
        return _percent(len(self.branches) - len(self.uncovered), len(self.branches))

    @property
    def uncovered(self) -> tuple[BranchPoint, ...]:
        """The branches no run took, in source order."""
        return tuple(b for b in self.branches if b.key not in self.covered)

    def to_json(self) -> dict[str, Any]:
        """The `coverage` object of `carepath test --json`."""
        return {"nodes": self.node_percent, "branches": self.branch_percent,
                "uncovered": [b.to_json() for b in self.uncovered]}

    def text(self) -> str:
        """Coverage as lines for the terminal, uncovered branches at their file:line."""
        visited = sum(n in self.visited for n in self.nodes)
        lines = [f"coverage: nodes {self.node_percent:.1f}% ({visited}/{len(self.nodes)}), "
                 f"branches {self.branch_percent:.1f}% ({len(self.branches) - len(self.uncovered)}"
                 f"/{len(self.branches)})"]
        lines.extend(f"  not covered: {b.location}: {b.node}: {b.label}" for b in self.uncovered)
        return "\n".join(lines) + "\n"


def coverage(pathway: Pathway, results: Iterable[Result], cases: Iterable[dict[str, Any]] = ()) -> Coverage:
    """The coverage of a pathway by some runs (with their cases, to count score criteria)."""
    visited: set[str] = set()
    covered: set[Taken] = set()
    cases = list(cases)
    for index, result in enumerate(results):
        visited.update(visit.node for visit in result.path)
        covered.update(taken(pathway, result))
        if index < len(cases):
            covered.update(criteria_taken(pathway, cases[index]))
            covered.update(stopped_step_taken(pathway, result, cases[index]))
    return Coverage(tuple(pathway.nodes), frozenset(visited), branch_points(pathway), frozenset(covered))


def _percent(part: int, whole: int) -> float:
    """part/whole in percent, rounded down to one decimal (never 100.0 with a gap); nothing to cover is 100."""
    return math.floor(1000 * part / whole) / 10 if whole else 100.0
