"""Benchmark of populations: `run --batch` (Python) against `run --population` on DuckDB and Spark.

The same pathway.dsl cases, as JSON Lines for the batch and as Parquet for the SQL engines; each
command runs as a process, start-up included, timed side by side in one run with its peak memory.
The DuckDB query is also timed inside the engine (Parquet in, Parquet out, in-process).

Run from the repository root:
    .venv/bin/python benchmarks/population_bench.py                  # 1,000,000 rows
    .venv/bin/python benchmarks/population_bench.py --rows 10000000 --engines duckdb
    .venv/bin/python benchmarks/population_bench.py --smoke          # 2,000 rows, no Spark: for CI
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from sqlglot import exp

import carepath
from carepath.population import Source
from carepath.population.embedded import connect, source_table
from carepath.sql import query
from carepath.syntax import ast

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PATHWAY = ROOT / "pathway.dsl"
sys.path.insert(0, str(HERE))
from run import _peak_rss, lbp_cases, table  # noqa: E402

DISTINCT = 100_000  # distinct cases generated in Python; larger populations repeat them
ENGINES = ("batch", "duckdb", "spark")


def carepath_command() -> list[str]:
    """The installed command beside this Python."""
    return [str(Path(sys.executable).parent / "carepath")]


def write_population(folder: Path, rows: int, jsonl: bool) -> tuple[Path, Path]:
    """The same `rows` cases as Parquet (typed columns) and, when asked, as JSON Lines."""
    pathway = carepath.load(PATHWAY)
    cases = lbp_cases(pathway, min(rows, DISTINCT))
    columns = {}
    for name, fact in pathway.facts.items():
        values = [case.get(name) for case in cases]
        kind = {ast.BooleanType: pa.bool_(), ast.EnumType: pa.string(), ast.IntegerType: pa.int64()}.get(
            type(fact.type), pa.float64())
        columns[name] = pa.array(values, kind)
    distinct = folder / "distinct.parquet"
    pq.write_table(pa.table(columns), distinct)
    parquet, lines = folder / "cases.parquet", folder / "cases.jsonl"
    # Only the cases' own columns: `range` would add one (an unknown fact to every batch line).
    repeated = exp.select(exp.Column(this=exp.Star(), table=exp.to_identifier("cases"))).from_(
        exp.alias_(exp.Anonymous(this="read_parquet", expressions=[exp.Literal.string(str(distinct))]), "cases")).join(
        exp.Anonymous(this="range", expressions=[exp.Literal.number(-(-rows // len(cases)))])).limit(rows)
    for path, kind in ((parquet, "PARQUET"), (lines, "JSON"))[:2 if jsonl else 1]:
        copy = exp.Copy(this=exp.Subquery(this=repeated.copy()), kind=False, files=[exp.Literal.string(str(path))],
                        params=[exp.CopyParameter(this=exp.var("FORMAT"), expression=exp.var(kind))])
        duckdb.execute(copy.sql("duckdb"))
    return parquet, lines


def measure(command: list[str]) -> tuple[float, float]:
    """Seconds and peak resident MB of one process (forked from a small launcher, so that the
    peak is the command's own and not this benchmark's, which a fork would inherit); every case is
    valid, so anything but exit 0 (a row in error) fails the benchmark."""
    start = time.perf_counter()
    peak = _peak_rss(command, exits=("0",))
    return time.perf_counter() - start, peak


def inside_duckdb(parquet: Path, out: Path, threads: int) -> float:
    """Seconds DuckDB takes for the query alone, Parquet to Parquet, in this process."""
    pathway, source = carepath.load(PATHWAY), Source.parse(str(parquet))
    connection = connect(source, threads)
    select = query(pathway, source_table(source), [], [], _types(connection, source))
    copy = exp.Copy(this=exp.Subquery(this=select), kind=False, files=[exp.Literal.string(str(out))],
                    params=[exp.CopyParameter(this=exp.var("FORMAT"), expression=exp.var("PARQUET"))])
    text = copy.sql("duckdb")
    start = time.perf_counter()
    connection.execute(text)
    return time.perf_counter() - start


def _types(connection, source: Source) -> dict:
    """The source's column types, as `run --population` reads them."""
    from carepath.population.embedded import columns_of

    return columns_of(connection, source_table(source), source)


