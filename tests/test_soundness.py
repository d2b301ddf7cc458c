"""The soundness review's reproductions (tests/fixtures/soundness, from shared/reviews/soundness):
each file's correct verdict from `check`, its witnesses replayed through `run`, and the runs that
used to disagree with the checker."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import carepath
from carepath.cli import main
from carepath.errors import PathwayDefect, PathwayError

from replay import reproduces

HERE = Path(__file__).parent / "fixtures" / "soundness"

# (kind, line) of every finding each file must give, and nothing else.
VERDICTS = {
    "01_float_bmi": set(),
    "01_float_bmi_invariant": set(),
    "01_float_gap": set(),
    "01_float_witness": {("gap", 5)},
    "02_div0_guard": {("division_by_zero", 7), ("contradictory", 7), ("unreachable", 9)},
    "03_derived_range": {("derived_range", 4), ("contradictory", 7), ("unreachable", 9)},
    "04_derived_overlap_unchecked": {("derived_overlap", 6), ("derived_overlap", 7)},
    "c1a_div_first_match": set(),
    "c1b_div_exclusive_zero_first": set(),
    "c1c_div_unprotected": {("division_by_zero", 8)},
    "c1d_div_in_derived": set(),
    "c2a3_large_integer_window": {("contradictory", 6), ("unreachable", 11)},
    "c2a_large_integer_rounding": {("contradictory", 7), ("unreachable", 11)},
    "c2b_underflow": set(),
    "c2c2_overflow_small_range": set(),
    "c2d_float_require_witness": {("overlap", 9)},
    "c6a_derived_overlapping_cases": {("derived_overlap", 7), ("derived_overlap", 8), ("derived_overlap", 9)},
    "c6b_derived_overlap_changes_value": {("derived_overlap", 7), ("invariant", 19)},
    "c7_undecided_drops_findings": {("contradictory", 9), ("unreachable", 14), ("undecided", 21)},
    # The require rules out `major_surgery: false` for cases giving every required fact; a case that
    # lacks weeks_since_surgery is a real case too, and there the invariant is broken (the witness runs).
    "wells_required_fact_vacuous": {("restricted_fact", 25), ("invariant", 180)},
}
TIMEOUTS = {"c7_undecided_drops_findings": 0.5}


def findings(name: str) -> list:
    """What `check` reports for one reproduction."""
    return carepath.check(HERE / f"{name}.dsl", timeout=TIMEOUTS.get(name))


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_verdict(name: str) -> None:
    """Each reproduction gives exactly its correct findings, and every witness reproduces through `run`."""
    found = findings(name)
    assert {(d.kind, d.span.line) for d in found} == VERDICTS[name], [d.format() for d in found]
    pathway = carepath.load(HERE / f"{name}.dsl")
    for finding in found:
        if finding.witness is not None and finding.kind not in ("contradictory", "unreachable"):
            assert reproduces(pathway, finding), finding.format()


def test_literal_zero_divisor_is_a_load_error() -> None:
    """`(10 + 20) / 0` is refused when the pathway is loaded, at the divisor."""
    with pytest.raises(PathwayError) as refused:
        carepath.load(HERE / "02_div0_literal.dsl")
    diagnostic = refused.value.diagnostics[0]
    assert diagnostic.kind == "division_by_zero" and (diagnostic.span.line, diagnostic.span.column) == (6, 37)


@pytest.mark.parametrize("name,case,codes", [
    ("01_float_bmi_invariant", {"weight_kg": "76.8", "height_m": "1.6"}, ["obesity_pathway"]),
    ("01_float_gap", {"dose_mg": "0.3"}, ["high"]),
    ("c2b_underflow", {"conc": "1e-200"}, ["a"]),
    ("c2a3_large_integer_window", {"cells": "100000000000000000"}, ["a"]),
    ("c2d_float_require_witness", {"am_dose": "0.15", "pm_dose": "0.15"}, ["b"]),
    ("c1d_div_in_derived", {"booked": "0", "attended": "0"}, ["book"]),
])
def test_runs_compute_exactly(tmp_path, name: str, case: dict, codes: list[str]) -> None:
    """The cases on which the executor's floats used to disagree with the checker, through the CLI."""
    text = "{" + ", ".join(f'"{k}": {v}' for k, v in case.items()) + "}"
    (tmp_path / "case.json").write_text(text)
    result = CliRunner().invoke(main, ["run", str(HERE / f"{name}.dsl"), str(tmp_path / "case.json"), "--json"])
    assert result.exit_code == 0, result.output
    assert [r["code"] for r in json.loads(result.output)["recommendations"]] == codes


def test_division_by_zero_at_run_time_is_a_located_pathway_defect(tmp_path) -> None:
    """A valid case that divides by zero: exit 1 (the pathway's defect), located at the division."""
    (tmp_path / "case.json").write_text('{"booked": 0, "attended": 0}')
    result = CliRunner().invoke(main, ["run", str(HERE / "c1c_div_unprotected.dsl"), str(tmp_path / "case.json")])
    assert result.exit_code == 1
    assert "c1c_div_unprotected.dsl:8:8: error: division by zero" in result.stderr


def test_derived_value_out_of_range_at_run_time_is_a_located_defect() -> None:
    """`derive r: integer 0..1` computed as 5 stops the run at the derived value."""
    with pytest.raises(PathwayDefect) as defect:
        carepath.run(HERE / "03_derived_range.dsl", {"x": 2})
    assert defect.value.diagnostics[0].kind == "derived_range" and defect.value.diagnostics[0].span.line == 4


def test_undecided_is_located_counted_by_strict_and_keeps_other_findings() -> None:
    """A guard the solver cannot decide: one warning at that guard, in words, within the --timeout given;
    the proven findings are still there, and --strict exits 1."""
    path = str(HERE / "c7_undecided_drops_findings.dsl")
    plain = CliRunner().invoke(main, ["check", path, "--timeout", "0.5"])
    strict = CliRunner().invoke(main, ["check", path, "--timeout", "0.5", "--strict", "--format", "json"])
    assert plain.exit_code == 1 and strict.exit_code == 1
    assert "21:3: warning: the solver could not decide whether" in plain.output
    assert "0.5 s" in plain.output or "nonlinear" in plain.output
    assert "(" not in plain.output.split("could not decide")[1].split(";")[0].replace("(nonlinear", "")
    kinds = [d["kind"] for d in json.loads(strict.output)["diagnostics"]]
    assert kinds.count("undecided") == 1 and "contradictory" in kinds and "unreachable" in kinds
