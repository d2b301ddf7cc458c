"""The shipped example inputs: every case runs, and the batch example holds the same cases."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import carepath
from carepath.engine.cases import read_case

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".json", ".yaml", ".yml"))


@pytest.fixture(scope="module")
def flagship() -> carepath.Pathway:
    return carepath.load(ROOT / "pathway.dsl")


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_every_example_case_runs(flagship, case: Path) -> None:
    """Each example is a valid case for pathway.dsl: it runs to complete or needs_input."""
    facts, source = read_case(str(case))
    assert carepath.run(flagship, facts, source).status in ("complete", "needs_input")


def test_the_batch_example_holds_the_example_cases_in_order() -> None:
    """examples/cases.jsonl is the single examples, one per line, so the batch docs show known cases."""
    lines = (ROOT / "examples" / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [read_case(str(p))[0] for p in CASES]


def test_the_batch_example_runs_without_errors(flagship) -> None:
    with open(ROOT / "examples" / "cases.jsonl", "rb") as lines:
        rows = list(carepath.run_batch(flagship, lines, "examples/cases.jsonl"))
    assert rows and all(row.result is not None for row in rows)
