"""Stage 4, scenarios: the checker's solver asked, branch by branch, for a case that takes it.

The question is the checker's own encoding (`carepath.solver`), so the semantics is written
once: a decision branch is its `take` literal (the runtime's first-true rule, earlier branches
decided false under `first match`, `otherwise` only when every guard is decided false); a
recommendation's outcome is its step reached with the guard decided true (emitted) or false (not
emitted). Both are asked together with `done`, the run reaching a stop, so the case is complete.
When no complete run takes the branch, a second question tells a proof of unreachability from a
branch that only runs ending in a gap or a needs_input take. This module imports z3; the
generator imports it only when the search leaves a branch untaken.
"""
from __future__ import annotations

from typing import Any

import z3

from ..solver import Encoding, Undecided
from ..model import Pathway
from ..syntax import ast
from .coverage import HOLDS, NOT_EMITTED, BranchPoint

UNREACHABLE = "unreachable"
STOPS_AFTER = "every run that takes it stops later with a gap or needs_input (`carepath check` shows where)"
UNDECIDED = "the solver could not decide it (arithmetic between facts?)"


class BranchSolver:
    """One incremental encoding of the pathway, asked once or twice per branch."""

    def __init__(self, pathway: Pathway):
        self.pathway, self.encoding = pathway, Encoding(pathway)

    def ask(self, point: BranchPoint) -> tuple[dict[str, Any] | None, str]:
        """A complete case that takes the branch (its witness), else None and why: UNREACHABLE,
        STOPS_AFTER or UNDECIDED."""
        encoding, taking = self.encoding, self.taking(point)
        why = f"whether a run takes `{point.node}: {point.label}`"
        try:
            if encoding.check(taking, encoding.done, why=why):
                return encoding.witness(), ""
            return None, STOPS_AFTER if encoding.check(taking, why=why) else UNREACHABLE
        except Undecided:
            return None, UNDECIDED

    def taking(self, point: BranchPoint) -> z3.BoolRef:
        """The literal true exactly when a run takes the branch, as the executor decides it."""
        encoding = self.encoding
        if point.node in self.pathway.derived:  # a score's criterion, in a run that computes the score
            criterion = self.pathway.derived[point.node].score.criteria[point.index]
            term = encoding.term(criterion.guard)
            outcome = term.holds() if point.label.endswith(f": {HOLDS}") else term.fails()
            return encoding.literal(z3.And(encoding.evaluated[point.node], *outcome))
        if isinstance(self.pathway.nodes[point.node], ast.Decision):
            return encoding.take[point.node, point.index]
        guard = encoding.guards[point.node, point.index]
        outcome = guard.fails() if point.label.endswith(f" {NOT_EMITTED}") else guard.holds()
        return encoding.literal(z3.And(encoding.reach[point.node], *outcome))
