"""examples/rules/: published clinical decision rules written with scores, checked clean under --strict,
passing every scenario from their published tables at 100% branch coverage (score criteria included)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from carepath.cli import main

RULES = sorted((Path(__file__).resolve().parent.parent / "examples" / "rules").glob("*.dsl"))


def test_there_are_at_least_four_rules():
    assert len(RULES) >= 4
    assert all(path.with_name(path.stem + ".scenarios.yaml").is_file() for path in RULES)


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.stem)
def test_rule_checks_clean(path):
    """No error or warning; what remains is accepted in the pathway with a reason."""
    result = CliRunner().invoke(main, ["check", str(path), "--strict"])
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output and "error:" not in result.output


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.stem)
def test_rule_passes_its_scenarios_with_full_coverage(path):
    result = CliRunner().invoke(main, ["test", str(path), "--fail-under", "100"])
    assert result.exit_code == 0, result.output
    assert "0 failed" in result.output and "branches 100.0%" in result.output


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.stem)
def test_generated_cases_take_every_branch_and_criterion(path, tmp_path):
    """`cases --cover` covers both outcomes of every score criterion too."""
    result = CliRunner().invoke(main, ["cases", str(path), "--cover", "-o", str(tmp_path / "cases")])
    assert result.exit_code == 0, result.output
    taken, total = map(int, re.search(r"taking (\d+) of (\d+) branches", result.output).groups())
    assert taken == total and "does not hold" in result.output and ": holds" in result.output
