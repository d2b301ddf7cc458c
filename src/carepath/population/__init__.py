"""Stage 3 over a population: a pathway's SQL run on a whole table, DuckDB embedded or Spark.

The input is a Parquet, CSV or JSON Lines file, or a table of a DuckDB database (`FILE.duckdb:TABLE`);
its columns named after facts are the facts (NULL is missing), the others are passed through to the
output (a patient's id, say). The output, Parquet or JSON Lines, has one row per input row, in
input order: the passed-through columns, then the result columns (`sql.RESULT_COLUMNS`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import UsageError, error
from ..output import note_input_path
from ..sql import RESULT_COLUMNS

INPUT_FORMATS = {".parquet": "parquet", ".csv": "csv", ".jsonl": "json", ".ndjson": "json", ".json": "json"}
OUTPUT_FORMATS = {".parquet": "parquet", ".jsonl": "json", ".ndjson": "json"}
ENGINES = ("duckdb", "spark")


@dataclass(frozen=True)
class Source:
    """Where the population is: a file of a format, or a table of a DuckDB database."""

    path: str
    format: str
    table: str | None = None

    @staticmethod
    def parse(text: str) -> "Source":
        """`cases.parquet`, `cases.csv`, `cases.jsonl`, or `warehouse.duckdb:schema.table`."""
        database, colon, table = text.rpartition(":")
        if colon and database.endswith((".duckdb", ".db")) and table:
            if not Path(database).is_file():
                raise UsageError(error(f"{database}: no such DuckDB database"))
            note_input_path(database)
            return Source(database, "duckdb", table)
        suffix = Path(text).suffix.lower()
        if suffix not in INPUT_FORMATS:
            raise UsageError(error(f"{text}: give a .parquet, .csv, .jsonl or .json file, or DATABASE.duckdb:TABLE"))
        if not Path(text).is_file():
            raise UsageError(error(f"{text}: no such file"))
        note_input_path(text)
        return Source(text, INPUT_FORMATS[suffix])


@dataclass
class Tally:
    """How many rows ended in each status."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def cases(self) -> int:
        """All rows."""
        return sum(self.counts.values())

    @property
    def errors(self) -> int:
        """Rows whose input or run failed."""
        return self.counts.get("error", 0)

    def text(self) -> str:
        """One line for stderr."""
        shown = ", ".join(f"{self.counts.get(s, 0)} {s}" for s in ("complete", "needs_input", "error"))
        return f"{self.cases} cases: {shown}"


def output_format(path: str) -> str:
    """The output format from the file's extension."""
    suffix = Path(path).suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise UsageError(error(f"{path}: the output must be a .parquet or .jsonl file"))
    return OUTPUT_FORMATS[suffix]


def parse_type(text: str, dialect: str):
    """A column's type as sqlglot reads it in an engine's dialect, or None if it cannot."""
    from sqlglot import exp
    from sqlglot.errors import ParseError

    try:
        return exp.DataType.build(text, dialect=dialect)
    except (ParseError, ValueError):
        return None


def split_columns(pathway, columns: list[str], dates: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """The input's columns passed through, and the facts it has no column for (`dates`, the reference
    dates given to every row, must not be columns too)."""
    given = [name for name in dates if name in columns]
    if given:
        raise UsageError(error(f"the input has a column `{given[0]}`, and --reference-date gives `{given[0]}` to every "
                               "row: drop one of them"))
    keep = [c for c in columns if c not in pathway.facts]
    clash = [c for c in keep if c in RESULT_COLUMNS]
    if clash:
        raise UsageError(error(f"the input has a column named `{clash[0]}`, which is a result column; "
                               "rename it (the result columns: " + ", ".join(RESULT_COLUMNS) + ")"))
    return keep, [f for f in pathway.facts if f not in columns and f not in dates]


def run_population(pathway, source: str, output: str, engine: str = "duckdb", master: str | None = None,
                   threads: int | None = None, progress: bool = False, dates: Iterable[str] = ()) -> Tally:
    """Run every row of `source` through the pathway into `output`; how many rows ended how. `dates`
    (`FACT=YYYY-MM-DD`, or `FACT=today`) give date facts, a reference date say, to every row."""
    from ..sql import reference_dates

    given = reference_dates(pathway, dates)
    found, kind = Source.parse(source), output_format(output)
    if engine == "spark":
        from .spark import run_spark

        return run_spark(pathway, found, output, kind, master, progress, given)
    from .embedded import run_duckdb

    return run_duckdb(pathway, found, output, kind, threads, progress, given)
