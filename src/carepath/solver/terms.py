"""Stage 4, the solver encoding: an expression read as z3 terms, in the executor's evaluation order.

This is the solver's side of the AST's meaning; carepath.expr is the executor's, over the same
operator table. Each expression becomes a Term (defined, value, fault); `when` is the condition
under which a run evaluates the expression (None: never, as in an invariant's condition), which is
how each division knows when a run reaches it.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import singledispatch
from typing import TYPE_CHECKING

import z3

from ..expr import ARITHMETIC, COMPARISONS, has_interval
from ..expr.dates import months_apart
from ..syntax import ast
from .intervals import bounds_of, decided
from .logic import And, Not, Or

if TYPE_CHECKING:
    from . import Encoding


@dataclass(frozen=True)
class Term:
    """An expression for the solver: whether the runtime can decide it, its value, and whether evaluating it
    stops the run with a defect."""

    defined: z3.BoolRef
    value: z3.ExprRef
    fault: z3.BoolRef

    def holds(self) -> list[z3.BoolRef]:
        """Literals saying the expression is evaluated without a defect, decided and true."""
        return [self.defined, self.value, Not(self.fault)]

    def fails(self) -> list[z3.BoolRef]:
        """Literals saying the expression is evaluated without a defect, decided and false."""
        return [self.defined, Not(self.value), Not(self.fault)]

    def settles(self, decisive: bool) -> z3.BoolRef:
        """The operand of `and` (decisive False) or `or` (decisive True) decides the junction alone."""
        return And(self.defined, self.value if decisive else Not(self.value))


@dataclass(frozen=True)
class Division:
    """A division in the pathway (operand `index` of a chain divides what comes before it), and the
    condition under which a run evaluates it with divisor 0."""

    chain: ast.Arith
    index: int
    by_zero: z3.BoolRef

    @property
    def expr(self) -> ast.Expr:
        """The chain up to and with this division, as a message names it."""
        return ast.arith_prefix(self.chain, self.index)

    @property
    def divisor(self) -> ast.Expr:
        """The operand that divides."""
        return self.chain.operands[self.index]


def number_value(value: int | Fraction, ctx: z3.Context) -> z3.ArithRef:
    """A number as a solver constant, exactly (0.1 is one tenth)."""
    if isinstance(value, int):
        return z3.IntVal(value, ctx)
    return z3.Q(value.numerator, value.denominator, ctx)


def _real(value: z3.ArithRef) -> z3.ArithRef:
    """An arithmetic term as a real, so that `/` divides as the runtime does."""
    return z3.ToReal(value) if z3.is_int(value) else value


def _both(left: Term, right: Term) -> tuple[z3.BoolRef, z3.BoolRef]:
    """`defined` and `fault` of two operands evaluated one after the other."""
    return And(left.defined, right.defined), Or(left.fault, right.fault)


def term(expr: ast.Expr, encoding: "Encoding", when: z3.BoolRef | None) -> Term:
    """The solver's reading of an expression that a run evaluates under `when`."""
    return _term(expr, encoding, when)


# The registered readings leave `encoding` unannotated: singledispatch resolves every annotation.
@singledispatch
def _term(expr, encoding: "Encoding", when) -> Term:
    raise TypeError(f"not an expression: {expr!r}")


@_term.register
def _(expr: ast.Ref, encoding, when) -> Term:
    if expr.name in encoding.derived:
        encoding.read(expr.name, when)
        return encoding.derived[expr.name]
    return Term(encoding.present[expr.name], encoding.set_bits.get(expr.name, encoding.value[expr.name]),
                encoding.false)


@_term.register
def _(expr: ast.Literal, encoding, when) -> Term:
    value = expr.value
    constant = z3.BoolVal(value, encoding.ctx) if isinstance(value, bool) else number_value(value, encoding.ctx)
    return Term(encoding.true, constant, encoding.false)


@_term.register
def _(expr: ast.Symbol, encoding, when) -> Term:
    return Term(encoding.true, z3.IntVal(encoding.enum_index[expr.name], encoding.ctx), encoding.false)


