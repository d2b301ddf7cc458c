"""Stage 3, execution: deciding comparisons on intervals, so a run never waits for data that cannot matter.

A score with undecided criteria lies between its known points plus the negative points of the
undecided ones and its known points plus their positive points; a sum, difference, negation or
multiplication by a literal of such values has the interval interval arithmetic gives it; a
missing fact with a declared range lies in its range; anything else unknown is unbounded. A
comparison with a score or a count in it is decided as soon as the two intervals decide it
(4 known CURB-65 points: `>= 3` holds whatever the urea), which is Kleene's logic for `and`/`or`
carried over to arithmetic. An `if` whose condition is undecided lies between the least and the
most of its two outcomes. Bounds are exact numbers; None is an unbounded end.
"""
from __future__ import annotations

import operator
from datetime import date, timedelta
from functools import singledispatch
from typing import Any, Callable

from ..errors import PathwayDefect
from ..syntax import ast
from . import UNKNOWN, Compiled, Env, Scope
from .numbers import normal

Bounds = tuple[Any, Any]  # (least, most); None is -infinity at the left, +infinity at the right
UNBOUNDED: Bounds = (None, None)


def point(value: Any) -> Bounds:
    """The interval of a known value."""
    return (value, value)


def _exact(value: Any) -> Any:
    """A bound in normal form (a whole Fraction as an int); None stays None."""
    return None if value is None else normal(value) if not isinstance(value, int) else value


def _scaled(bounds: Bounds, factor: Any) -> Bounds:
    """An interval multiplied by a known number (ends swap when it is negative)."""
    low, high = (None if b is None else _exact(b * factor) for b in bounds)
    return (low, high) if factor >= 0 else (high, low)


def _below(a: Any, b: Any, strict: bool) -> bool:
    """Whether a < b (or a <= b) for bounds, false whenever either is unbounded."""
    if a is None or b is None:
        return False
    return a < b if strict else a <= b


# For each operator: (always holds, never holds) over two intervals (left, right).
DECIDED: dict[str, Callable[[Bounds, Bounds], tuple[bool, bool]]] = {
    "<": lambda a, b: (_below(a[1], b[0], True), _below(b[1], a[0], False)),
    "<=": lambda a, b: (_below(a[1], b[0], False), _below(b[1], a[0], True)),
    ">": lambda a, b: (_below(b[1], a[0], True), _below(a[1], b[0], False)),
    ">=": lambda a, b: (_below(b[1], a[0], False), _below(a[1], b[0], True)),
    "==": lambda a, b: (_single(a, b), _below(a[1], b[0], True) or _below(b[1], a[0], True)),
    "!=": lambda a, b: (_below(a[1], b[0], True) or _below(b[1], a[0], True), _single(a, b)),
}


def _single(a: Bounds, b: Bounds) -> bool:
    """Whether both intervals are the same single number."""
    return a[0] is not None and a[0] == a[1] == b[0] == b[1]


def compare_intervals(op: str, left: Compiled, right: Compiled) -> Compiled:
    """A comparison decided when every value in the two intervals gives the same answer; else UNKNOWN."""
    decided = DECIDED[op]

    def compare(env: Env) -> Any:
        always, never = decided(left(env), right(env))
        return True if always else False if never else UNKNOWN

    return compare


@singledispatch
def interval_of(expr, scope: Scope) -> Compiled:
    """A closure giving (least, most) of a numeric expression for a case; the value itself when known."""
    value = scope.compile(expr)
    fact = scope.facts.get(expr.name) if isinstance(expr, ast.Ref) else None
    unknown = _declared(fact.type) if fact is not None else UNBOUNDED

    def bounds(env: Env) -> Bounds:
        got = value(env)
        return unknown if got is UNKNOWN else (got, got)

    return bounds


def _declared(type_: ast.Type) -> Bounds:
    """A missing fact's interval: its declared range, or unbounded."""
    if isinstance(type_, (ast.IntegerType, ast.NumberType)) and type_.low is not None:
        return (type_.low, type_.high)
    return UNBOUNDED


def _weighted(expr: ast.Points | ast.Count, scope: Scope) -> Compiled:
    """Known points exactly, each undecided criterion between min(points, 0) and max(points, 0)."""
    parts = [(points, min(points, 0), max(points, 0), scope.compile(guard)) for points, guard in ast.weighted(expr)]

    def bounds(env: Env) -> Bounds:
        low = high = 0
        for points, least, most, guard in parts:
            held = guard(env)
            if held is UNKNOWN:
                low, high = low + least, high + most
            elif held:
                low, high = low + points, high + points
        return (_exact(low), _exact(high))

    return bounds


interval_of.register(ast.Points, _weighted)
interval_of.register(ast.Count, _weighted)


