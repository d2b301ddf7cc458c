"""Stage 3 in SQL: reading a fact column as the executor reads a case's value, or saying why not.

A number fact becomes an exact DECIMAL: an integer fact with no decimals, a number fact with
NUMBER_SCALE places, and as many integer digits as its declared range needs (UNBOUNDED_DIGITS
without a range). A value that does not fit its fact (wrong kind, out of range, more decimal
places than SQL reads exactly) gives the row a message, as `run --batch` gives its line errors.

A date fact is read from its ISO 8601 text (`2026-11-30`; a DATE column is read through its text)
into its day number (sql/dates.py); anything else (`30/11/2026`, `2026-02-30`, a time of day) is
an error for its row. A set fact is a list of the value names: a LIST/ARRAY column (Parquet, JSON
Lines, a DuckDB table), or, in text (CSV), the list written as in JSON, `["warfarin", "aspirin"]`
(the quotes may be left out: `[warfarin, aspirin]`; `[]` is the empty set, an empty cell missing).
A value the set type lacks, or one listed twice, is an error for its row.
"""
from __future__ import annotations

from dataclasses import dataclass
from sqlglot import exp

from ..syntax import ast
from ..syntax.printer import number
from .dates import DAY_DIGITS, day_number, days_in_month
from .terms import Value, paren
from .values import Dec, Day, Members, Number, Scalar, all_of, cast_to, decimal_text, exact, sum_of

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
    if type_.is_type(exp.DataType.Type.ARRAY) and type_.expressions and \
            type_.expressions[0].is_type(*exp.DataType.TEXT_TYPES):
        return "list"
    return "text" if type_.is_type(*exp.DataType.TEXT_TYPES) else None


def needs_reading(fact: ast.Fact, kind: str | int | None) -> bool:
    """Whether a fact's column must be converted (read wide) before it is checked: a number column
    with more places than the fact's, a date, a set written as text."""
    if isinstance(fact.type, ast.DateType):
        return True
    if isinstance(fact.type, ast.SetType):
        return kind != "list"
    return isinstance(fact.type, (ast.IntegerType, ast.NumberType)) and not (
        isinstance(kind, int) and kind <= decimal_type(fact.type)[1])


def read_wide(fact: ast.Fact, column: exp.Expression) -> exp.Expression:
    """A number column converted wide enough to see digits past NUMBER_SCALE (NULL if it does not
    convert, or is far outside a declared range); a date's day number; a set's list read from text."""
    if isinstance(fact.type, ast.DateType):
        return _day_of(_text(column))
    if isinstance(fact.type, ast.SetType):
        return _list_of(_text(column))
    return exp.TryCast(this=column, to=exp.DataType.build(f"DECIMAL({_wide_digits(fact)}, {READ_SCALE})"))


ISO_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
LIST_TEXT = r"^\[([A-Za-z_][A-Za-z0-9_]*(,[A-Za-z_][A-Za-z0-9_]*)*)?\]$"


def _text(column: exp.Expression) -> exp.Expression:
    """A column's value as text (a DATE column as its ISO 8601 text)."""
    return exp.TryCast(this=column, to=exp.DataType.build("VARCHAR"))


def _when(test: exp.Expression, value: exp.Expression) -> exp.Expression:
    """CASE WHEN test THEN value END: `value` is computed only for the rows that pass `test`."""
    return exp.Case(ifs=[exp.If(this=test, true=value)])


def _day_of(text: exp.Expression) -> exp.Expression:
    """The day number of YYYY-MM-DD text naming a day of the calendar (years 1 to 9999), else NULL."""
    def part(start: int, length: int) -> exp.Expression:
        return cast_to(exp.Substring(this=text.copy(), start=exp.Literal.number(start),
                                     length=exp.Literal.number(length)), "INT")

    year, month, day = part(1, 4), part(6, 2), part(9, 2)
    valid = all_of([exp.GTE(this=year, expression=exp.Literal.number(1)),
                    exp.Between(this=month, low=exp.Literal.number(1), high=exp.Literal.number(12))])
    fits = exp.Between(this=day, low=exp.Literal.number(1), high=days_in_month(year, month))
    days = cast_to(day_number(year, month, day), f"DECIMAL({DAY_DIGITS}, 0)")
    # Nested, so that no engine converts text that is not all digits (Spark's ANSI mode would fail).
    return _when(exp.RegexpLike(this=text.copy(), expression=exp.Literal.string(ISO_DATE)),
                 _when(valid, _when(fits, days)))