@_term.register
def _(expr: ast.Neg, encoding, when) -> Term:
    inner = _term(expr.operand, encoding, when)
    return Term(inner.defined, -inner.value, inner.fault)


@_term.register
def _(expr: ast.Arith, encoding, when) -> Term:
    chain = _term(expr.operands[0], encoding, when)
    for index in range(1, len(expr.operands)):
        chain = _step(expr, index, chain, encoding, when)
    return chain


def _step(expr: ast.Arith, index: int, left: Term, encoding, when) -> Term:
    """The chain up to operand `index` from the chain before it: the operand is evaluated only when the
    chain before it did not stop the run, as the executor does."""
    op, operand = expr.operators[index - 1], expr.operands[index]
    if isinstance(operand, ast.Duration) and operand.months:
        return _month_shift(expr, index, left, encoding)
    right = _term(operand, encoding, None if when is None else And(when, Not(left.fault)))
    defined, fault = _both(left, right)
    if op != "/":
        return Term(defined, ARITHMETIC[op](left.value, right.value), fault)
    divisor = _real(right.value)
    by_zero = And(defined, Not(fault), divisor == 0)
    if when is not None and not isinstance(operand, ast.Literal):  # a literal divisor is never 0 (load error)
        encoding.divisions.append(Division(expr, index, encoding.literal(And(when, by_zero))))
    return Term(defined, ARITHMETIC["/"](_real(left.value), divisor), Or(fault, by_zero))


def _month_shift(expr: ast.Arith, index: int, left: Term, encoding) -> Term:
    """`date + N months` or `date - N months`, through the calendar."""
    from ..syntax.printer import show
    from .dates import shift_months

    amount = expr.operands[index].amount
    months = amount if expr.operators[index - 1] == "+" else -amount
    day = show(ast.arith_prefix(expr, index - 1))
    return Term(left.defined, shift_months(left.value, months, day, encoding), left.fault)


@_term.register
def _(expr: ast.Compare, encoding, when) -> Term:
    expr = months_apart(expr)
    left = _term(expr.left, encoding, when)
    right = _term(expr.right, encoding, None if when is None else And(when, Not(left.fault)))
    defined, fault = _both(left, right)
    if has_interval(expr.left, encoding.bounded) or has_interval(expr.right, encoding.bounded):
        always, never = decided(expr.op, bounds_of(expr.left, encoding), bounds_of(expr.right, encoding))
        return Term(Or(always, never), always, fault)
    return Term(defined, COMPARISONS[expr.op](left.value, right.value), fault)


def _weighted(expr: ast.Points | ast.Count, encoding, when) -> Term:
    """A score or a count: every criterion evaluated in order (each only if the ones before did not stop
    the run); defined when all are, the sum of the points of those that hold."""
    terms, going = [], when
    for _, guard in ast.weighted(expr):
        term = _term(guard, encoding, going)
        terms.append(term)
        if going is not None:
            going = And(going, Not(term.fault))
    points = [p for p, _ in ast.weighted(expr)]
    zero = number_value(0, encoding.ctx) if all(isinstance(p, int) for p in points) else z3.RealVal(0, encoding.ctx)
    total = z3.Sum([z3.If(t.value, number_value(p, encoding.ctx), zero) for p, t in zip(points, terms)])
    return Term(And([t.defined for t in terms]), total, Or([t.fault for t in terms] + [encoding.false]))


_term.register(ast.Points, _weighted)
_term.register(ast.Count, _weighted)


@_term.register
def _(expr: ast.IfThenElse, encoding, when) -> Term:
    condition = _term(expr.condition, encoding, when)
    taken = None if when is None else And(when, condition.defined, Not(condition.fault))
    then = _term(expr.then, encoding, None if taken is None else And(taken, condition.value))
    otherwise = _term(expr.otherwise, encoding, None if taken is None else And(taken, Not(condition.value)))
    a, b = then.value, otherwise.value
    if z3.is_arith(a) and (z3.is_real(a) or z3.is_real(b)):
        a, b = _real(a), _real(b)
    return Term(And(condition.defined, z3.If(condition.value, then.defined, otherwise.defined)),
                z3.If(condition.value, a, b),
                Or(condition.fault, And(condition.defined, z3.If(condition.value, then.fault, otherwise.fault))))


