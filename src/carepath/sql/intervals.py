"""Stage 3 in SQL: comparisons decided on intervals, rule for rule as carepath.expr.intervals decides them.

An interval is two Numbers, the least and the most an expression can be for the row; a NULL end
is unbounded. A score's undecided criteria count their negative points at the least end and their
positive points at the most; a sum, difference, negation or multiplication by a literal combines
intervals; a missing fact with a declared range lies in it; an `if` whose condition is undecided
spans both outcomes (unbounded when either outcome would fail). A comparison is TRUE when every
pair of values in the two intervals satisfies it, FALSE when none does, else NULL (undecided).
"""
from __future__ import annotations

from functools import singledispatch
from typing import Callable

from sqlglot import exp

from ..expr.intervals import chain_bounds, literal_factor
from ..syntax import ast
from .terms import Names, is_null, is_true, select, weighted_sum
from .values import Number, all_of, any_of, exact

Bounds = tuple[Number, Number]  # (least, most); a NULL end is unbounded


def _below(a: Number, b: Number, strict: bool) -> exp.Expression:
    """a < b (or a <= b) for two ends, FALSE whenever either is unbounded (NULL)."""
    return is_true(a < b if strict else a <= b)


def _apart(a: Bounds, b: Bounds) -> exp.Expression:
    """Every value of a lies below every value of b, or above."""
    return any_of([_below(a[1], b[0], True), _below(b[1], a[0], True)])


def _single(a: Bounds, b: Bounds) -> exp.Expression:
    """Both intervals are the same single number."""
    return all_of([is_true(a[0] == a[1]), is_true(a[1] == b[0]), is_true(b[0] == b[1])])


# For each operator: (always holds, never holds) over two intervals, the executor's DECIDED table.
DECIDED: dict[str, Callable[[Bounds, Bounds], tuple[exp.Expression, exp.Expression]]] = {
    "<": lambda a, b: (_below(a[1], b[0], True), _below(b[1], a[0], False)),
    "<=": lambda a, b: (_below(a[1], b[0], False), _below(b[1], a[0], True)),
    ">": lambda a, b: (_below(b[1], a[0], True), _below(a[1], b[0], False)),
    ">=": lambda a, b: (_below(b[1], a[0], False), _below(a[1], b[0], True)),
    "==": lambda a, b: (_single(a, b), _apart(a, b)),
    "!=": lambda a, b: (_apart(a, b), _single(a, b)),
}


def decide(op: str, left: Bounds, right: Bounds) -> exp.Expression:
    """TRUE when the comparison holds for every value of both intervals, FALSE for none, else NULL."""
    always, never = DECIDED[op](left, right)
    return exp.Case(ifs=[exp.If(this=always, true=exp.true()), exp.If(this=never, true=exp.false())],
                    default=exp.Null())


@singledispatch
def bounds(expr, names: Names) -> Bounds:
    """The interval of a numeric expression for the row: the value itself when known; a missing fact's
    declared range; else unbounded."""
    value = names.compile(expr).value
    fact = names.scope.facts.get(expr.name) if isinstance(expr, ast.Ref) else None
    type_ = fact.type if fact is not None else None
    if isinstance(type_, (ast.IntegerType, ast.NumberType)) and type_.low is not None:
        return tuple(select([(value.known(), value)], Number.of(exact(end))) for end in (type_.low, type_.high))
    return value, value


def _weighted(expr: ast.Points | ast.Count, names: Names) -> Bounds:
    """Known points exactly, each undecided criterion between min(points, 0) and max(points, 0)."""
    parts = [(points, names.compile(guard)) for points, guard in ast.weighted(expr)]
    return weighted_sum(parts, lambda points: min(points, 0)), weighted_sum(parts, lambda points: max(points, 0))


bounds.register(ast.Points, _weighted)
bounds.register(ast.Count, _weighted)


@bounds.register
def _(expr: ast.Ref, names: Names) -> Bounds:
    if expr.name not in names.bounded:
        return bounds.dispatch(object)(expr, names)
    if expr.name in names.bounds:
        return names.bounds[expr.name]
    return derived_bounds(expr.name, names.compile(expr), names)


def derived_bounds(name: str, term, names: Names) -> Bounds:
    """The interval of a derived value decided on intervals: its value when known, else its expression's."""
    inner = bounds(names.scope.derived_ast[name].cases[0].outcome, names)
    return tuple(select([(term.value.known(), term.value)], end) for end in inner)


@bounds.register
def _(expr: ast.IfThenElse, names: Names) -> Bounds:
    condition = names.compile(expr.condition).value.sql
    then, otherwise = bounds(expr.then, names), bounds(expr.otherwise, names)
    failing = [term.error for term in (names.compile(expr.then), names.compile(expr.otherwise)) if term.error is not None]
    dirty = any_of([exp.Not(this=is_null(error)) for error in failing]) if failing else exp.false()
    hull = []
    for a, b, lower in ((then[0], otherwise[0], True), (then[1], otherwise[1], False)):
        unbounded = any_of([dirty, exp.Not(this=exp.Paren(this=a.known())), exp.Not(this=exp.Paren(this=b.known()))])
        hull.append(select([(unbounded, None), (is_true(a <= b if lower else a >= b), a)], b))
    return tuple(select([(is_null(condition), whole), (condition, chosen)], other)
                 for whole, chosen, other in zip(hull, then, otherwise))


@bounds.register
def _(expr: ast.Neg, names: Names) -> Bounds:
    return _scaled(bounds(expr.operand, names), -1)


@bounds.register
def _(expr: ast.Arith, names: Names) -> Bounds:
    return chain_bounds(expr, lambda e: bounds.dispatch(object)(e, names), lambda e: bounds(e, names),
                        lambda index, before: _step(expr, index, before, names))


def _step(expr: ast.Arith, index: int, before: Bounds, names: Names) -> Bounds:
    """The interval of the chain up to operand `index` from that of the chain before it (the executor's
    rule; dates are day numbers here, so their ends add and subtract as numbers)."""
    op = expr.operators[index - 1]
    if op == "*":
        factor, other = literal_factor(expr, index)
        return _scaled(before if other is None else bounds(other, names), factor)
    right = bounds(expr.operands[index], names)
    if op == "-":
        return before[0] - right[1], before[1] - right[0]
    return before[0] + right[0], before[1] + right[1]


def _scaled(interval: Bounds, factor) -> Bounds:
    """An interval multiplied by a known number (ends swap when it is negative)."""
    constant = Number.of(exact(factor))
    low, high = interval[0] * constant, interval[1] * constant
    return (low, high) if factor >= 0 else (high, low)
