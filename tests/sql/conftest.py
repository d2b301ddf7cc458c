"""Fixtures for the SQL backends: one DuckDB connection per test, one SparkSession per test run."""
from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="module")
def duck():
    """An in-memory DuckDB connection (each test replaces the table it reads)."""
    duckdb = pytest.importorskip("duckdb")
    connection = duckdb.connect()
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def spark():
    """The SparkSession `run --population --engine spark` uses, started once (it takes seconds)."""
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java, which setup.sh installs (default-jre-headless); `java` is not on PATH")
    pytest.importorskip("pyspark")
    from carepath.population.spark import session

    return session()