@_term.register
def _(expr: ast.Duration, encoding, when) -> Term:
    return Term(encoding.true, number_value(expr.days, encoding.ctx), encoding.false)


def _set_values(expr: ast.Expr, encoding: "Encoding") -> tuple[str, ...]:
    """The values of a set-typed expression, in the order of its type (bit i is value i)."""
    if isinstance(expr, ast.IfThenElse):
        return _set_values(expr.then, encoding)
    declared = encoding.pathway.facts.get(expr.name) or encoding.pathway.derived[expr.name]
    return declared.type.values


def _members(expr: ast.Expr, items, encoding: "Encoding", when) -> tuple[Term, list[z3.BoolRef]]:
    """A set's term and, for each item (or every value when items is None), the Boolean `it holds that value`."""
    inner, values = _term(expr, encoding, when), _set_values(expr, encoding)
    names = values if items is None else [item.name for item in items]
    one = z3.BitVecVal(1, 1, encoding.ctx)
    return inner, [z3.Extract(values.index(name), values.index(name), inner.value) == one for name in names]


@_term.register
def _(expr: ast.Has, encoding, when) -> Term:
    inner, bits = _members(expr.operand, expr.items, encoding, when)
    return Term(inner.defined, And(bits) if expr.mode == "all" else Or(bits), inner.fault)


@_term.register
def _(expr: ast.NumberOf, encoding, when) -> Term:
    inner, bits = _members(expr.operand, expr.items, encoding, when)
    one, zero = z3.IntVal(1, encoding.ctx), z3.IntVal(0, encoding.ctx)
    return Term(inner.defined, z3.Sum([z3.If(bit, one, zero) for bit in bits] + [zero]), inner.fault)


@_term.register
def _(expr: ast.Presence, encoding, when) -> Term:
    inner = _term(expr.operand, encoding, when)
    return Term(encoding.true, inner.defined if expr.present else Not(inner.defined), inner.fault)


@_term.register
def _(expr: ast.IsValue, encoding, when) -> Term:
    inner = _term(expr.operand, encoding, when)
    equal = inner.value == encoding.enum_index[expr.value.name]
    return Term(inner.defined, Not(equal) if expr.negated else equal, inner.fault)


@_term.register
def _(expr: ast.InSet, encoding, when) -> Term:
    inner = _term(expr.operand, encoding, when)
    member = Or([inner.value == _term(item, encoding, None).value for item in expr.items])
    return Term(inner.defined, Not(member) if expr.negated else member, inner.fault)


@_term.register
def _(expr: ast.Not, encoding, when) -> Term:
    inner = _term(expr.operand, encoding, when)
    return Term(inner.defined, Not(inner.value), inner.fault)


@_term.register
def _(expr: ast.And, encoding, when) -> Term:
    return _junction(expr.operands, encoding, when, decisive=False)


@_term.register
def _(expr: ast.Or, encoding, when) -> Term:
    return _junction(expr.operands, encoding, when, decisive=True)


def _junction(operands, encoding: "Encoding", when, decisive: bool) -> Term:
    """`and` (decisive False) or `or` (decisive True) as the executor evaluates it: operands in order,
    stopping at the first that settles it; any UNKNOWN otherwise makes it UNKNOWN."""
    terms, going = [], when
    for operand in operands:
        term = _term(operand, encoding, going)
        terms.append(term)
        if going is not None:
            going = And(going, Not(term.fault), Not(term.settles(decisive)))
    fault = encoding.false
    for term in reversed(terms):
        fault = Or(term.fault, And(Not(term.settles(decisive)), fault))
    settled = Or([t.settles(decisive) for t in terms])
    value = Or([t.value for t in terms]) if decisive else And([t.value for t in terms])
    return Term(Or(settled, And([t.defined for t in terms])), value, fault)
