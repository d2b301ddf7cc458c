"""Fixtures of the scenario tests: the fixture folder as working directory, and the CLI."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from carepath.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios"


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in the fixture folder, so reports name files as a user there would see them."""
    monkeypatch.chdir(FIXTURES)
    return FIXTURES


@pytest.fixture
def cli():
    """Invoke `carepath ARGS...`; returns click's result (exit_code, stdout, stderr)."""
    def invoke(*args: str):
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def goldens() -> Path:
    """The folder of the scenario stage's golden files (tests/golden/<stage>, like every stage)."""
    return Path(__file__).resolve().parent.parent / "golden" / "scenarios"
