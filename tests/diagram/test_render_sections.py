"""`render --section`: one section's chart, the boxes where it meets the others, definitions, sources by title."""
from __future__ import annotations

import re

import pytest

import carepath
from carepath.diagram.chart import build_chart
from carepath.errors import UsageError
from render_support import PATHWAYS, ROOT, cli

SECTIONS = PATHWAYS / "sections.dsl"
CITED = ROOT / "tests" / "fixtures" / "review" / "cited.dsl"


def _nodes(chart) -> set[str]:
    """The DSL nodes drawn as nodes in a chart."""
    return {box.node for box in chart.boxes if box.role == "node"}


def test_a_section_chart_draws_only_its_own_nodes():
    pathway = carepath.load(SECTIONS)
    chart = build_chart(pathway, section="Routine care")
    assert _nodes(chart) == {"timing", "early", "end"}
    assert chart.sections == ("Routine care",)
    assert not any(box.role == "start" for box in chart.boxes)
    assert "section: Routine care" in chart.heading


def test_arrows_from_and_to_other_sections_end_at_boxes_naming_them():
    pathway = carepath.load(SECTIONS)
    screening = build_chart(pathway, section="Screening")
    exits = {box.node: box.title for box in screening.boxes if box.role == "exit"}
    assert set(exits) == {"timing", "end"}
    assert exits["timing"] == "on to Routine care:\nHow long since onset?"
    assert ("node", "timing") not in {a.head for a in screening.arrows}
    assert (("node", "screen"), ("exit", "timing")) in {(a.tail, a.head) for a in screening.arrows}
    routine = build_chart(pathway, section="Routine care")
    entries = {box.node: box.title for box in routine.boxes if box.role == "entry"}
    assert set(entries) == {"timing", "end"}
    assert entries["end"] == "from Screening:\nSame-week review"


def test_every_arrow_of_a_section_chart_joins_drawn_boxes(flagship):
    for section in dict.fromkeys(n.section for n in flagship.nodes.values()):
        chart = build_chart(flagship, section=section)
        keys = {box.key for box in chart.boxes}
        assert all(a.tail in keys and a.head in keys for a in chart.arrows), section


def test_a_broad_section_is_laid_out_left_to_right(flagship):
    """Red flags fans out to six branches: side by side they would not fit a page's width."""
    assert build_chart(flagship, section="Red flags").direction == "LR"
    assert "rankdir=LR" in carepath.render(flagship, "dot", section="Red flags")
    assert build_chart(flagship).direction == "TB"


def test_the_derived_values_the_guards_read_are_defined_in_words(flagship):
    chart = build_chart(flagship, section="Red flags")
    defined = [entry.split(" =", 1)[0] for entry in chart.definitions]
    assert defined == ["cauda_equina_suspected", "neurological_emergency", "cancer_suspected", "infection_suspected",
                       "serious_pathology_cleared", "fracture_suspected"]
    assert "neurological_emergency = cauda_equina_suspected or progressive_neuro_deficit" in chart.definitions
    stratify = build_chart(flagship, section="Risk stratification (STarT Back)").definitions
    assert "startback_total is at most 3" in stratify[0] and stratify[0].count("\n") >= 5
    assert "Derived values read here" in carepath.render(flagship, "dot", section="Red flags")


def test_sources_are_shown_by_title_with_their_locators():
    chart = build_chart(carepath.load(CITED), section="Red flags")
    (row,) = next(box for box in chart.boxes if box.node == "xray" and box.role == "node").rows
    assert row.sources.replace("\n", " ") == ("sources: NICE NG59: Low back pain and sciatica in over 16s "
                                               "(recommendation 1.1.3); Local back pain guide (section 2)")
    assert "guide.txt" not in carepath.render(carepath.load(CITED), "dot")


def test_an_unknown_section_is_a_usage_error_that_lists_the_sections():
    with pytest.raises(UsageError, match=r'no section is named "Triage"; the sections are: "Screening", "Routine care"'):
        carepath.render(carepath.load(SECTIONS), "dot", section="Triage")
    done = cli("render", str(SECTIONS), "--section", "Triage")
    assert done.returncode == 2 and b"no section is named" in done.stderr and not done.stdout


def test_the_cli_draws_one_section(tmp_path):
    target = tmp_path / "routine.svg"
    done = cli("render", str(SECTIONS), "--section", "Routine care", "-o", str(target))
    assert done.returncode == 0, done.stderr
    svg = target.read_text(encoding="utf-8")
    assert "How long since onset?" in svg and "Call 999" not in svg


def test_section_charts_of_the_flagship_fit_a_screen(flagship, tmp_path):
    """Each section's chart is at most 1,700 points wide (a screen at 100%); the whole one is far wider."""
    for section in dict.fromkeys(n.section for n in flagship.nodes.values()):
        svg = carepath.render(flagship, "svg", section=section)
        width = float(re.search(r'<svg width="([0-9.]+)pt"', svg).group(1))
        assert width <= 1700 * 72 / 110, (section, width)


def test_a_case_path_runs_through_the_boxes_for_other_sections():
    """With a case, the boxes standing for other sections are on the path when the case went there."""
    pathway = carepath.load(SECTIONS)
    result = carepath.run(pathway, {"collapse": False, "weakness": True, "weeks": 3})
    routine = build_chart(pathway, result, section="Routine care")
    states = {box.key: box.state for box in routine.boxes}
    assert states[("entry", "end")] == "path" and states[("entry", "timing")] == "faded"
    assert states[("node", "end")] == "path" and states[("node", "timing")] == "faded"
    screening = build_chart(pathway, result, section="Screening")
    states = {box.key: box.state for box in screening.boxes}
    assert states[("exit", "end")] == "path" and states[("exit", "timing")] == "faded"
