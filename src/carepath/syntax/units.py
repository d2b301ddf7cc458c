"""Stage 1, syntax: units beside the numbers people read (`age >= 65 years`), for labels and messages.

A fact or derived value may declare a unit (`fact age: integer 16..120 unit "years"`). Wherever a
guard, a definition or a value is shown to a person, a number compared with such a value is shown
with its unit. The result is display text only: it is never parsed again, and DSL text that is
(`fmt`, scenarios, JSON) keeps bare numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any, Mapping

from . import ast


@dataclass(frozen=True)
class Measured:
    """A number shown with the unit of what it is compared with (display only; never evaluated)."""

    value: Any
    unit: str
    span: Any = None


def with_units(expr: ast.Expr, units: Mapping[str, str]) -> ast.Expr:
    """`expr` with each number compared with a value that has a unit marked with that unit."""
    return _mapped(expr, units) if units else expr


def derived_with_units(value: ast.Derived, units: Mapping[str, str]) -> ast.Derived:
    """A derived value's definition with units marked in every guard and outcome (a constant's number
    with its own unit: `high_urea = 7 mmol/L`)."""
    if not units:
        return value
    mapped = _mapped(value, units)
    return replace(mapped, cases=tuple(replace(c, outcome=_measured(c.outcome, value.unit)) for c in mapped.cases))


def unit_of(expr: ast.Expr, units: Mapping[str, str]) -> str | None:
    """The unit of a numeric expression: a name's declared unit, kept by negation, `if` and sums of
    values with the same unit (numbers in a sum take it); None where it has none or mixes units."""
    if isinstance(expr, ast.Ref):
        return units.get(expr.name)
    if isinstance(expr, ast.Neg):
        return unit_of(expr.operand, units)
    if isinstance(expr, ast.IfThenElse):
        found = {unit_of(expr.then, units), unit_of(expr.otherwise, units)}
        return found.pop() if len(found) == 1 else None
    if isinstance(expr, ast.Arith) and set(expr.operators) <= {"+", "-"}:
        found = {unit_of(part, units) for part in ast.children(expr) if _number(part) is None}
        return found.pop() if len(found) == 1 else None
    return None


def _number(expr: Any) -> Any:
    """The value of a number written in the text (possibly negated); None for anything else."""
    if isinstance(expr, ast.Literal) and not isinstance(expr.value, bool):
        return expr.value
    if isinstance(expr, ast.Neg):
        inner = _number(expr.operand)
        return None if inner is None else -inner
    return None


def _measured(expr: Any, unit: str | None) -> Any:
    """A number with the unit it is compared against; anything else unchanged."""
    value = _number(expr)
    return expr if unit is None or value is None else Measured(value, unit, expr.span)


def _mapped(node: Any, units: Mapping[str, str]) -> Any:
    """A node with its parts mapped; the numbers of comparisons and numeric sets measured."""
    if isinstance(node, ast.Compare):
        left, right = _mapped(node.left, units), _mapped(node.right, units)
        return replace(node, left=_measured(left, unit_of(node.right, units)),
                       right=_measured(right, unit_of(node.left, units)))
    if isinstance(node, ast.InSet):
        unit = unit_of(node.operand, units)
        return replace(node, operand=_mapped(node.operand, units),
                       items=tuple(_measured(item, unit) for item in node.items))
    if not is_dataclass(node) or isinstance(node, (ast.Literal, ast.Ref, ast.Symbol, ast.Duration)):
        return node
    changes = {f.name: _part(getattr(node, f.name), units) for f in fields(node) if f.name != "span"}
    return replace(node, **changes)


def _part(value: Any, units: Mapping[str, str]) -> Any:
    """A field of a node: nodes and tuples of nodes mapped, anything else as it is."""
    if isinstance(value, tuple):
        return tuple(_part(item, units) for item in value)
    return _mapped(value, units) if is_dataclass(value) else value
