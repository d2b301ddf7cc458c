"""Stage 3 in SQL: a pathway compiled into one query over a table whose columns are the facts.

The third meaning of the AST, beside the executor's closures and the checker's z3 terms, over
the same operator table; properties over generated pathways prove it gives the executor's
results (tests/sql/). Built as a sqlglot tree and rendered for any of sqlglot's dialects.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from sqlglot import exp

from ..errors import UsageError, error
from .generator import RESULT_COLUMNS, build_query
from .values import MAX_PRECISION, TooWide

__all__ = ["RESULT_COLUMNS", "to_sql", "query", "table"]


def table(name: str) -> exp.Table:
    """A table name, dotted parts (`catalog.schema.table`) each a quoted identifier."""
    parts = name.split(".")
    if not all(parts) or len(parts) > 3:
        raise UsageError(error(f"`{name}` is not a table name: give TABLE, SCHEMA.TABLE or CATALOG.SCHEMA.TABLE"))
    catalog, db, name_ = [None] * (3 - len(parts)) + [exp.to_identifier(p, quoted=True) for p in parts]
    return exp.Table(this=name_, db=db, catalog=catalog)


def query(pathway, source: exp.Expression, keep: Iterable[str] = (), absent: Iterable[str] = (),
          types: Mapping[str, exp.DataType] | None = None) -> exp.Select:
    """The query tree giving each row of `source` its result (RESULT_COLUMNS after `keep`); the
    source's column `types`, when known, spare conversions."""
    try:
        return build_query(pathway, source, keep, absent, types)
    except TooWide as exc:
        digits, span = exc.args
        raise UsageError(error(f"this arithmetic needs {digits} decimal digits to stay exact in SQL, more than the "
                               f"{MAX_PRECISION} that a DECIMAL holds", span, kind="sql")) from None


def to_sql(pathway, dialect: str = "duckdb", table_name: str = "cases", keep: Iterable[str] = (),
           pretty: bool = True) -> str:
    """The query as text in a sqlglot dialect."""
    return query(pathway, table(table_name), keep).sql(dialect=dialect, pretty=pretty) + ";\n"
