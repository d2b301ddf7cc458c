"""Stage 4, the solver encoding: the executor's interval comparisons (carepath.expr.intervals) as z3 terms.

An interval is (low is finite, low, high is finite, high), the ends as z3 reals. Each rule here
is the executor's rule for the same construct, so a comparison is decided for exactly the cases
where a run decides it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import singledispatch

import z3

from ..syntax import ast


@dataclass(frozen=True)
class Bounds:
    """The least and most an expression can be; an end that is not finite is unbounded."""

    low_finite: z3.BoolRef
    low: z3.ArithRef
    high_finite: z3.BoolRef
    high: z3.ArithRef


def _real(term: z3.ArithRef) -> z3.ArithRef:
    """A term as a real."""
    return z3.ToReal(term) if z3.is_int(term) else term


def _below(a_finite, a, b_finite, b, strict: bool) -> z3.BoolRef:
    """a < b (or a <= b) for two ends, false whenever either is unbounded."""
    return z3.And(a_finite, b_finite, a < b if strict else a <= b)


def _apart(a: Bounds, b: Bounds) -> z3.BoolRef:
    """Every value of a lies below every value of b, or above."""
    return z3.Or(_below(a.high_finite, a.high, b.low_finite, b.low, True),
                 _below(b.high_finite, b.high, a.low_finite, a.low, True))


def _single(a: Bounds, b: Bounds) -> z3.BoolRef:
    """Both intervals are the same single number."""
    return z3.And(a.low_finite, a.high_finite, b.low_finite, b.high_finite, a.low == a.high, a.high == b.low,
                  b.low == b.high)


def decided(op: str, a: Bounds, b: Bounds) -> tuple[z3.BoolRef, z3.BoolRef]:
    """(op holds for every pair of values, op holds for none), as the executor's DECIDED table."""
    lt = lambda x, y, strict: _below(x.high_finite, x.high, y.low_finite, y.low, strict)  # noqa: E731
    gt = lambda x, y, strict: _below(y.high_finite, y.high, x.low_finite, x.low, strict)  # noqa: E731
    table = {"<": (lt(a, b, True), gt(a, b, False)), "<=": (lt(a, b, False), gt(a, b, True)),
             ">": (gt(a, b, True), lt(a, b, False)), ">=": (gt(a, b, False), lt(a, b, True)),
             "==": (_single(a, b), _apart(a, b)), "!=": (_apart(a, b), _single(a, b))}
    return table[op]


def _point_or(term, unknown: Bounds) -> Bounds:
    """The value itself where the term is defined, else the given interval."""
    value = _real(term.value)
    yes = z3.BoolVal(True, value.ctx)
    return Bounds(z3.Or(term.defined, unknown.low_finite), z3.If(term.defined, value, unknown.low),
                  z3.Or(term.defined, unknown.high_finite), z3.If(term.defined, value, unknown.high)) \
        if not z3.is_true(term.defined) else Bounds(yes, value, yes, value)


def _unbounded(ctx) -> Bounds:
    """An interval with no finite end."""
    no, zero = z3.BoolVal(False, ctx), z3.RealVal(0, ctx)
    return Bounds(no, zero, no, zero)


@singledispatch
def bounds_of(expr, encoding) -> Bounds:
    """The interval of a numeric expression for the solver (the executor's interval_of)."""
    from .terms import number_value as _number, term as _term

    term = _term(expr, encoding, None)
    fact = encoding.pathway.facts.get(expr.name) if isinstance(expr, ast.Ref) else None
    type_ = fact.type if fact is not None else None
    if isinstance(type_, (ast.IntegerType, ast.NumberType)) and type_.low is not None:
        yes = encoding.true
        unknown = Bounds(yes, _real(_number(type_.low, encoding.ctx)), yes, _real(_number(type_.high, encoding.ctx)))
    else:
        unknown = _unbounded(encoding.ctx)
    return _point_or(term, unknown)


