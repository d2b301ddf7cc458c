"""Stage 3 in SQL: guard expressions compiled to sqlglot trees with the executor's meaning.

Each expression becomes a Term: its value (SQL NULL where the executor computes UNKNOWN; SQL's
AND, OR and NOT are Kleene's, as the executor's are) and the message of the error its evaluation
raises (a division by zero, a derived value with no case that holds), or NULL. Errors follow the
executor's order of evaluation: left to right, `and`/`or` stopping at the operand that decides.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import singledispatch
from typing import Mapping

from sqlglot import exp

from ..errors import Span
from ..expr import ARITHMETIC, COMPARISONS
from ..syntax import ast
from .values import Number, Scalar, TooWide, exact, paren

Value = Scalar | Number


@dataclass(frozen=True)
class Term:
    """An expression in SQL: its value (NULL when unknown) and its error message (NULL if none)."""

    value: Value
    error: exp.Expression | None = None


class Names:
    """What names mean in SQL: facts and derived values as columns of the row."""

    def __init__(self, facts: Mapping[str, Value], derived: Mapping[str, Term]):
        self.facts = facts
        self.derived = derived

    def compile(self, expr: ast.Expr) -> Term:
        """The SQL for an expression."""
        return _compile(expr, self)


def message(text: str, span: Span | None) -> exp.Expression:
    """An error message as a SQL string, located like every carepath diagnostic."""
    return exp.Literal.string(f"{span.location()}: {text}" if span else text)


def first_error(*errors: exp.Expression | None) -> exp.Expression | None:
    """The first of several errors met in order (None where none can occur)."""
    found = [e for e in errors if e is not None]
    if len(found) <= 1:
        return found[0] if found else None
    return exp.Coalesce(this=found[0], expressions=found[1:])


def error_if(condition: exp.Expression, error: exp.Expression | None) -> exp.Expression | None:
    """`error` when `condition` is TRUE (not FALSE, not NULL)."""
    if error is None:
        return None
    return exp.Case(ifs=[exp.If(this=condition, true=error)])


def error_unless(condition: exp.Expression, error: exp.Expression | None) -> exp.Expression | None:
    """`error` unless `condition` is TRUE: what evaluating on after a test that may decide raises."""
    if error is None:
        return None
    return exp.Case(ifs=[exp.If(this=condition, true=exp.Null())], default=error)


def is_true(value: exp.Expression) -> exp.Expression:
    """TRUE when a boolean is TRUE, else FALSE (never NULL)."""
    return exp.Coalesce(this=paren(value), expressions=[exp.false()])


def is_false(value: exp.Expression) -> exp.Expression:
    """TRUE when a boolean is FALSE, else FALSE (never NULL)."""
    return exp.Coalesce(this=exp.Not(this=paren(value)), expressions=[exp.false()])


def is_null(value: exp.Expression) -> exp.Expression:
    """TRUE when a value is NULL (unknown)."""
    return exp.Is(this=paren(value), expression=exp.Null())


@singledispatch
def _compile(expr, names: Names) -> Term:
    raise TypeError(f"not an expression: {expr!r}")


@_compile.register
def _(expr: ast.Ref, names: Names) -> Term:
    if expr.name in names.derived:
        return names.derived[expr.name]
    return Term(names.facts[expr.name])


@_compile.register
def _(expr: ast.Literal, names: Names) -> Term:
    if isinstance(expr.value, bool):
        return Term(Scalar(exp.true() if expr.value else exp.false()))
    return Term(Number.of(exact(expr.value)))


@_compile.register
def _(expr: ast.Symbol, names: Names) -> Term:
    return Term(Scalar(exp.Literal.string(expr.name)))


@_compile.register
def _(expr: ast.Neg, names: Names) -> Term:
    inner = names.compile(expr.operand)
    return Term(-inner.value, inner.error)


@_compile.register
def _(expr: ast.Arith, names: Names) -> Term:
    operands = [names.compile(operand) for operand in expr.operands]
    if not ast.sums(expr.operators[0]):
        return _product(expr, operands)
    try:
        return Term(_sum([o.value for o in operands], expr.operators), first_error(*(o.error for o in operands)))
    except TooWide as exc:
        raise TooWide(exc.args[0], expr.span) from None


def _sum(values: list[Number], operators: tuple[str, ...]) -> Number:
    """A chain of `+` and `-` as a balanced tree of additions: exact decimals add in any grouping, and
    its depth (which SQL engines limit: DuckDB to 1,000) and its digits grow with the logarithm of its length."""
    def signed(low: int, high: int) -> tuple[bool, Number]:
        """(negated, value) of the terms low..high-1, each with the sign of the operator before it."""
        if high - low == 1:
            return low > 0 and operators[low - 1] == "-", values[low]
        middle = (low + high) // 2
        (left_negated, left), (right_negated, right) = signed(low, middle), signed(middle, high)
        return left_negated, (left - right if left_negated != right_negated else left + right)

    return signed(0, len(values))[1]


def _product(expr: ast.Arith, operands: list[Term]) -> Term:
    """A chain of `*` and `/` left to right; a divisor of 0, after a known dividend, is located at its division."""
    value, errors = operands[0].value, [operands[0].error]
    for index, (op, right) in enumerate(zip(expr.operators, operands[1:]), 1):
        errors.append(right.error)
        if op == "/" and not isinstance(expr.operands[index], ast.Literal):  # a literal divisor is never 0
            zero = exp.And(this=value.known(), expression=right.value.is_zero())
            errors.append(error_if(zero, message("division by zero for this case", ast.arith_prefix(expr, index).span)))
        try:
            value = ARITHMETIC[op](value, right.value)
        except TooWide as exc:
            raise TooWide(exc.args[0], ast.arith_prefix(expr, index).span) from None
    return Term(value, first_error(*errors))


@_compile.register
def _(expr: ast.Compare, names: Names) -> Term:
    left, right = names.compile(expr.left), names.compile(expr.right)
    return Term(Scalar(COMPARISONS[expr.op](left.value, right.value)), first_error(left.error, right.error))


@_compile.register
def _(expr: ast.Presence, names: Names) -> Term:
    inner = names.compile(expr.operand)
    known = inner.value.known()
    return Term(Scalar(known if expr.present else exp.Not(this=exp.Paren(this=known))), inner.error)


@_compile.register
def _(expr: ast.IsValue, names: Names) -> Term:
    inner = names.compile(expr.operand)
    target = Scalar(exp.Literal.string(expr.value.name))
    return Term(Scalar(inner.value != target if expr.negated else inner.value == target), inner.error)


@_compile.register
def _(expr: ast.InSet, names: Names) -> Term:
    inner = names.compile(expr.operand)
    items = [names.compile(item).value for item in expr.items]
    if isinstance(inner.value, Number):
        member = _any([inner.value == item for item in items])
    else:
        member = exp.In(this=paren(inner.value.sql), expressions=[item.sql for item in items])
    return Term(Scalar(exp.Not(this=exp.Paren(this=member)) if expr.negated else member), inner.error)


def _any(tests: list[exp.Expression]) -> exp.Expression:
    """The SQL OR of one or more tests, in parentheses."""
    joined = tests[0]
    for test in tests[1:]:
        joined = exp.Or(this=joined, expression=test)
    return exp.Paren(this=joined)


@_compile.register
def _(expr: ast.Not, names: Names) -> Term:
    inner = names.compile(expr.operand)
    return Term(Scalar(exp.Not(this=paren(inner.value.sql))), inner.error)


@_compile.register
def _(expr: ast.And, names: Names) -> Term:
    return _junction([names.compile(op) for op in expr.operands], exp.And, is_false)


@_compile.register
def _(expr: ast.Or, names: Names) -> Term:
    return _junction([names.compile(op) for op in expr.operands], exp.Or, is_true)


def _junction(operands: list[Term], kind: type, decides) -> Term:
    """`and` or `or` of the operands: SQL's Kleene value; an operand's error counts only when no
    operand before it decided (`decides`: FALSE for `and`, TRUE for `or`)."""
    value = paren(operands[0].value.sql)
    for operand in operands[1:]:
        value = kind(this=value, expression=paren(operand.value.sql))
    error = None
    for operand in reversed(operands):
        error = first_error(operand.error, error_unless(decides(operand.value.sql), error)) \
            if error is not None else operand.error
    return Term(Scalar(exp.Paren(this=value)), error)