def _list_of(text: exp.Expression) -> exp.Expression:
    """A list of names read from text written `["a", "b"]` or `[a, b]` (`[]` is empty), else NULL."""
    bare = text.copy()
    for removed in ('"', " "):
        bare = exp.Anonymous(this="REPLACE", expressions=[bare, exp.Literal.string(removed), exp.Literal.string("")])
    inner = exp.Substring(this=bare.copy(), start=exp.Literal.number(2),
                          length=exp.Sub(this=exp.Length(this=bare.copy()), expression=exp.Literal.number(2)))
    empty = cast_to(exp.Array(expressions=[]), "ARRAY<STRING>")
    items = exp.Case(ifs=[exp.If(this=exp.EQ(this=inner.copy(), expression=exp.Literal.string("")), true=empty)],
                     default=exp.Split(this=inner, expression=exp.Literal.string(",")))
    return _when(exp.RegexpLike(this=bare, expression=exp.Literal.string(LIST_TEXT)), items)


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
        return FactColumn(value, _problem(_lost(column, value), fact, "expected true or false, got ", column))
    if isinstance(fact.type, ast.EnumType):
        value = column if kind == "text" else exp.TryCast(this=column, to=exp.DataType.build("VARCHAR"))
        allowed = exp.In(this=value, expressions=[exp.Literal.string(v) for v in fact.type.values])
        wrong = exp.And(this=exp.Not(this=exp.Is(this=value, expression=exp.Null())),
                        expression=exp.Not(this=exp.Paren(this=allowed)))
        return FactColumn(value, _problem(wrong, fact, f"expected one of {', '.join(fact.type.values)}, got ", column))
    if isinstance(fact.type, ast.DateType):
        return FactColumn(wide, _problem(_lost(column, wide), fact, "expected a date written YYYY-MM-DD (ISO 8601), got ",
                                         column))
    if isinstance(fact.type, ast.SetType):
        return _read_set(fact, column, wide if needs_reading(fact, kind) else column)
    return _read_number(fact, column, wide if needs_reading(fact, kind) else None)


def _read_set(fact: ast.Fact, column: exp.Expression, listed: exp.Expression) -> FactColumn:
    """A set's list, kept when it holds only values of the set type, each once (NULL otherwise)."""
    values = fact.type.values
    members = Members(listed, values)
    known = [exp.Case(ifs=[exp.If(this=members.has(v), true=exp.Literal.number(1))], default=exp.Literal.number(0))
             for v in values]
    # Every element is a value of the type, and none twice: the list is as long as the values it holds.
    valid = exp.EQ(this=exp.ArraySize(this=paren(listed.copy())), expression=sum_of(known))
    value = _when(valid, listed.copy())
    wrong = exp.And(this=exp.Not(this=exp.Is(this=paren(column.copy()), expression=exp.Null())),
                    expression=exp.Is(this=paren(value.copy()), expression=exp.Null()))
    return FactColumn(value, _problem(wrong, fact, f"expected a list of distinct values from {', '.join(values)}, got ",
                                      column))


def fact_value(fact: ast.Fact, column: exp.Expression) -> Value:
    """The value of a typed fact column in terms of the DSL's operators."""
    if isinstance(fact.type, (ast.BooleanType, ast.EnumType)):
        return Scalar(column)
    if isinstance(fact.type, ast.DateType):
        return Day(Dec(column, DAY_DIGITS, 0))
    if isinstance(fact.type, ast.SetType):
        return Members(column, fact.type.values)
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


def _problem(test: exp.Expression, fact: ast.Fact, before: str, column: exp.Expression) -> exp.Expression:
    """The message for a value that fails `test`."""
    return exp.Case(ifs=[exp.If(this=test, true=_message(fact, before, column, ""))])


def _message(fact: ast.Fact, before: str, column: exp.Expression, after: str) -> exp.Expression:
    """`fact `name`: <before><the value><after>`, as the executor words it."""
    shown = cast_to(column.copy(), "VARCHAR")
    parts = [exp.Literal.string(f"fact `{fact.name}`: {before}"), shown] + ([exp.Literal.string(after)] if after else [])
    return exp.Concat(expressions=parts, safe=True, coalesce=False)
