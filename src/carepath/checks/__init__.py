"""Stage 4, checking: every check a pure function of the pathway, all listed in one registry.

Structural checks read the graph; semantic checks ask the one z3 encoding of the pathway. This
package imports z3, so the public API imports it only when asked to check. All diagnostics are
collected, then sorted by position.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable

from ..errors import WARNING, Diagnostic
from ..expr import Scope
from . import decisions, invariants, reach, structure, usage
from .encoding import Encoding, Undecided

if TYPE_CHECKING:
    from ..model import Pathway


@dataclass(eq=False)
class Context:
    """What every check may read: the pathway, and (built once, on first use) its solver encoding."""

    pathway: "Pathway"
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

    def arrives(self, node: str) -> bool:
        """Whether some valid case arrives at `node` (asked once per node)."""
        if node not in self.built:
            encoding = self.encoding
            self.built[node] = node in self.connected and encoding.check(encoding.reach[node],
                                                                          why=f"whether `{node}` is reached")
        return self.built[node]


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
    span = diagnostic.span
    where = (span.line, span.column) if span else (0, 0)
    return (*where, diagnostic.kind, diagnostic.message)

