"""Stage 5, review: what the review page says, gathered from the pathway, its checks, scenarios and a case.

Plain frozen records, no markup: the template decides how they look and escapes every text.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from ..errors import Diagnostic
from ..syntax import ast
from ..syntax.printer import show, show_invariant, show_type
from ..syntax.units import derived_with_units, with_units
from ..syntax.words import define, derived_read, say

if TYPE_CHECKING:
    from ..engine import Result
    from ..model import Pathway
    from ..scenarios import Report

ALWAYS = "always, whenever the step is reached"


@dataclass(frozen=True)
class Cite:
    """A citation as a reviewer reads it: the source's title and reference, where in it, the quote."""

    source: str
    title: str
    reference: str
    locator: str | None
    quote: str | None


@dataclass(frozen=True)
class Caution:
    """A caution and the sources behind it."""

    text: str
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class Advice:
    """One recommendation of a step: code, text, urgency, its guard in words and in DSL, sources, cautions."""

    code: str
    text: str
    urgency: str | None
    words: str | None
    guard: str | None
    cites: tuple[Cite, ...]
    cautions: tuple[Caution, ...]


@dataclass(frozen=True)
class Branch:
    """One branch of a decision: its guard in words and in DSL (None for otherwise), and its target."""

    order: int
    words: str | None
    guard: str | None
    target: str
    target_title: str


@dataclass(frozen=True)
class Definition:
    """A derived value or fact a node reads: its name, type, and meaning (definition lines or description)."""

    name: str
    type: str
    meaning: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """A checker finding: severity, message, where, hint and its witness case as JSON text."""

    severity: str
    kind: str
    message: str
    location: str | None
    hint: str | None
    witness: str | None


@dataclass(frozen=True)
class Visit:
    """A node on the case's route: what was taken there and the facts that decided it."""

    node: str
    title: str
    took: str
    facts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Panel:
    """Everything the page shows when a node is clicked."""

    name: str
    kind: str
    title: str
    section: str | None
    urgency: str | None
    first_match: bool
    branches: tuple[Branch, ...]
    advice: tuple[Advice, ...]
    next: str | None
    next_title: str | None
    derived: tuple[Definition, ...]
    facts: tuple[Definition, ...]
    findings: tuple[Finding, ...]
    visit: Visit | None


@dataclass(frozen=True)
class Invariant:
    """An invariant in DSL and in words, and whether the checker proved it."""

    written: str
    words: str
    proven: bool
    finding: Finding | None


@dataclass(frozen=True)
class CodeRow:
    """One row of the code -> condition -> sources table."""

    code: str
    step: str
    step_title: str
    urgency: str | None
    condition: str
    cites: tuple[Cite, ...]
    cautions: int


def urgency_of(item: Any, step: ast.Step | None = None) -> str | None:
    """A recommendation's urgency: its own when the run result or AST carries one, else its step's."""
    return getattr(item, "urgency", None) or (step.urgency if step is not None else None)


def cites(pathway: "Pathway", citations: Iterable[ast.Citation]) -> tuple[Cite, ...]:
    """Citations resolved to their sources' titles and references."""
    return tuple(Cite(c.source, pathway.source_title(c.source), pathway.sources[c.source].reference,
                      c.locator, c.quote) for c in citations)


def finding(diagnostic: Diagnostic) -> Finding:
    """A diagnostic as the page lists it."""
    witness = None if diagnostic.witness is None else json.dumps(diagnostic.witness, indent=2, ensure_ascii=False,
                                                                 default=str)
    location = diagnostic.span.location() if diagnostic.span else None
    return Finding(diagnostic.severity, diagnostic.kind, diagnostic.message, location, diagnostic.hint, witness)


def panels(pathway: "Pathway", findings: Sequence[Diagnostic], result: "Result | None") -> list[Panel]:
    """One panel per node, in source order."""
    from ..diagram.findings import locate

    by_node: dict[str, list[Finding]] = {}
    for diagnostic in findings:
        node = locate(pathway, diagnostic)
        if node is not None:
            by_node.setdefault(node, []).append(finding(diagnostic))
    visits = {visit.node: visit for visit in route(pathway, result)}
    return [_panel(pathway, node, tuple(by_node.get(name, ())), visits.get(name))
            for name, node in pathway.nodes.items()]


def _panel(pathway: "Pathway", node: ast.Node, found: tuple[Finding, ...], visit: Visit | None) -> Panel:
    """A node's panel."""
    guards = [guard for _, guard in ast.node_guards(node)]
    derived = derived_read(guards, pathway.derived)
    if isinstance(node, ast.Decision):
        branches = tuple(Branch(i, None if b.guard is None else say(with_units(b.guard, pathway.units)),
                                None if b.guard is None else show(b.guard),
                                b.target, pathway.nodes[b.target].title) for i, b in enumerate(node.branches, start=1))
        return Panel(node.name, "decision", node.title, node.section, None, node.first_match, branches, (), None, None,
                     derived_definitions(pathway, derived), _facts(pathway, guards, derived), found, visit)
    advice = tuple(_advice(pathway, node, rec) for rec in node.recommendations)
    next_title = pathway.nodes[node.next].title if node.next else None
    return Panel(node.name, "step", node.title, node.section, node.urgency, False, (), advice, node.next, next_title,
                 derived_definitions(pathway, derived), _facts(pathway, guards, derived), found, visit)


