"""Golden DOT and Mermaid for the fixture pathways and pathway.dsl (pytest --update-goldens rewrites)."""
from __future__ import annotations

import pytest

import carepath
from render_support import PATHWAYS, ROOT
from carepath.errors import Diagnostic, Span

GOLDEN = ROOT / "tests" / "golden" / "diagram"
FIXTURES = sorted(p.stem for p in PATHWAYS.glob("*.dsl"))
EXTENSIONS = {"dot": "dot", "mermaid": "mmd"}


@pytest.mark.parametrize("format_", sorted(EXTENSIONS))
@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_pathways_match_their_goldens(check_golden, name, format_):
    text = carepath.render(carepath.load(PATHWAYS / f"{name}.dsl"), format_)
    check_golden(GOLDEN / f"{name}.{EXTENSIONS[format_]}", text)


@pytest.mark.parametrize("format_", sorted(EXTENSIONS))
def test_flagship_pathway_matches_its_golden(check_golden, flagship, format_):
    check_golden(GOLDEN / f"pathway.{EXTENSIONS[format_]}", carepath.render(flagship, format_))


@pytest.mark.parametrize("format_", sorted(EXTENSIONS))
def test_case_overlay_matches_its_golden(check_golden, format_):
    pathway = carepath.load(PATHWAYS / "sections.dsl")
    text = carepath.render(pathway, format_, case={"collapse": False, "weakness": True})
    check_golden(GOLDEN / f"sections_case.{EXTENSIONS[format_]}", text)


@pytest.mark.parametrize("format_", sorted(EXTENSIONS))
def test_findings_overlay_matches_its_golden(check_golden, format_):
    pathway = carepath.load(PATHWAYS / "sections.dsl")
    early = pathway.nodes["early"].span
    findings = [Diagnostic("warning", "step `early` is unreachable", early, kind="unreachable"),
                Diagnostic("error", "branches of `timing` leave a gap: weeks missing", None, kind="gap")]
    check_golden(GOLDEN / f"sections_findings.{EXTENSIONS[format_]}", carepath.render(pathway, format_, findings=findings))


@pytest.mark.parametrize("format_", sorted(EXTENSIONS))
@pytest.mark.parametrize("section, stem", [("Screening", "sections_screening"), ("Routine care", "sections_routine")])
def test_section_charts_match_their_goldens(check_golden, format_, section, stem):
    pathway = carepath.load(PATHWAYS / "sections.dsl")
    check_golden(GOLDEN / f"{stem}.{EXTENSIONS[format_]}", carepath.render(pathway, format_, section=section))
