"""Stage 3 over a population, embedded: the pathway's query run by DuckDB, file to file, no server.

DuckDB streams the input through the query into the output in its own threads, so memory stays
flat in the number of rows; it keeps the input's order (`preserve_insertion_order`).
"""
from __future__ import annotations

from typing import Mapping

from sqlglot import exp

from ..errors import UsageError, error
from ..output import output_path
from ..sql import query, table
from . import Source, Tally, parse_type, split_columns

READERS = {"parquet": "read_parquet", "csv": "read_csv", "json": "read_json"}
MEMORY_MB_PER_THREAD = 256
MIN_MEMORY_MB = 512


def source_table(source: Source) -> exp.Expression:
    """The FROM item that reads the source: a reader function over the file name, or the table."""
    if source.format == "duckdb":
        return table(source.table)
    reader = exp.Anonymous(this=READERS[source.format], expressions=[exp.Literal.string(source.path)])
    return exp.Subquery(this=exp.select(exp.Star()).from_(reader), alias=exp.TableAlias(
        this=exp.to_identifier("cases", quoted=True)))


def connect(source: Source, threads: int | None = None, progress: bool = False):
    """A DuckDB connection: in memory, or the source's database opened read-only."""
    import duckdb

    try:
        connection = duckdb.connect(source.path if source.format == "duckdb" else ":memory:",
                                    read_only=source.format == "duckdb")
    except duckdb.Error as exc:
        raise UsageError(error(f"{source.path}: cannot open the database: {exc}")) from None
    if threads:
        connection.execute(f"SET threads = {int(threads)}")
    count = threads or connection.execute("SELECT current_setting('threads')").fetchone()[0]
    # Keeping the output in input order makes DuckDB hold the batches that one thread finishes
    # ahead of another; without a limit they grew to 2.5 GB over 10M rows on two threads.
    connection.execute(f"SET memory_limit = '{max(MIN_MEMORY_MB, MEMORY_MB_PER_THREAD * int(count))}MB'")
    shown = "true" if progress else "false"
    connection.execute(f"SET enable_progress_bar = {shown}")
    connection.execute(f"SET enable_progress_bar_print = {shown}")
    return connection


def columns_of(connection, origin: exp.Expression, source: Source) -> dict[str, exp.DataType | None]:
    """The source's columns and their types (None for a type sqlglot does not know)."""
    import duckdb

    describe = exp.Describe(this=exp.select(exp.Star()).from_(origin))
    try:
        return {name: parse_type(type_, "duckdb") for name, type_, *_ in connection.execute(describe.sql("duckdb")).fetchall()}
    except duckdb.Error as exc:
        raise UsageError(error(f"{source.path}: cannot read {source.table or 'the file'}: {_first_line(exc)}")) from None


def run_duckdb(pathway, source: Source, output: str, kind: str, threads: int | None = None,
               progress: bool = False, dates: Mapping[str, exp.Expression] | None = None) -> Tally:
    """Run the population through DuckDB into `output` (parquet or json lines)."""
    import duckdb

    connection = connect(source, threads, progress)
    origin = source_table(source)
    types = columns_of(connection, origin, source)
    keep, absent = split_columns(pathway, list(types), dates or {})
    select = query(pathway, origin, keep, absent, types, dates)
    with output_path(output) as temporary:
        copy = exp.Copy(this=exp.Subquery(this=select), kind=False, files=[exp.Literal.string(str(temporary))],
                        params=[exp.CopyParameter(this=exp.var("FORMAT"), expression=exp.var(kind.upper()))])
        try:
            connection.execute(copy.sql("duckdb"))
        except duckdb.Error as exc:
            raise UsageError(error(f"{source.path}: the query failed: {_first_line(exc)}")) from None
        return tally(connection, temporary, kind)


def tally(connection, path, kind: str) -> Tally:
    """Count the statuses of a written result file."""
    reader = exp.Anonymous(this=READERS[kind], expressions=[exp.Literal.string(str(path))])
    status = exp.column("status")
    counts = exp.select(status, exp.Count(this=exp.Star())).from_(reader).group_by(status)
    return Tally(dict(connection.execute(counts.sql("duckdb")).fetchall()))


def _first_line(exc: Exception) -> str:
    """An engine's error message without its context lines."""
    return str(exc).strip().splitlines()[0]
