"""Stage 3 over a population, on Spark: the pathway's query in Spark SQL, on a local or cluster master.

Spark writes its result as part files, one per partition, in partition order; they are joined,
in that order, into the one output file (Parquet through Arrow, one row group per part; JSON
Lines by concatenation), so the output keeps the input's order.
"""
from __future__ import annotations

import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from sqlglot import exp

from ..errors import UsageError, error
from ..output import output_path
from ..sql import query
from ..sql.dialects import for_dialect
from . import Source, Tally, parse_type, split_columns

DEFAULT_MASTER = "local[*]"
VIEW = "carepath_population"
SETTINGS = {
    # Exact decimals: refuse a rounded result rather than lose digits (the SQL never needs it).
    "spark.sql.decimalOperations.allowPrecisionLoss": "false",
    "spark.sql.session.timeZone": "UTC",
    # The query is a chain of one CTE per layer of columns, deeper than Spark's defaults expect.
    "spark.sql.analyzer.maxIterations": "1000",
    "spark.sql.optimizer.maxIterations": "1000",
    "spark.ui.enabled": "false",
}


@lru_cache(maxsize=None)
def session(master: str = DEFAULT_MASTER, progress: bool = False):
    """One SparkSession per master for the life of the process (starting one takes seconds)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName("carepath")
    for key, value in {**SETTINGS, "spark.ui.showConsoleProgress": str(progress).lower()}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def read(spark, source: Source):
    """The source as a DataFrame: CSV with a header, all columns text; JSON numbers as decimals."""
    if source.format == "duckdb":
        raise UsageError(error(f"{source.path}: Spark does not read DuckDB databases; export the table to "
                               "Parquet, or use --engine duckdb"))
    reader = spark.read
    if source.format == "csv":
        return reader.option("header", "true").csv(source.path)
    if source.format == "json":
        return reader.option("prefersDecimal", "true").json(source.path)
    return reader.parquet(source.path)


def run_spark(pathway, source: Source, output: str, kind: str, master: str | None = None,
              progress: bool = False, dates: Mapping[str, exp.Expression] | None = None) -> Tally:
    """Run the population on Spark into `output` (parquet or json lines)."""
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    try:
        spark = session(master or DEFAULT_MASTER, progress)
        frame = read(spark, source)
        types = {f.name: parse_type(f.dataType.simpleString(), "spark") for f in frame.schema.fields}
        keep, absent = split_columns(pathway, list(types), dates or {})
        frame.createOrReplaceTempView(VIEW)
        select = query(pathway, exp.Table(this=exp.to_identifier(VIEW, quoted=True)), keep, absent, types, dates)
        result = as_dataframe(spark, select)
        with tempfile.TemporaryDirectory(prefix=".carepath-spark-", dir=Path(output).parent) as parts:
            target = str(Path(parts) / "result")
            writer = result.write.mode("overwrite")
            writer.option("ignoreNullFields", "false").json(target) if kind == "json" else writer.parquet(target)
            counts = dict(spark.read.format(kind).load(target).groupBy("status").count().collect())
            with output_path(output) as temporary:
                _join(sorted(Path(target).glob("part-*")), temporary, kind)
    except (PySparkException, Py4JJavaError) as exc:
        raise UsageError(error(f"{source.path}: Spark failed: {str(exc).strip().splitlines()[0]}")) from None
    return Tally(counts)


def as_dataframe(spark, select: exp.Select):
    """The query as a DataFrame, each of its CTEs analysed on its own as a temporary view.

    Spark's analyser resolves a chain of CTEs one layer per pass over the whole plan, so analysing
    the query at once costs the square of its depth (25 s for pathway.dsl); view by view, it is linear."""
    final = for_dialect(select, "spark")  # Spark in ANSI mode fails a whole query on one bad CAST
    ctes = final.args.get("with_")
    final.set("with_", None)
    for cte in ctes.expressions if ctes else ():
        spark.sql(cte.this.sql(dialect="spark")).createOrReplaceTempView(cte.alias)
    return spark.sql(final.sql(dialect="spark"))


def _join(parts: list[Path], target: Path, kind: str) -> None:
    """Part files, in order, as one file."""
    if kind == "json":
        with open(target, "wb") as out:
            for part in parts:
                with open(part, "rb") as data:
                    shutil.copyfileobj(data, out)
        return
    import pyarrow.parquet as pq

    writer = None
    try:
        for part in parts:
            table = pq.read_table(part)
            writer = writer or pq.ParquetWriter(target, table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