def _weighted(expr: ast.Points | ast.Count, encoding) -> Bounds:
    """Known points exactly, each undecided criterion between min(points, 0) and max(points, 0)."""
    from .terms import number_value as _number, term as _term

    low, high = [], []
    for points, guard in ast.weighted(expr):
        term = _term(guard, encoding, None)
        value, zero = _real(_number(points, encoding.ctx)), z3.RealVal(0, encoding.ctx)
        known = z3.If(term.value, value, zero)
        low.append(z3.If(term.defined, known, value if points < 0 else zero))
        high.append(z3.If(term.defined, known, value if points > 0 else zero))
    yes = encoding.true
    return Bounds(yes, z3.Sum(low), yes, z3.Sum(high))


bounds_of.register(ast.Points, _weighted)
bounds_of.register(ast.Count, _weighted)


@bounds_of.register
def _(expr: ast.Ref, encoding) -> Bounds:
    if expr.name not in encoding.bounded:
        return bounds_of.dispatch(object)(expr, encoding)
    outcome = encoding.pathway.derived[expr.name].cases[0].outcome
    return _point_or(encoding.derived[expr.name], bounds_of(outcome, encoding))


def _scaled(bounds: Bounds, factor) -> Bounds:
    """An interval multiplied by a known number (ends swap when it is negative)."""
    from .terms import number_value as _number

    constant = _real(_number(factor, bounds.low.ctx))
    low, high = bounds.low * constant, bounds.high * constant
    if factor >= 0:
        return Bounds(bounds.low_finite, low, bounds.high_finite, high)
    return Bounds(bounds.high_finite, high, bounds.low_finite, low)


@bounds_of.register
def _(expr: ast.IfThenElse, encoding) -> Bounds:
    from .terms import term as _term

    condition = _term(expr.condition, encoding, None)
    then, otherwise = bounds_of(expr.then, encoding), bounds_of(expr.otherwise, encoding)
    clean = z3.And(z3.Not(_term(expr.then, encoding, None).fault), z3.Not(_term(expr.otherwise, encoding, None).fault))
    hull = Bounds(z3.And(clean, then.low_finite, otherwise.low_finite), z3.If(then.low <= otherwise.low, then.low,
                                                                             otherwise.low),
                  z3.And(clean, then.high_finite, otherwise.high_finite), z3.If(then.high >= otherwise.high, then.high,
                                                                               otherwise.high))
    pick = [z3.If(condition.value, a, b) for a, b in zip(_parts(then), _parts(otherwise))]
    return Bounds(*(z3.If(condition.defined, chosen, whole) for chosen, whole in zip(pick, _parts(hull))))


def _parts(bounds: Bounds) -> tuple:
    """The four parts of an interval, in field order."""
    return (bounds.low_finite, bounds.low, bounds.high_finite, bounds.high)


@bounds_of.register
def _(expr: ast.Neg, encoding) -> Bounds:
    return _scaled(bounds_of(expr.operand, encoding), -1)


@bounds_of.register
def _(expr: ast.Arith, encoding) -> Bounds:
    from ..expr.intervals import chain_bounds

    return chain_bounds(expr, lambda e: bounds_of.dispatch(object)(e, encoding), lambda e: bounds_of(e, encoding),
                        lambda index, a: _step(expr, index, a, encoding))


def _step(expr: ast.Arith, index: int, a: Bounds, encoding) -> Bounds:
    """The interval of the chain up to operand `index` from that of the chain before it (the executor's rule)."""
    from ..expr.intervals import literal_factor

    op = expr.operators[index - 1]
    if op == "*":
        factor, other = literal_factor(expr, index)
        return _scaled(a if other is None else bounds_of(other, encoding), factor)
    b = bounds_of(expr.operands[index], encoding)
    if op == "-":
        b = _scaled(b, -1)
    return Bounds(z3.And(a.low_finite, b.low_finite), a.low + b.low, z3.And(a.high_finite, b.high_finite),
                  a.high + b.high)
