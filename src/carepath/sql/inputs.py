"""Stage 3 in SQL: reading a fact column as the executor reads a case's value, or saying why not.

A number fact becomes an exact DECIMAL: an integer fact with no decimals, a number fact with
NUMBER_SCALE places, and as many integer digits as its declared range needs (UNBOUNDED_DIGITS
without a range). A value that does not fit its fact (wrong kind, out of range, more decimal
places than SQL reads exactly) gives the row a message, as `run --batch` gives its line errors.
"""
from __future__ import annotations

from dataclasses import dataclass
from sqlglot import exp

from ..syntax import ast
from ..syntax.printer import number
from .terms import Value, paren
from .values import Dec, Number, Scalar, cast_to, decimal_text, exact

NUMBER_SCALE = 6
UNBOUNDED_DIGITS = {ast.IntegerType: 18, ast.NumberType: 12}
READ_SCALE = 9  # values are read this wide first, to see digits past NUMBER_SCALE
WIDE = exp.DataType.build(f"DECIMAL(38, {READ_SCALE})")


@dataclass(frozen=True)
class FactColumn:
    """A fact's column read for SQL: the typed value and the message when the value does not fit."""

    value: exp.Expression
    problem: exp.Expression | None


def column_kind(type_: exp.DataType | None) -> str | int | None:
    """What a source column's SQL type says about reading it: "boolean", "text", the scale of an
    exact number (0 for integers), or None when every value must be converted and checked."""
    if type_ is None:
        return None
    if type_.is_type(*exp.DataType.INTEGER_TYPES):
        return 0
    if type_.is_type(exp.DataType.Type.DECIMAL):
        params = type_.expressions
        return int(params[1].this.this) if len(params) > 1 else 0
    if type_.is_type(exp.DataType.Type.BOOLEAN):
        return "boolean"
    return "text" if type_.is_type(*exp.DataType.TEXT_TYPES) else None


def read_fact(fact: ast.Fact, column: exp.Expression, kind: str | int | None = None) -> FactColumn:
    """The typed value of a fact's column and the problem with a value that does not fit; `kind`
    (from column_kind) spares the conversions a typed column does not need."""
    if isinstance(fact.type, ast.BooleanType):
        if kind == "boolean":
            return FactColumn(column, None)
        value = exp.TryCast(this=column, to=exp.DataType.build("BOOLEAN"))
        return FactColumn(value, _when(_lost(column, value), fact, "expected true or false, got ", column))
    if isinstance(fact.type, ast.EnumType):
        value = column if kind == "text" else exp.TryCast(this=column, to=exp.DataType.build("VARCHAR"))
        allowed = exp.In(this=value, expressions=[exp.Literal.string(v) for v in fact.type.values])
        wrong = exp.And(this=exp.Not(this=exp.Is(this=value, expression=exp.Null())),
                        expression=exp.Not(this=exp.Paren(this=allowed)))
        return FactColumn(value, _when(wrong, fact, f"expected one of {', '.join(fact.type.values)}, got ", column))
    return _read_number(fact, column, isinstance(kind, int) and kind <= decimal_type(fact.type)[1])


def fact_value(fact: ast.Fact, column: exp.Expression) -> Value:
    """The value of a typed fact column in terms of the DSL's operators."""
    if isinstance(fact.type, (ast.BooleanType, ast.EnumType)):
        return Scalar(column)
    precision, scale = decimal_type(fact.type)
    return Number(Dec(column, precision, scale))


def decimal_type(type_: ast.IntegerType | ast.NumberType) -> tuple[int, int]:
    """The DECIMAL(precision, scale) that holds every value of a number type exactly."""
    scale = 0 if isinstance(type_, ast.IntegerType) else NUMBER_SCALE
    if type_.low is None:
        return UNBOUNDED_DIGITS[type(type_)] + scale, scale
    widest = max(abs(int(exact(type_.low))), abs(int(exact(type_.high))))
    return len(str(widest)) + scale, scale


def _read_number(fact: ast.Fact, column: exp.Expression, exact_column: bool) -> FactColumn:
    """A number column read wide and checked (or, when `exact_column` holds no more places than
    the fact's, only checked against the range), then cast to the fact's exact DECIMAL."""
    wide = column if exact_column else exp.TryCast(this=column, to=WIDE.copy())
    precision, scale = decimal_type(fact.type)
    integer = isinstance(fact.type, ast.IntegerType)
    checks = []
    if not exact_column:
        checks.append((_lost(column, wide), f"expected {'an integer' if integer else 'a number'}, got ", ""))
        rounded = cast_to(wide.copy(), f"DECIMAL(38, {scale})")
        checks.append((exp.NEQ(this=wide.copy(), expression=rounded),
                       "expected a whole number, got " if integer else "",
                       "" if integer else f" has more than {NUMBER_SCALE} decimal places, the most read exactly in SQL"))
    if fact.type.low is None:
        limit = exp.Literal.number(10 ** (precision - scale))
        checks.append((exp.GTE(this=exp.Abs(this=wide.copy()), expression=limit), "",
                       f" has more than {precision - scale} integer digits, the most read in SQL"))
    else:
        low, high = (exp.Literal.number(decimal_text(exact(v))) for v in (fact.type.low, fact.type.high))
        outside = exp.Or(this=exp.LT(this=wide.copy(), expression=low), expression=exp.GT(this=wide.copy(), expression=high))
        checks.append((outside, "", f" is outside the declared range {number(fact.type.low)}..{number(fact.type.high)}"))
    problem = exp.Case(ifs=[exp.If(this=test, true=_message(fact, before, column, after)) for test, before, after in checks])
    value = exp.TryCast(this=wide.copy(), to=exp.DataType.build(f"DECIMAL({precision}, {scale})"))
    return FactColumn(value, problem)


def _lost(column: exp.Expression, value: exp.Expression) -> exp.Expression:
    """TRUE when a column holds a value that did not convert."""
    return exp.And(this=exp.Not(this=exp.Is(this=paren(column), expression=exp.Null())),
                   expression=exp.Is(this=paren(value), expression=exp.Null()))


def _when(test: exp.Expression, fact: ast.Fact, before: str, column: exp.Expression) -> exp.Expression:
    """The message for a value that fails `test`."""
    return exp.Case(ifs=[exp.If(this=test, true=_message(fact, before, column, ""))])


def _message(fact: ast.Fact, before: str, column: exp.Expression, after: str) -> exp.Expression:
    """`fact `name`: <before><the value><after>`, as the executor words it."""
    shown = cast_to(column.copy(), "VARCHAR")
    parts = [exp.Literal.string(f"fact `{fact.name}`: {before}"), shown] + ([exp.Literal.string(after)] if after else [])
    return exp.Concat(expressions=parts, safe=True, coalesce=False)
