"""Stage 4, checking: every check a pure function of the pathway, all listed in one registry.

Structural checks read the graph; semantic checks ask the one z3 encoding of the pathway
(carepath.solver). This package imports z3, so the public API imports it only when asked to
check. All diagnostics are collected, then sorted by position. A question the solver cannot
decide becomes one located `undecided` warning for the guard it was about; every other
question is still asked, so every other finding is still reported.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable

import z3

from ..errors import ACCEPTED, ERROR, WARNING, Diagnostic, Span, did_you_mean, source_order
from ..expr import Scope
from ..solver import TIMEOUT_MS, Encoding, Undecided
from ..syntax import ast
from . import decisions, derived, invariants, reach, structure, usage, waits
from .samples import SAMPLES, settled

if TYPE_CHECKING:
    from ..model import Pathway


@dataclass(eq=False)
class Context:
    """What every check may read: the pathway, and (built once, on first use) its solver encoding."""

    pathway: "Pathway"
    samples: int = SAMPLES
    timeout_ms: int = TIMEOUT_MS
    built: dict = field(default_factory=dict, repr=False)
    undecided: dict = field(default_factory=dict, repr=False)

    @cached_property
    def encoding(self) -> Encoding:
        """The pathway encoded for z3 (on first use), shared by every semantic check."""
        return Encoding(self.pathway, timeout_ms=self.timeout_ms)

    @cached_property
    def explainer(self) -> Encoding:
        """The same encoding with every declaration behind a switch, for unsat cores (built on first use)."""
        return Encoding(self.pathway, explaining=True, timeout_ms=self.timeout_ms)

    def ask(self, *literals, why: str, span: Span | None, partial: bool = False) -> bool | None:
        """Whether some valid case makes every literal hold (with `partial`, a case that may lack any
        fact); None (and one `undecided` warning for `span`) when the solver cannot tell. A span
        already undecided is not asked again."""
        key = _span_key(span)
        if key in self.undecided:
            return None
        try:
            return self.encoding.check(*literals, why=why, partial=partial)
        except Undecided as exc:
            self.undecided[key] = undecided(exc, span, self.timeout_ms)
            return None

    def explain(self, *literals) -> list:
        """The declarations that rule the literals out (empty when the solver cannot tell)."""
        try:
            return self.explainer.explain(*literals)
        except Undecided:
            return []

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

    def arrives(self, node: str) -> bool | None:
        """Whether some valid case arrives at `node` (None: the solver cannot tell)."""
        return node in self.connected and self.possible(("reach", node))

    def possible(self, question: tuple, span: Span | None = None) -> bool | None:
        """Whether some valid case arrives at a node ("reach", NODE), arrives with a branch holding
        ("holds", DECISION, INDEX) or takes a branch ("take", DECISION, INDEX), or reads a derived
        value ("evaluated", NAME), reads it with a case holding ("case_holds", NAME, INDEX) or takes a
        case ("case_take", NAME, INDEX): a sample run's yes, else the solver's answer (asked once)."""
        if question in self.sampled:
            return True
        if question not in self.built:
            self.built[question] = self.ask(self._literal(question), why=_words(question),
                                            span=span or self._span(question))
        return self.built[question]

    def _literal(self, question: tuple):
        """The solver literal a question asks to satisfy."""
        kind, name, *index = question
        encoding = self.encoding
        if kind == "reach":
            return encoding.reach[name]
        if kind == "evaluated":
            return encoding.evaluated[name]
        if kind == "take":
            return encoding.take[name, index[0]]
        if kind == "case_take":
            return encoding.case_take[name, index[0]]
        if kind == "case_holds":
            return encoding.literal(z3.And(encoding.evaluated[name], *encoding.case_guards[name, index[0]].holds()))
        return encoding.literal(z3.And(encoding.reach[name], *encoding.guards[name, index[0]].holds()))

    def _span(self, question: tuple) -> Span | None:
        """Where the subject of a question is written: the branch or case, else the node or value."""
        kind, name, *index = question
        if kind in ("case_take", "case_holds", "evaluated"):
            value = self.pathway.derived[name]
            return value.cases[index[0]].span if index else value.span
        node = self.pathway.nodes[name]
        if index and isinstance(node, ast.Decision):
            return node.branches[index[0]].span
        arrivals = self.arrivals.get(name, [])
        return arrivals[0] if len(arrivals) == 1 else node.span

    @cached_property
    def arrivals(self) -> dict[str, list[Span | None]]:
        """Per node, the spans of the branches and jumps that lead to it (an undecided reach question
        is about the guard that leads there)."""
        found: dict[str, list[Span | None]] = {}
        for node in self.pathway.nodes.values():
            parts = node.branches if isinstance(node, ast.Decision) else ()
            for part in parts:
                found.setdefault(part.target, []).append(part.span)
            if isinstance(node, ast.Step) and node.next:
                found.setdefault(node.next, []).append(node.span)
        return found


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
    waits.waits_for_nothing,
    derived.derived_gaps,
    derived.overlapping_cases,
    derived.contradictory_cases,
    derived.shadowed_cases,
    derived.out_of_range,
    reach.divisions_by_zero,
    reach.restricted_facts,
    invariants.violated_invariants,
)


def check(pathway: "Pathway", timeout: float | None = None) -> list[Diagnostic]:
    """Every finding of every check, sorted by position, then kind; `timeout` seconds per solver question.

    A finding the pathway accepts (`accept KIND at NAME "reason"`) is kept, with severity `accepted`."""
    found = collect(Context(pathway, timeout_ms=TIMEOUT_MS if timeout is None else max(1, int(timeout * 1000))))
    return accepted(pathway, found) if pathway.document.accepts else found


def collect(context: Context) -> list[Diagnostic]:
    """Run the registry over one context (whose encoding then tells how many solver calls it took)."""
    found = [d for rule in CHECKS for d in rule(context)]
    return sorted(found + list(context.undecided.values()), key=position)


def accepted(pathway: "Pathway", found: list[Diagnostic]) -> list[Diagnostic]:
    """Findings matched by an `accept` become `accepted` (with the reason); an accept that matches
    nothing, or names an unknown kind of finding, is a warning, so stale acceptances do not linger."""
    from dataclasses import replace

    from .report import RULES

    result, used = [], set()
    for finding in found:
        match = next((a for a in pathway.document.accepts if _accepts(pathway, a, finding)), None)
        if match is None or finding.severity == ERROR:  # a defect is fixed, never accepted
            result.append(finding)
            continue
        used.add(id(match))
        result.append(replace(finding, severity=ACCEPTED, hint=f"accepted: {match.reason}"))
    for accept in pathway.document.accepts:
        if accept.kind not in RULES:
            result.append(Diagnostic(WARNING, f"`accept {accept.kind}`: no check reports findings of kind "
                                              f"`{accept.kind}`", accept.span, kind="stale_accept",
                                     hint=did_you_mean(accept.kind, RULES)))
        elif id(accept) not in used:
            result.append(Diagnostic(WARNING, f"`accept {accept.kind}` matches no finding; delete it", accept.span,
                                     kind="stale_accept"))
    return sorted(result, key=position)


def _accepts(pathway: "Pathway", accept, finding: Diagnostic) -> bool:
    """Whether an accept covers a finding: the same kind, and inside the named node or derived value."""
    if accept.kind != finding.kind:
        return False
    if accept.at is None:
        return True
    declared = pathway.nodes.get(accept.at) or pathway.derived.get(accept.at)
    span = declared.span
    return finding.span is not None and span.line <= finding.span.line <= span.end_line


def undecided(exc: Undecided, span: Span | None, timeout_ms: int) -> Diagnostic:
    """The warning for a question the solver could not decide, with the limit it ran into."""
    reason = exc.reason.lower()
    if "timeout" in reason or "canceled" in reason:
        limit = f"within the {timeout_ms / 1000:g} s limit"
    elif "incomplete" in reason or "arith" in reason:
        limit = "(nonlinear arithmetic: a product or quotient of facts)"
    else:
        limit = f"({exc.reason})"
    return Diagnostic(WARNING, f"the solver could not decide {exc.why} {limit}; findings that depend on it "
                               "are not reported", span, kind="undecided",
                      hint="raise the limit with --timeout SECONDS, or simplify the arithmetic between facts")


def _words(question: tuple) -> str:
    """A question in words, for the undecided warning."""
    kind, name, *index = question
    which = f"{'case' if kind.startswith('case') else 'branch'} {index[0] + 1} of `{name}`" if index else f"`{name}`"
    return {"reach": f"whether some case reaches `{name}`", "evaluated": f"whether some run computes `{name}`",
            "take": f"whether some case takes {which}", "case_take": f"whether some case takes {which}",
            "holds": f"whether {which} can hold", "case_holds": f"whether {which} can hold"}[kind]


def _span_key(span: Span | None) -> tuple:
    """A span as a dictionary key (spans compare without their file)."""
    return (span.line, span.column, span.end_line, span.end_column) if span else ()


def position(diagnostic: Diagnostic) -> tuple:
    """Sort key: file position, then kind and message, so output is deterministic."""
    return (*source_order(diagnostic), diagnostic.kind, diagnostic.message)

