"""Stage 3 in SQL: the query made safe for dialects without TRY_CAST (PostgreSQL; Spark in ANSI mode).

sqlglot writes a TRY_CAST as a plain CAST where the dialect has none, and a plain CAST of a value
that does not convert fails the whole query instead of giving its row an error. There, each
conversion is guarded by a per-row test of the value's text: a number converts only when its text
is a plain decimal that fits the type, a boolean only when it is a word every engine reads.
"""
from __future__ import annotations

from sqlglot import exp

from .values import cast_to

BOOLEAN_TEXT = r"^\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[TtFf]|[Yy][Ee][Ss]|[Nn][Oo]|1|0)\s*$"


def decimal_text(precision: int, scale: int) -> str:
    """A plain decimal with at most precision - scale integer digits (no exponent)."""
    return rf"^\s*[-+]?([0-9]{{1,{max(precision - scale, 1)}}}(\.[0-9]*)?|\.[0-9]+)\s*$"


def has_try_cast(dialect: str) -> bool:
    """Whether the dialect writes a conversion that gives NULL, rather than failing, on a bad value."""
    probe = exp.TryCast(this=exp.column("x"), to=exp.DataType.build("INT")).sql(dialect=dialect)
    return probe.startswith(("TRY_CAST", "SAFE_CAST"))


def for_dialect(tree: exp.Expression, dialect: str) -> exp.Expression:
    """A copy of the query, every TRY_CAST guarded by a per-row test where the dialect has no TRY_CAST."""
    return tree.copy() if has_try_cast(dialect) else tree.transform(_guarded)


def _guarded(node: exp.Expression) -> exp.Expression:
    """A TRY_CAST as CASE WHEN <its text passes> THEN CAST(...) END (text needs no test)."""
    if not isinstance(node, exp.TryCast):
        return node
    to = node.to
    cast = exp.Cast(this=node.this.copy(), to=to.copy())
    if to.is_type(*exp.DataType.TEXT_TYPES):
        return cast
    if to.is_type(exp.DataType.Type.BOOLEAN):
        pattern = BOOLEAN_TEXT
    elif to.is_type(exp.DataType.Type.DECIMAL):
        precision, scale = (int(p.this.this) for p in to.expressions)
        pattern = decimal_text(precision, scale)
    else:
        return node
    text = cast_to(node.this.copy(), "VARCHAR")
    return exp.Case(ifs=[exp.If(this=exp.RegexpLike(this=text, expression=exp.Literal.string(pattern)), true=cast)])
