"""Stage 3, execution: exactly the facts a stop needs, found by a search for witnesses among the candidates.

`expr.relevance` names the candidates: the missing facts of the undecided parts of the undecided
guards (a fact behind a part already decided cannot matter, whatever the others). A candidate is
needed when some values of the missing facts, it among them, change what the run does at the node
(docs/dsl.md, "What a stop needs"). One candidate alone is needed: giving it decides every guard
that waits. With more, the node is run on every combination of the candidates' search values (each
fact also left missing) that keeps the requires, and a candidate is kept when giving it a value
changes the node's outcome (the branch taken, the codes emitted, or whether it waits) for some
combination of the others. The search values are finite and exact (expr.relevance.search_domains);
where a candidate has none, or the combinations are too many, the candidates are the answer.
"""
from __future__ import annotations

from itertools import product
from math import prod
from typing import Any

from ..errors import CaseError, PathwayDefect
from ..expr.relevance import ORIGINAL, search_domains

MAX_COMBINATIONS = 4096
_MISSING = object()  # a candidate left missing in a combination
_INVALID = object()  # a combination that breaks a `require`: not a case


class Exactness:
    """The witness search of one compiled pathway (its observing twin and search values built on first use)."""

    def __init__(self, program):
        self.program = program
        self._observing = None
        self._domains: dict[str, tuple | None] | None = None

    def needed(self, node: str, env: dict[str, Any], candidates: set[str]) -> set[str]:
        """The candidates that some values of the missing facts make change what the run does at `node`."""
        if len(candidates) <= 1:
            return candidates
        names = sorted(candidates)
        domains = self.domains()
        values = [domains.get(name) for name in names]
        if any(v is None for v in values) or prod(len(v) + 1 for v in values) > MAX_COMBINATIONS:
            return candidates
        base = {name: value for name, value in env.items() if name in self.program.scope.facts}
        outcomes = {combo: self._outcome(node, base, names, combo)
                    for combo in product(*[(_MISSING, *v) for v in values])}
        return {name for index, name in enumerate(names) if _changes(outcomes, index, values[index])}

    def domains(self) -> dict[str, tuple | None]:
        """The search values of every fact, computed once."""
        if self._domains is None:
            self._domains = search_domains(self.program.pathway, self.program.scope)
        return self._domains

    def observing(self):
        """The pathway compiled again with presence tests reading the case as given (built once)."""
        if self._observing is None:
            self._observing = type(self.program)(self.program.pathway, observing=True)
        return self._observing

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