def run(rows: int, engines: tuple[str, ...], command: str) -> str:
    """Every engine on the same `rows` cases; the table."""
    with tempfile.TemporaryDirectory(prefix="carepath-population-") as folder:
        parquet, jsonl = write_population(Path(folder), rows, "batch" in engines)
        out = str(Path(folder) / "out")
        tool, dsl = carepath_command(), str(PATHWAY)
        commands = {}
        if "batch" in engines:
            commands["`run --batch` (Python, JSON Lines)"] = [*tool, "run", dsl, "--batch", str(jsonl), "-o", out + ".jsonl"]
        if "duckdb" in engines:
            for threads in (1, 2):
                commands[f"`run --population`, DuckDB, {threads} thread{'s' * (threads > 1)}"] = [
                    *tool, "run", dsl, "--population", str(parquet), "-o", out + ".parquet", "--threads", str(threads)]
        if "spark" in engines:
            commands["`run --population --engine spark` (local[*])"] = [
                *tool, "run", dsl, "--population", str(parquet), "-o", out + ".parquet", "--engine", "spark"]
        timed = {name: measure(argv) for name, argv in commands.items()}
        inside = {t: inside_duckdb(parquet, Path(out + f"-inside{t}.parquet"), t) for t in (1, 2)} \
            if "duckdb" in engines else {}
    batch = next((t for name, (t, _) in timed.items() if "batch" in name), None)
    table_rows = [[name, f"{t:.2f}", f"{rows / t:,.0f}", f"{mb:,.0f}", f"**{batch / t:.1f}x**" if batch else ""]
                  for name, (t, mb) in timed.items()]
    table_rows += [[f"DuckDB inside the engine, {t} thread{'s' * (t > 1)} (query only, Parquet to Parquet)",
                    f"{s:.2f}", f"{rows / s:,.0f}", "", f"**{batch / s:.1f}x**" if batch else ""]
                   for t, s in inside.items()]
    return table(f"Populations, {rows:,} rows", command, ["what (pathway.dsl)", "s", "cases/s", "peak RSS MB",
                                                          "speed-up over run --batch"], table_rows,
                 f"\nThe same {rows:,} cases ({min(rows, DISTINCT):,} distinct, repeated), as JSON Lines for the "
                 "batch and Parquet for the SQL engines; each command as a process, start-up included.")


def main() -> None:
    """Measure and print one table (and record it when asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="population sizes (default 1,000,000)")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated: batch,duckdb,spark")
    parser.add_argument("--smoke", action="store_true", help="2,000 rows, batch and DuckDB: checks the script runs")
    parser.add_argument("--record", type=Path, help="also append the tables (markdown) to this file")
    args = parser.parse_args()
    sizes = [2_000] if args.smoke else (args.rows or [1_000_000])
    engines = ("batch", "duckdb") if args.smoke else tuple(args.engines.split(","))
    command = "python benchmarks/population_bench.py" + (" --smoke" if args.smoke else "") + "".join(
        f" --rows {n}" for n in args.rows or ()) + ("" if args.smoke or args.engines == ",".join(ENGINES) else
                                                    f" --engines {args.engines}")
    for rows in sizes:
        show(run(rows, engines, command), args.record)


def show(text: str, record: Path | None) -> None:
    """Print a table, and append it to the record file when there is one."""
    print(text, flush=True)
    if record:
        with open(record, "a", encoding="utf-8") as out:
            out.write(text + "\n")


if __name__ == "__main__":
    main()
