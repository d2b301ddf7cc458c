"""Stage 4, checking: every check a pure function of the pathway, all listed in one registry.

Structural checks read the graph; semantic checks ask the one z3 encoding of the pathway. This
package imports z3, so the public API imports it only when asked to check. All diagnostics are
collected, then sorted by position.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable

import z3

from ..errors import WARNING, Diagnostic, source_order
from ..expr import Scope
from . import decisions, invariants, reach, structure, usage
from .encoding import Encoding, Undecided
from .samples import SAMPLES, settled

if TYPE_CHECKING:
    from ..model import Pathway


@dataclass(eq=False)
class Context:
    """What every check may read: the pathway, and (built once, on first use) its solver encoding."""

    pathway: "Pathway"
    samples: int = SAMPLES
    built: dict = field(default_factory=dict, repr=False)

    @cached_property
    def encoding(self) -> Encoding:
        """The pathway encoded for z3 (on first use), shared by every semantic check."""
        return Encoding(self.pathway)

    @cached_property
    def explainer(self) -> Encoding:
        """The same encoding with every declaration behind a switch, for unsat cores (built on first use)."""
        return Encoding(self.pathway, explaining=True)

    @cached_property
    def scope(self) -> Scope:
        """Names as the runtime reads them (facts behind derived values)."""
        return Scope(self.pathway.facts, self.pathway.derived)

    @cached_property
    def connected(self) -> set[str]:
        """Nodes the graph leads to from the start, whatever the guards say."""
        import networkx as nx

        return {self.pathway.start} | nx.descendants(self.pathway.graph, self.pathway.start)

    @property
    def solver_calls(self) -> int:
        """How many times the solvers were asked (questions and explanations)."""
        built = [self.__dict__[name] for name in ("encoding", "explainer") if name in self.__dict__]
        return sum(encoding.calls for encoding in built)

    @cached_property
    def sampled(self) -> set[tuple]:
        """Questions that seeded sample runs already answer yes (see samples.py)."""
        return settled(self.pathway, self.samples)

    def arrives(self, node: str) -> bool:
        """Whether some valid case arrives at `node`."""
        return node in self.connected and self.possible(("reach", node))

    def possible(self, question: tuple) -> bool:
        """Whether some valid case arrives at a node ("reach", NODE), arrives with a branch holding
        ("holds", DECISION, INDEX) or takes a branch ("take", DECISION, INDEX): a sample run's yes,
        else the solver's answer (asked once)."""
        if question in self.sampled:
            return True
        if question not in self.built:
            self.built[question] = self.encoding.check(self._literal(question), why=f"whether {question} can happen")
        return self.built[question]

    def _literal(self, question: tuple):
        """The solver literal a question asks to satisfy."""
        kind, node, *index = question
        encoding = self.encoding
        if kind == "reach":
            return encoding.reach[node]
        if kind == "take":
            return encoding.take[node, index[0]]
        return encoding.literal(z3.And(encoding.reach[node], *encoding.guards[node, index[0]].holds()))


Check = Callable[[Context], list[Diagnostic]]

CHECKS: tuple[Check, ...] = (
    structure.unconnected_nodes,
    structure.uncited_cautions,
    structure.duplicate_codes,
    usage.unused_facts,
    usage.unused_derived,
    usage.unused_sources,
    reach.unreachable_nodes,
    decisions.overlapping_branches,
    decisions.gaps,
    decisions.contradictory_branches,
    decisions.shadowed_branches,
    reach.possible_needs_input,
    reach.derived_gaps,
    invariants.violated_invariants,
)


def check(pathway: "Pathway") -> list[Diagnostic]:
    """Every finding of every check, sorted by position, then kind."""
    return collect(Context(pathway))


def collect(context: Context) -> list[Diagnostic]:
    """Run the registry over one context (whose encoding then tells how many solver calls it took)."""
    return sorted((d for rule in CHECKS for d in _apply(rule, context)), key=position)


def _apply(rule: Check, context: Context) -> list[Diagnostic]:
    """One check's findings, or a warning that the solver could not finish it."""
    try:
        return rule(context)
    except Undecided as exc:
        return [Diagnostic(WARNING, f"check `{rule.__name__}` could not finish: the solver could not decide {exc}",
                           kind="undecided", hint="simplify the arithmetic between facts (products of facts "
                                                  "are nonlinear)")]


def position(diagnostic: Diagnostic) -> tuple:
    """Sort key: file position, then kind and message, so output is deterministic."""
    return (*source_order(diagnostic), diagnostic.kind, diagnostic.message)

