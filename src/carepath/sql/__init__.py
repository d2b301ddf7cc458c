"""Stage 3 in SQL: a pathway compiled into one query over a table whose columns are the facts.

The third meaning of the AST, beside the executor's closures and the checker's z3 terms, over
the same operator table; properties over generated pathways prove it gives the executor's
results (tests/sql/). Built as a sqlglot tree and rendered for any of sqlglot's dialects.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from sqlglot import exp

from ..errors import UsageError, error
from ..expr.dates import NotADate, parse_date
from ..syntax import ast
from .dialects import for_dialect
from .generator import RESULT_COLUMNS, build_query
from .values import MAX_PRECISION, TooWide, cast_to

__all__ = ["RESULT_COLUMNS", "to_sql", "query", "table", "reference_dates"]
CLOCK = "today"  # `--reference-date FACT=today`: the engine's current date, asked for by name


def table(name: str) -> exp.Table:
    """A table name, dotted parts (`catalog.schema.table`) each a quoted identifier."""
    parts = name.split(".")
    if not all(parts) or len(parts) > 3:
        raise UsageError(error(f"`{name}` is not a table name: give TABLE, SCHEMA.TABLE or CATALOG.SCHEMA.TABLE"))
    catalog, db, name_ = [None] * (3 - len(parts)) + [exp.to_identifier(p, quoted=True) for p in parts]
    return exp.Table(this=name_, db=db, catalog=catalog)


def reference_dates(pathway, given: Iterable[str]) -> dict[str, exp.Expression]:
    """The date facts given to every row, from `FACT=YYYY-MM-DD` (or `FACT=today`: the engine's current
    date when the query runs, never used unless asked for), as SQL dates."""
    found: dict[str, exp.Expression] = {}
    for text in given:
        name, equals, value = text.partition("=")
        fact = pathway.facts.get(name)
        if not equals or fact is None or not isinstance(fact.type, ast.DateType):
            dates = ", ".join(n for n, f in pathway.facts.items() if isinstance(f.type, ast.DateType)) or "none"
            raise UsageError(error(f"--reference-date `{text}`: give FACT=YYYY-MM-DD (or FACT=today) for a date fact "
                                   f"of the pathway (its date facts: {dates})"))
        if value == CLOCK:
            found[name] = exp.CurrentDate()
            continue
        try:
            found[name] = cast_to(exp.Literal.string(parse_date(value).isoformat()), "DATE")
        except NotADate as exc:
            raise UsageError(error(f"--reference-date `{text}`: {exc}")) from None
    return found


def query(pathway, source: exp.Expression, keep: Iterable[str] = (), absent: Iterable[str] = (),
          types: Mapping[str, exp.DataType] | None = None, dates: Mapping[str, exp.Expression] | None = None) -> exp.Select:
    """The query tree giving each row of `source` its result (RESULT_COLUMNS after `keep`); the
    source's column `types`, when known, spare conversions; `dates` (from reference_dates) are date
    facts given to every row, which the source must not have as columns."""
    if dates:
        given = exp.select(exp.Star(), *(exp.alias_(value, name, quoted=True) for name, value in dates.items()))
        source = exp.Subquery(this=given.from_(source), alias=exp.TableAlias(
            this=exp.to_identifier("carepath_input", quoted=True)))
        absent = [name for name in absent if name not in dates]
        types = {**(types or {}), **{name: exp.DataType.build("DATE") for name in dates}}
    try:
        return build_query(pathway, source, keep, absent, types)
    except TooWide as exc:
        digits, span = exc.args
        raise UsageError(error(f"this arithmetic needs {digits} decimal digits to stay exact in SQL, more than the "
                               f"{MAX_PRECISION} that a DECIMAL holds", span, kind="sql")) from None


def to_sql(pathway, dialect: str = "duckdb", table_name: str = "cases", keep: Iterable[str] = (),
           pretty: bool = True, dates: Iterable[str] = ()) -> str:
    """The query as text in a sqlglot dialect; `dates` are `FACT=YYYY-MM-DD` reference dates."""
    tree = query(pathway, table(table_name), keep, dates=reference_dates(pathway, dates))
    return for_dialect(tree, dialect).sql(dialect=dialect, pretty=pretty) + ";\n"
