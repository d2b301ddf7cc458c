"""Stage 3, execution: exactly the facts a stop needs, found by a search for witnesses among the candidates.

`expr.relevance` names the candidates: the missing facts of the undecided parts of the undecided
guards (a fact behind a part already decided cannot matter, whatever the others). A candidate is
needed when some values of the missing facts, it among them, change what the run does at the node
(docs/dsl.md, "What a stop needs"). One candidate alone is needed: giving it decides every guard
that waits. With more, the node is run on every combination of the candidates' values (one per
region of each, expr.relevance.fact_regions; each fact also left missing) that keeps the requires,
and a candidate is kept when giving it a value changes the node's outcome (the branch taken, the
codes emitted, or whether it waits) for some combination of the others.

The search runs at a node whose facts (node_facts) all have regions and at most MAX_STATES
combinations of them: there the answer depends only on the region of each fact, so it is also a
finite table that the SQL backend looks up (`table`). Elsewhere the candidates are the answer.
"""
from __future__ import annotations

from itertools import product
from math import prod
from typing import Any

from ..errors import CaseError, PathwayDefect
from ..expr.relevance import ORIGINAL, Regions, fact_regions, node_facts

MAX_STATES = 1024
_MISSING = object()  # a fact left missing in a combination
_INVALID = object()  # a combination that breaks a `require`: not a case


class Exactness:
    """The witness search of one compiled pathway (its observing twin and regions built on first use)."""

    def __init__(self, program):
        self.program = program
        self._observing = None
        self._regions: dict[str, Regions | None] | None = None
        self._facts: dict[str, list[str] | None] = {}

    def needed(self, node: str, env: dict[str, Any], candidates: set[str]) -> set[str]:
        """The candidates that some values of the missing facts make change what the run does at `node`."""
        if len(candidates) <= 1 or self.facts(node) is None:
            return candidates
        names = sorted(candidates)
        values = [self.regions()[name].values for name in names]
        base = {name: value for name, value in env.items() if name in self.program.scope.facts}
        outcomes = {combo: self._outcome(node, base, names, combo)
                    for combo in product(*[(_MISSING, *v) for v in values])}
        return {name for index, name in enumerate(names) if _changes(outcomes, index, values[index])}

    def facts(self, node: str) -> list[str] | None:
        """The facts that decide what a run does at `node`, when the search runs there (else None)."""
        if node not in self._facts:
            names = node_facts(self.program.pathway, self.program.scope, self.program.pathway.nodes[node])
            regions = [self.regions()[name] for name in names]
            searched = all(r is not None for r in regions) and prod(len(r.values) + 1 for r in regions) <= MAX_STATES
            self._facts[node] = names if searched else None
        return self._facts[node]

    def table(self, node: str) -> dict[tuple[int, ...], tuple[str, ...]]:
        """The needs of every stop at a searched node, by the region of each of its facts (0: missing,
        i: the i-th region); cases that break a require or meet a defect there are left out."""
        names, regions, found = self.facts(node), self.regions(), {}
        for key in product(*[range(len(regions[name].values) + 1) for name in names]):
            case = {name: regions[name].values[i - 1] for name, i in zip(names, key) if i}
            try:
                self.program.rules.check_requires(dict(case), None)
                went = self.program.steps[node](dict(case), [], [])
            except (CaseError, PathwayDefect):
                continue
            if isinstance(went, tuple):
                found[key] = went
        return found

    def regions(self) -> dict[str, Regions | None]:
        """The regions of every fact, computed once."""
        if self._regions is None:
            self._regions = fact_regions(self.program.pathway)
        return self._regions

    def observing(self):
        """The pathway compiled again with presence tests reading the case as given (built once)."""
        if self._observing is None:
            self._observing = type(self.program)(self.program.pathway, observing=True, nodes=set(self.program.steps))
        return self._observing

    def outcome(self, node: str, base: dict[str, Any], names: list[str], combo: tuple) -> Any:
        """What the run does at `node` for the case `base` extended by values of `names` (None: not a case)."""
        found = self._outcome(node, base, names, combo)
        return None if found is _INVALID else found

    def _outcome(self, node: str, base: dict[str, Any], names: list[str], combo: tuple) -> Any:
        """What the run does at `node` for the case extended by one combination (or _INVALID)."""
        env = dict(base)
        env.update((name, value) for name, value in zip(names, combo) if value is not _MISSING)
        try:
            self.program.rules.check_requires(dict(env), None)
        except CaseError:
            return _INVALID
        original = dict(base)
        original[ORIGINAL] = env[ORIGINAL] = original
        trail: list = []
        emitted: list = []
        try:
            went = self.observing().steps[node](env, trail, emitted)
        except PathwayDefect as exc:
            return ("defect", exc.diagnostics[0].kind if exc.diagnostics else None)
        waits = isinstance(went, tuple)
        return (waits, None if waits else trail[-1][1], tuple(e.code for e in emitted))


def _changes(outcomes: dict[tuple, Any], index: int, values: tuple) -> bool:
    """Whether giving the fact at `index` a value changes some combination's outcome (both valid cases)."""
    for combo, before in outcomes.items():
        if combo[index] is not _MISSING or before is _INVALID:
            continue
        for value in values:
            after = outcomes[combo[:index] + (value,) + combo[index + 1:]]
            if after is not _INVALID and after != before:
                return True
    return False
