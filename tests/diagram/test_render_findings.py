"""Findings overlay: each diagnostic is drawn on the node whose span contains it, or that it names."""
from __future__ import annotations

import pytest

import carepath
from render_support import PATHWAYS
from carepath.diagram.chart import build_chart
from carepath.diagram.findings import locate
from carepath.errors import Diagnostic, Span


@pytest.fixture(scope="module")
def pathway() -> carepath.Pathway:
    return carepath.load(PATHWAYS / "sections.dsl")


def _inside(pathway, name: str) -> Span:
    """A span strictly inside node `name` (its second line), like a branch or recommendation."""
    span = pathway.nodes[name].span
    return Span(pathway.source, span.line + 1, 3, span.line + 1, 10)


def test_a_span_inside_a_node_maps_to_that_node(pathway):
    finding = Diagnostic("error", "branches 1 and 2 overlap", _inside(pathway, "screen"), kind="overlap")
    assert locate(pathway, finding) == "screen"


def test_a_node_span_maps_to_its_node_even_when_the_message_names_another(pathway):
    finding = Diagnostic("warning", "`timing` makes step `early` unreachable", pathway.nodes["early"].span)
    assert locate(pathway, finding) == "early"


def test_without_a_node_span_the_first_named_node_is_used(pathway):
    header = Span(pathway.source, 2, 1, 2, 5)
    assert locate(pathway, Diagnostic("warning", "fact `weeks` and step `early` disagree", header)) == "early"
    assert locate(pathway, Diagnostic("warning", "step `early` is unreachable")) == "early"


def test_a_span_in_another_file_does_not_map_by_position(pathway):
    other = Span(carepath.errors.SourceFile("other.dsl", pathway.source.text), *_span_tuple(pathway, "screen"))
    assert locate(pathway, Diagnostic("error", "somewhere else", other)) is None


def _span_tuple(pathway, name):
    span = pathway.nodes[name].span
    return span.line, span.column, span.end_line, span.end_column


def test_findings_outline_nodes_in_red_and_add_notes(pathway):
    findings = [Diagnostic("error", "branches 1 and 2 overlap", _inside(pathway, "screen"), kind="overlap"),
                Diagnostic("warning", "never reached", pathway.nodes["early"].span, kind="unreachable"),
                Diagnostic("warning", "fact `weeks` is never read", None, kind="unused")]
    chart = build_chart(pathway, findings=findings)
    marked = {b.node for b in chart.boxes if b.marked}
    notes = {b.node: b.title for b in chart.boxes if b.role == "finding"}
    assert marked == set(notes) == {"screen", "early"}
    assert "overlap" in notes["screen"] and "never reached" in notes["early"]
    assert any("never read" in line for line in chart.heading)
    dot = carepath.render(pathway, "dot", findings=findings)
    screen = next(line for line in dot.splitlines() if line.strip().startswith('"screen" ['))
    assert 'color="#e03131"' in screen
    assert '"screen" -> "(finding) screen" [' in dot and '"early" -> "(finding) early" [' in dot


def test_no_findings_marks_nothing(pathway):
    assert not any(b.marked or b.role == "finding" for b in build_chart(pathway, findings=[]).boxes)


def test_warnings_are_drawn_unlike_errors(pathway):
    """A node with only warnings gets the amber warning style, one with an error the red one."""
    findings = [Diagnostic("warning", "step `early` is unreachable", pathway.nodes["early"].span),
                Diagnostic("error", "gap", _inside(pathway, "timing"))]
    chart = build_chart(pathway, findings=findings)
    marks = {box.node: box.marked for box in chart.boxes if box.role == "node" and box.marked}
    notes = {box.node: box.style for box in chart.boxes if box.role == "finding"}
    assert marks == notes == {"early": "warning", "timing": "finding"}
    titles = {box.node: box.title for box in chart.boxes if box.role == "finding"}
    assert titles["early"].startswith("\u25b2 warning: step") and titles["timing"] == "\u2716 error: gap"
    assert "2 findings from carepath check: 1 error (red), 1 warning (amber)" in chart.heading
    assert {"finding", "warning"} <= set(chart.legend)


def test_one_finding_is_counted_in_the_singular(pathway):
    chart = build_chart(pathway, findings=[Diagnostic("error", "gap", _inside(pathway, "timing"))])
    assert "1 finding from carepath check: 1 error (red)" in chart.heading
