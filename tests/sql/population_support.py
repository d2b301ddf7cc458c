"""Helpers for the SQL agreement tests: random populations as Arrow tables, and the executor's
result for each row in the shape of the SQL result."""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pyarrow as pa

import carepath
from carepath.errors import CarepathError
from carepath.sql.inputs import NUMBER_SCALE
from carepath.syntax import ast

COMPARED = ("status", "codes", "urgencies", "needs", "route")
REFERENCE_DAY = date(2024, 2, 29)  # a leap day: months from it and around it end early


def executor_row(program, case: dict[str, Any]) -> dict[str, Any]:
    """What `run` gives for one case, in the columns the SQL result has."""
    try:
        result = program.run({k: v for k, v in case.items() if v is not None})
    except CarepathError:
        return {"status": "error", "codes": None, "urgencies": None, "needs": None, "route": None}
    return {"status": result.status, "codes": result.codes,
            "urgencies": [rec.urgency for rec in result.recommendations], "needs": list(result.needs),
            "route": [visit.node for visit in result.path]}


def arrow_type(type_: ast.Type) -> pa.DataType:
    """The column type a warehouse would give a fact."""
    if isinstance(type_, ast.BooleanType):
        return pa.bool_()
    if isinstance(type_, ast.EnumType):
        return pa.string()
    if isinstance(type_, ast.IntegerType):
        return pa.int64()
    if isinstance(type_, ast.DateType):
        return pa.date32()
    if isinstance(type_, ast.SetType):
        return pa.list_(pa.string())
    return pa.decimal128(18, NUMBER_SCALE)


def population_table(pathway, cases: list[dict[str, Any]]) -> pa.Table:
    """The cases as an Arrow table with an `id` column and one column per fact (None = missing)."""
    columns = {"id": pa.array(range(len(cases)), pa.int64())}
    for name, fact in pathway.facts.items():
        values = [case.get(name) for case in cases]
        if isinstance(fact.type, ast.NumberType):
            values = [None if v is None else Decimal(v.numerator) / Decimal(v.denominator) for v in values]
        columns[name] = pa.array(values, arrow_type(fact.type))
    return pa.table(columns)


def random_value(rng: random.Random, type_: ast.Type) -> Any:
    """A value of a declared type: numbers as exact decimals of up to two places."""
    if isinstance(type_, ast.BooleanType):
        return rng.random() < 0.5
    if isinstance(type_, ast.EnumType):
        return rng.choice(type_.values)
    if isinstance(type_, ast.DateType):  # close together, so that differences of days and months matter
        return REFERENCE_DAY + timedelta(days=rng.choice([rng.randint(-3, 3), rng.randint(-400, 400)]))
    if isinstance(type_, ast.SetType):
        return rng.sample(type_.values, rng.randint(0, len(type_.values)))
    low = int(type_.low) if type_.low is not None else -1000
    high = int(type_.high) if type_.high is not None else 1000
    if isinstance(type_, ast.IntegerType):
        return rng.randint(low, high)
    return Fraction(rng.randint(low * 100, high * 100), 100)


def random_cases(pathway, count: int, seed: int, missing: float = 0.08) -> list[dict[str, Any]]:
    """Cases with every fact present or (with probability `missing`) absent."""
    rng = random.Random(seed)
    return [{name: None if rng.random() < missing else random_value(rng, fact.type)
             for name, fact in pathway.facts.items()} for _ in range(count)]


def disagreements(pathway, cases: list[dict[str, Any]], rows: list[dict[str, Any]]) -> list[tuple]:
    """(case, executor's row, SQL's row) wherever the two differ, first ones only."""
    program = carepath.program(pathway)
    found = []
    for case, row in zip(cases, rows):
        expected = executor_row(program, case)
        got = {k: (list(row[k]) if isinstance(row[k], (list, tuple)) else row[k]) for k in COMPARED}
        if got != expected:
            found.append((case, expected, got))
            if len(found) >= 5:
                break
    return found


def duckdb_rows(connection, pathway, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The SQL result of each case, in order, computed by DuckDB."""
    from carepath.sql import query, table

    source = population_table(pathway, cases)
    connection.register("cases", source)
    types = {name: _duck_type(connection, name) for name in source.column_names}
    select = query(pathway, table("cases"), ["id"], (), types)
    rows = connection.sql(select.sql(dialect="duckdb")).to_arrow_table().to_pylist()
    return sorted(rows, key=lambda row: row["id"])


def _duck_type(connection, name: str):
    """A registered column's type as sqlglot reads it."""
    from carepath.population import parse_type

    described = dict((row[0], row[1]) for row in connection.execute("DESCRIBE cases").fetchall())
    return parse_type(described[name], "duckdb")


def spark_rows(spark, pathway, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The SQL result of each case, in order, computed by Spark."""
    from sqlglot import exp

    from carepath.population import parse_type
    from carepath.population.spark import VIEW, as_dataframe
    from carepath.sql import query

    frame = spark.createDataFrame(population_table(pathway, cases))
    frame.createOrReplaceTempView(VIEW)
    types = {f.name: parse_type(f.dataType.simpleString(), "spark") for f in frame.schema.fields}
    select = query(pathway, exp.Table(this=exp.to_identifier(VIEW, quoted=True)), ["id"], (), types)
    rows = [row.asDict() for row in as_dataframe(spark, select).collect()]
    return sorted(rows, key=lambda row: row["id"])
