"""What in pathway.dsl's query costs DuckDB its time: the query with some result columns left out.

The generated query (carepath.sql.query) is run on one DuckDB thread over pathway.dsl cases held in
memory (no Parquet, so the figures are the query's own), selecting all its result columns or only
some: DuckDB drops the work of every column nobody reads, so the differences are what each result
list costs. Beside it, the same number of rows through the simplest list DuckDB can build (one
small list per depth, flattened) and through the same CASEs giving a scalar, to show what a list
costs by itself. CPU seconds (DuckDB's thread included), best of the repeats, interleaved; the
planning (parse, bind, optimise: `EXPLAIN` of the same statement) is timed apart, as it does not
grow with the rows.

Run from the repository root:
    .venv/bin/python benchmarks/sql_parts_bench.py                # 400,000 rows
    .venv/bin/python benchmarks/sql_parts_bench.py --smoke        # 2,000 rows: checks the script runs
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from sqlglot import exp

import carepath
from carepath.population import Source
from carepath.population.embedded import columns_of, connect, source_table
from carepath.sql import query

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from population_bench import PATHWAY, show, write_population  # noqa: E402
from run import table  # noqa: E402

# Result columns selected in each variant (status is always read: it needs the errors and the walk).
VARIANTS = {
    "every result column": ("status", "codes", "urgencies", "needs", "route", "require_violated", "errors"),
    "without the route": ("status", "codes", "urgencies", "needs", "require_violated", "errors"),
    "without codes and urgencies": ("status", "needs", "route", "require_violated", "errors"),
    "without codes, urgencies and route": ("status", "needs", "require_violated", "errors"),
    "status, require_violated and errors (no list)": ("status", "require_violated", "errors"),
}
LAYERS = 8  # depths holding a step in pathway.dsl, about


def lists_alone(rows: int) -> dict[str, str]:
    """Queries over `rows` rows of small integers: the same CASE per depth as a list and as a scalar."""
    source = f"(SELECT {', '.join(f'(hash(i * {k + 1}) % 3)::INTEGER AS l{k}' for k in range(LAYERS))} FROM range({rows}) r(i))"
    as_list = ", ".join(f"CASE WHEN l{k} = 0 THEN ['a{k}'] WHEN l{k} = 1 THEN ['a{k}', 'b{k}'] "
                        f"ELSE CAST([] AS VARCHAR[]) END" for k in range(LAYERS))
    as_scalar = " + ".join(f"(CASE WHEN l{k} = 0 THEN 1 WHEN l{k} = 1 THEN 2 ELSE 0 END)" for k in range(LAYERS))
    return {f"{LAYERS} CASEs giving small lists, flattened (one list a row)": f"SELECT FLATTEN([{as_list}]) AS c FROM {source}",
            f"the same {LAYERS} CASEs giving a number": f"SELECT {as_scalar} AS c FROM {source}"}


def run(rows: int, repeat: int, command: str) -> str:
    """Every variant side by side on `rows` rows; the table."""
    with tempfile.TemporaryDirectory(prefix="carepath-sql-parts-") as folder:
        parquet, _ = write_population(Path(folder), rows, False)
        source = Source.parse(str(parquet))
        connection = connect(source, 1)
        types = columns_of(connection, source_table(source), source)
        connection.execute(exp.Create(this=exp.to_table("cases"), kind="TABLE", properties=exp.Properties(
            expressions=[exp.TemporaryProperty()]), expression=exp.select(exp.Star()).from_(
                source_table(source))).sql("duckdb"))
        select = query(carepath.load(PATHWAY), exp.to_table("cases"), [], [], types)
        texts = {name: exp.select(*columns).from_(select.subquery("result")).sql("duckdb")
                 for name, columns in VARIANTS.items()}
        texts.update(lists_alone(rows))
        best, planned = dict.fromkeys(texts, float("inf")), dict.fromkeys(texts, float("inf"))
        for _ in range(repeat):
            for name, text in texts.items():
                started = time.process_time()
                connection.execute(f"EXPLAIN CREATE OR REPLACE TEMP TABLE timed AS {text}")
                planned[name] = min(planned[name], time.process_time() - started)
                started = time.process_time()
                connection.execute(f"CREATE OR REPLACE TEMP TABLE timed AS {text}")
                best[name] = min(best[name], time.process_time() - started)
    full = best["every result column"]
    table_rows = [[name, f"{seconds:.3f}", f"{planned[name]:.3f}", f"{rows / seconds:,.0f}",
                   f"{rows / (seconds - planned[name]):,.0f}", f"{seconds / full:.2f}"] for name, seconds in best.items()]
    print(f"sql parts: every column {rows / full:,.0f} cases/s, no list "
          f"{rows / best['status, require_violated and errors (no list)']:,.0f} cases/s", file=sys.stderr)
    return table(f"What pathway.dsl's query costs in DuckDB, {rows:,} rows", command,
                 ["query (one DuckDB thread, rows in memory)", "CPU s", "of which planning", "cases per CPU second",
                  "cases per CPU second, planning aside", "share of all"],
                 table_rows, f"\nLoad average while it ran: {os.getloadavg()[0]:.1f} (2 cores).")


def main() -> None:
    """Measure and print one table (and record it when asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400_000, help="cases (default 400,000)")
    parser.add_argument("--smoke", action="store_true", help="2,000 rows, one repeat: checks the script runs")
    parser.add_argument("--record", type=Path, help="also append the table (markdown) to this file")
    args = parser.parse_args()
    rows, repeat = (2_000, 1) if args.smoke else (args.rows, 3)
    command = "python benchmarks/sql_parts_bench.py" + (" --smoke" if args.smoke else
                                                        f" --rows {rows}" if rows != 400_000 else "")
    show(run(rows, repeat, command), args.record)


if __name__ == "__main__":
    main()
