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
READ_SCALE = 9  # values are read with this many places first, to see digits past NUMBER_SCALE
NARROW_DIGITS = 18  # a DECIMAL this wide is a 64-bit integer to DuckDB, several times faster than 38


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


def needs_reading(fact: ast.Fact, kind: str | int | None) -> bool:
    """Whether a number fact's column must be converted (read wide) before it is checked."""
    return isinstance(fact.type, (ast.IntegerType, ast.NumberType)) and not (
        isinstance(kind, int) and kind <= decimal_type(fact.type)[1])


def read_wide(fact: ast.Fact, column: exp.Expression) -> exp.Expression:
    """A number column converted wide enough to see digits past NUMBER_SCALE (NULL if it does not
    convert, or is far outside a declared range)."""
    return exp.TryCast(this=column, to=exp.DataType.build(f"DECIMAL({_wide_digits(fact)}, {READ_SCALE})"))


def _wide_digits(fact: ast.Fact) -> int:
    """The precision a fact's column is read at: 64-bit when its range leaves room, else 38."""
    precision, scale = decimal_type(fact.type)
    return NARROW_DIGITS if fact.type.low is not None and precision - scale + READ_SCALE <= NARROW_DIGITS else 38


def read_fact(fact: ast.Fact, column: exp.Expression, kind: str | int | None = None,
              wide: exp.Expression | None = None) -> FactColumn:
    """The typed value of a fact's column and the problem with a value that does not fit; `kind`
    (from column_kind) spares the conversions a typed column does not need, and `wide` is the
    column's read_wide, computed once beforehand."""
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
    return _read_number(fact, column, wide if needs_reading(fact, kind) else None)


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


def _read_number(fact: ast.Fact, column: exp.Expression, wide: exp.Expression | None) -> FactColumn:
    """A number column checked and cast to the fact's exact DECIMAL: its `wide` reading (None for
    a column that holds no more places than the fact's, and needs only the range checked)."""
    exact_column = wide is None
    wide = column if exact_column else wide
    precision, scale = decimal_type(fact.type)
    integer = isinstance(fact.type, ast.IntegerType)
    checks = []
    if not exact_column:
        within = "" if fact.type.low is None else f" in {number(fact.type.low)}..{number(fact.type.high)}"
        checks.append((_lost(column, wide), f"expected {'an integer' if integer else 'a number'}{within}, got ", ""))
        rounded = cast_to(wide.copy(), f"DECIMAL({_wide_digits(fact)}, {scale})")
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