def _advice(pathway: "Pathway", step: ast.Step, rec: ast.Recommendation) -> Advice:
    """A recommendation as a panel shows it."""
    guard = rec.guard
    words = None if guard is None else say(with_units(guard, pathway.units))
    return Advice(rec.code, rec.text, urgency_of(rec, step), words,
                  None if guard is None else show(guard), cites(pathway, rec.citations),
                  tuple(Caution(c.text, cites(pathway, c.citations)) for c in rec.cautions))


def derived_definitions(pathway: "Pathway", names: list[str]) -> tuple[Definition, ...]:
    """The derived values named, with their definitions in words."""
    return tuple(Definition(name, show_type(pathway.derived[name].type),
                            tuple(define(derived_with_units(pathway.derived[name], pathway.units))))
                 for name in names)


def _facts(pathway: "Pathway", guards: list[ast.Expr], derived: list[str]) -> tuple[Definition, ...]:
    """The facts the guards read, directly or through the derived values, in declaration order."""
    exprs = guards + [e for name in derived for e in ast.case_expressions(pathway.derived[name])]
    read = {ref.name for expr in exprs for ref in ast.refs(expr)}
    return tuple(fact_definition(fact) for name, fact in pathway.facts.items() if name in read)


def fact_definition(fact: ast.Fact) -> Definition:
    """A fact with its type, unit, optionality and description."""
    kind = ("optional " if fact.optional else "") + show_type(fact.type) + (f" ({fact.unit})" if fact.unit else "")
    return Definition(fact.name, kind, (fact.description,) if fact.description else ())


def route(pathway: "Pathway", result: "Result | None") -> list[Visit]:
    """The case's route, each node with what it took and the facts that decided it."""
    if result is None:
        return []
    return [Visit(v.node, pathway.nodes[v.node].title, v.took if v.took is not None else "stopped: needs input",
                  tuple((name, _value(value, pathway.units.get(name))) for name, value in v.facts.items()))
            for v in result.path]


def _value(value: Any, unit: str | None) -> str:
    """A fact's value as JSON writes it, with its unit; `missing` for none."""
    return "missing" if value is None else json.dumps(value, default=str) + (f" {unit}" if unit else "")


def invariants(pathway: "Pathway", findings: Sequence[Diagnostic]) -> list[Invariant]:
    """Every invariant, proven unless the checker found a case that breaks it."""
    broken = {d.span: d for d in findings if d.kind == "invariant" and d.span is not None}
    return [Invariant(show_invariant(inv), _invariant_words(inv, pathway.units), inv.span not in broken,
                      finding(broken[inv.span]) if inv.span in broken else None)
            for inv in pathway.document.invariants]


def _invariant_words(inv: ast.Invariant, units: dict[str, str]) -> str:
    """An invariant in words."""
    if inv.kind == "never_with":
        return f"no run recommends both {inv.code} and {inv.other}"
    if inv.kind == "never":
        return f"no run recommends {inv.code} when {say(with_units(inv.condition, units))}"
    return f"every complete run recommends {inv.code} when {say(with_units(inv.condition, units))}"


def code_rows(pathway: "Pathway") -> list[CodeRow]:
    """Each recommendation code, the step that gives it, when, and on what sources; grouped by code."""
    rows = [CodeRow(rec.code, step.name, step.title, urgency_of(rec, step),
                    ALWAYS if rec.guard is None else f"when {say(with_units(rec.guard, pathway.units))}",
                    cites(pathway, rec.citations), len(rec.cautions))
            for step in pathway.nodes.values() if isinstance(step, ast.Step) for rec in step.recommendations]
    order = {code: i for i, code in enumerate(dict.fromkeys(row.code for row in rows))}
    return sorted(rows, key=lambda row: order[row.code])


def scenario_rows(report: "Report | None") -> list[dict[str, Any]]:
    """Each scenario's name, location, status, failures and the codes its run emitted."""
    if report is None:
        return []
    return [{"name": o.scenario.name, "location": o.location, "status": o.status, "failures": o.failures,
             "error": o.error, "codes": o.result.codes if o.result is not None else [],
             "source": o.scenario.source, "quote": o.scenario.quote} for o in report.outcomes]


def verdict(comparison) -> str:
    """carepath diff's verdict on the changes since an earlier version."""
    from ..comparison import report

    return report.verdict(comparison)


def change_rows(comparison) -> list[dict[str, Any]]:
    """The differences since an earlier version (carepath diff), one row each, for the page's table."""
    from ..comparison import report

    return [{"kind": report.TITLES[r.kind], "changes": report.changes_of(r), "where": r.conditions,
             "definitions": r.definitions, "old": report.outcome_text(r.old), "new": report.outcome_text(r.new),
             "witness": report.json_text(r.witness)} for r in comparison.regions]