@interval_of.register
def _(expr: ast.Ref, scope: Scope) -> Compiled:
    if expr.name not in scope.bounded:
        return interval_of.dispatch(object)(expr, scope)
    value, name = scope.compile(expr), expr.name

    def bounds(env: Env) -> Bounds:
        got = value(env)
        return scope.derived_interval(name)(env) if got is UNKNOWN else (got, got)

    return bounds


def derived_interval(name: str, scope: Scope) -> Compiled:
    """The interval of a derived value that is one expression: the interval of that expression."""
    return interval_of(scope.derived_ast[name].cases[0].outcome, scope)


@interval_of.register
def _(expr: ast.IfThenElse, scope: Scope) -> Compiled:
    condition, then, otherwise = scope.compile(expr.condition), interval_of(expr.then, scope), \
        interval_of(expr.otherwise, scope)

    def bounds(env: Env) -> Bounds:
        held = condition(env)
        if held is not UNKNOWN:
            return then(env) if held else otherwise(env)
        scratch = dict(env)  # a run evaluates neither branch here: nothing is kept, and a defect only widens
        try:
            a, b = then(scratch), otherwise(scratch)
        except PathwayDefect:
            return UNBOUNDED
        return (None if a[0] is None or b[0] is None else min(a[0], b[0]),
                None if a[1] is None or b[1] is None else max(a[1], b[1]))

    return bounds


@interval_of.register
def _(expr: ast.Neg, scope: Scope) -> Compiled:
    inner = interval_of(expr.operand, scope)

    def bounds(env: Env) -> Bounds:
        return _scaled(inner(env), -1)

    return bounds


@interval_of.register
def _(expr: ast.Arith, scope: Scope) -> Compiled:
    return chain_bounds(expr, lambda e: interval_of.dispatch(object)(e, scope), lambda e: interval_of(e, scope),
                        lambda index, left: _step(expr, index, left, scope))


def chain_bounds(expr: ast.Arith, value_only, interval, step):
    """The interval of a chain (a closure here, z3 bounds in the solver): from its last step without
    interval arithmetic (`value_only` of the chain up to it) or its first operand (`interval`), one
    `step(index, bounds before)` per operand after that."""
    start = last_reset(expr)
    bounds = value_only(ast.arith_prefix(expr, start)) if start else interval(expr.operands[0])
    for index in range(start + 1, len(expr.operands)):
        bounds = step(index, bounds)
    return bounds


def last_reset(expr: ast.Arith) -> int:
    """The last operand of a chain where interval arithmetic stops: the chain up to it has only its value
    (UNBOUNDED while unknown), as a calendar shift and a product with no literal factor have; 0 if none."""
    for index in range(len(expr.operands) - 1, 0, -1):
        op, right = expr.operators[index - 1], expr.operands[index]
        if isinstance(right, ast.Duration) and right.months:
            return index
        if op == "/" or (op == "*" and literal_factor(expr, index) is None):
            return index
    return 0


def literal_factor(expr: ast.Arith, index: int) -> tuple[Any, ast.Expr | None] | None:
    """(number, what it multiplies) of the product at operand `index` when one side is a numeric literal:
    the operand itself when the literal is the chain's first operand, None for the chain before it."""
    for mine, other in (((expr.operands[0], expr.operands[1]) if index == 1 else (None, None)),
                        (expr.operands[index], None)):
        if isinstance(mine, ast.Literal) and not isinstance(mine.value, bool):
            return mine.value, other
    return None


def _step(expr: ast.Arith, index: int, left: Compiled, scope: Scope) -> Compiled:
    """The interval of the chain up to operand `index` from that of the chain before it: a sum or
    difference, evaluated left then right as the value is (dates as day numbers), or a literal factor."""
    op = expr.operators[index - 1]
    if op == "*":
        factor, other = literal_factor(expr, index)
        inner = left if other is None else interval_of(other, scope)
        return lambda env: _scaled(inner(env), factor)
    right, minus = interval_of(expr.operands[index], scope), op == "-"

    def bounds(env: Env) -> Bounds:
        a, b = left(env), right(env)
        if minus:
            return (_combine(a[0], b[1], operator.sub), _combine(a[1], b[0], operator.sub))
        return (_combine(a[0], b[0], operator.add), _combine(a[1], b[1], operator.add))

    return bounds


def _combine(x: Any, y: Any, op) -> Any:
    """One end of a sum or difference: numbers exactly, dates by days (None: unbounded, or off the calendar)."""
    if x is None or y is None:
        return None
    if type(x) is date:
        try:
            return (x - y).days if type(y) is date else op(x, timedelta(days=y))
        except OverflowError:
            return None
    return _exact(op(x, y))
