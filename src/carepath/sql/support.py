"""Stage 5, SQL: what the SQL backend cannot compile yet, found before building the query.

Scores, counts, `if`, sets and dates are decided by the executor on intervals and calendars that
the query does not yet follow; a pathway using them is refused with the located construct rather
than given a query that would fail or disagree with `carepath run`.
"""
from __future__ import annotations

from ..errors import Diagnostic, error
from ..syntax import ast

UNSUPPORTED_EXPRESSIONS = {ast.Points: "a score", ast.Count: "`count(...)`", ast.IfThenElse: "`if ... then ... else`",
                           ast.Has: "a set test (`has`)", ast.NumberOf: "`number of`",
                           ast.Duration: "a duration (date arithmetic)"}
UNSUPPORTED_TYPES = {ast.DateType: "a date fact", ast.SetType: "a set fact"}


def unsupported(pathway) -> Diagnostic | None:
    """The first construct of the pathway, in source order, that SQL cannot compile yet (None: all can)."""
    found = [(fact.span, f"{UNSUPPORTED_TYPES[type(fact.type)]} (`{name}`)")
             for name, fact in pathway.facts.items() if type(fact.type) in UNSUPPORTED_TYPES]
    for expr in _expressions(pathway):
        found += [(node.span, UNSUPPORTED_EXPRESSIONS[type(node)]) for node in ast.walk(expr)
                  if type(node) in UNSUPPORTED_EXPRESSIONS]
    if not found:
        return None
    span, what = min(found, key=lambda item: _position(item[0]))
    return error(f"{what} is not yet supported in SQL; run these cases with `carepath run` (or --batch)", span,
                 kind="sql")


def _expressions(pathway) -> list[ast.Expr]:
    """Every expression the query compiles: derived values' cases, requires and node guards."""
    exprs = [e for value in pathway.derived.values() for e in ast.case_expressions(value)]
    exprs += [r.condition for r in pathway.document.requires]
    return exprs + [guard for node in pathway.nodes.values() for _, guard in ast.node_guards(node)]


def _position(span) -> tuple:
    """A span's place in its file, for choosing the first construct (unlocated ones last)."""
    return (0, span.line, span.column) if span is not None else (1, 0, 0)
