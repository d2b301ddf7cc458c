"""Stage 4, usage checks: facts, derived values and sources that nothing uses."""
from __future__ import annotations

from ..errors import WARNING, Diagnostic
from ..model.resolve import name_span
from ..syntax import ast

WHERE = "no decision, recommendation or invariant reads it"


def unused_facts(context) -> list[Diagnostic]:
    """Facts no guard reads, directly or through a derived value (a `require` alone does not count)."""
    used = _used_names(context.pathway)
    return [Diagnostic(WARNING, f"fact `{name}` is never used: {WHERE}", name_span(fact), kind="unused_fact",
                       hint="use it in a guard or delete it")
            for name, fact in context.pathway.facts.items() if name not in used]


def unused_derived(context) -> list[Diagnostic]:
    """Derived values no guard reads, directly or through another derived value."""
    used = _used_names(context.pathway)
    return [Diagnostic(WARNING, f"derived value `{name}` is never used: {WHERE}", name_span(value),
                       kind="unused_derived", hint="use it in a guard or delete it")
            for name, value in context.pathway.derived.items() if name not in used]


def unused_sources(context) -> list[Diagnostic]:
    """Sources no recommendation, caution, score or derived value cites."""
    cited = {name for node in context.pathway.nodes.values() for rec in getattr(node, "recommendations", ())
             for name in ast.cited_sources(rec)}
    cited.update(c.source for value in context.pathway.derived.values() for c in value.citations)
    return [Diagnostic(WARNING, f"source `{name}` is never cited", name_span(source), kind="unused_source",
                       hint="cite it where it supports a recommendation, or delete it")
            for name, source in context.pathway.sources.items() if name not in cited]


def _used_names(pathway) -> set[str]:
    """Facts and derived values read by guards and invariants, following derived values."""
    stack = [ref.name for expr in _guards(pathway) for ref in ast.refs(expr)]
    used: set[str] = set()
    while stack:
        name = stack.pop()
        if name in used:
            continue
        used.add(name)
        if name in pathway.derived:
            stack.extend(ref.name for expr in ast.case_expressions(pathway.derived[name]) for ref in ast.refs(expr))
    return used


def _guards(pathway) -> list[ast.Expr]:
    """Every branch guard, recommendation guard and invariant condition."""
    found = [inv.condition for inv in pathway.document.invariants if inv.condition is not None]
    for node in pathway.nodes.values():
        found.extend(guard for _, guard in ast.node_guards(node))
        found.extend(c.guard for rec in getattr(node, "recommendations", ()) for c in rec.cautions
                     if c.guard is not None)
    return found
