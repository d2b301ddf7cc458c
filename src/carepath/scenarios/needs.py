"""Stage 4, scenarios: every missing fact that could still change the advice for a case (`run --needs-all`).

A run stops at the first guard it cannot decide and names the facts that could decide that guard.
To ask for everything at once, the search gives the first of those facts each value of its search
domain (the values `cases --cover` tries: both booleans, every enumeration value, numbers at the
pathway's thresholds) and runs again, breadth first, collecting every fact any of these runs stops
for; every completion of the facts a run can stop for is reached this way. It ends early once
every missing fact that a guard reads has been found. The search is bounded; the result says
whether it finished (exact for these domains) or stopped at the bound.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Mapping

from ..errors import CarepathError
from ..model import Pathway
from .generate import ABSENT, _domains

MAX_RUNS = 2_000


@dataclass(frozen=True)
class NeedsAll:
    """The facts still worth asking for, sorted, and whether every completion was tried."""

    facts: tuple[str, ...]
    runs: int
    exhausted: bool
    units: tuple[str | None, ...] = ()  # each fact's declared unit, for the text line

    def text(self) -> str:
        """The line `run --needs-all` adds to the text summary, each fact with its unit."""
        shown = [f"{name} ({unit})" if unit else name for name, unit in zip(self.facts, self.units or (None,) * len(self.facts))]
        bound = "" if self.exhausted else f" (search stopped after {self.runs} runs; there may be more)"
        return f"\nevery fact that could still change the advice: {', '.join(shown) or 'none'}{bound}\n"

    def to_json(self) -> dict[str, Any]:
        """The `needs_all` object of `run --needs-all --json`."""
        units = {name: unit for name, unit in zip(self.facts, self.units) if unit}
        return {"facts": list(self.facts), "runs": self.runs, "complete": self.exhausted, "units": units}


def needs_all(pathway: Pathway, case: Mapping[str, Any], limit: int = MAX_RUNS) -> NeedsAll:
    """The missing facts that could change some recommendation, found by completing the facts each run stops for."""
    from .. import program

    compiled = program(pathway)
    domains = _domains(pathway, compiled.scope)
    found: set[str] = set()
    candidates = set(compiled.scope.facts_behind(_read_anywhere(pathway))) - set(case)
    queue, seen, runs = deque([dict(case)]), set(), 0
    while queue and runs < limit and not candidates <= found:
        facts = queue.popleft()
        key = tuple(sorted(facts.items(), key=lambda item: item[0]))
        if key in seen:
            continue
        seen.add(key)
        runs += 1
        try:
            needs = compiled.run(facts, trace=False).needs
        except CarepathError:
            continue  # a completion the requires rule out, or one that meets a pathway defect
        found.update(needs)
        if needs:
            queue.extend({**facts, needs[0]: value} for value in domains[needs[0]] if value is not ABSENT)
    facts = tuple(sorted(found))
    return NeedsAll(facts, runs, not queue or candidates <= found, tuple(pathway.facts[f].unit for f in facts))


def _read_anywhere(pathway: Pathway) -> list[str]:
    """Every name a guard of a decision or a recommendation reads."""
    from ..syntax import ast

    return [ref.name for node in pathway.nodes.values() for _, guard in ast.node_guards(node)
            for ref in ast.refs(guard)]
