"""Faithfulness: every node, branch, guard, recommendation and caution of a pathway is drawn."""
from __future__ import annotations

import re
import subprocess

import pytest

import carepath
from render_support import PATHWAYS
from carepath.diagram.chart import build_chart
from carepath.diagram.escape import dot_html, mermaid_text
from carepath.syntax import ast
from carepath.syntax.printer import show
from carepath.syntax.units import with_units

PATHWAY_FILES = sorted(PATHWAYS.glob("*.dsl"))


def _unwrapped(text: str) -> str:
    """A label with its wrapping undone, numbering and bullets removed."""
    return re.sub(r"(^|\n)(\d+\. |\u2022 )", r"\1", text).replace("\n", " ")


@pytest.fixture(params=["flagship", *(p.stem for p in PATHWAY_FILES)])
def pathway(request, flagship):
    return flagship if request.param == "flagship" else carepath.load(PATHWAYS / f"{request.param}.dsl")


def test_every_edge_carries_every_branch_guard_in_dsl_syntax_with_units(pathway):
    """Each guard as the DSL writes it, each number compared with a value that has a unit followed by it."""
    arrows = {(a.tail[1], a.head[1]): a for a in build_chart(pathway).arrows if a.tail[0] == a.head[0] == "node"}
    assert set(arrows) == set(pathway.graph.edges)
    for tail, head, branches in pathway.graph.edges(data="branches"):
        label = _unwrapped(arrows[tail, head].label)
        for branch in branches:
            guard = branch["guard"]
            assert (branch["label"] if guard is None else show(with_units(guard, pathway.units))) in label


def test_first_match_branches_are_numbered_in_order(pathway):
    for name, node in pathway.nodes.items():
        if isinstance(node, ast.Decision) and node.first_match:
            labels = [a.label for a in build_chart(pathway).arrows if a.tail == ("node", name)]
            numbers = [int(n) for label in labels for n in re.findall(r"(?:^|\n)(\d+)\. ", label)]
            assert sorted(numbers) == list(range(1, len(node.branches) + 1))


def test_dot_and_mermaid_name_every_node_code_and_caution(pathway):
    dot, mermaid = carepath.render(pathway, "dot"), carepath.render(pathway, "mermaid")
    for name, node in pathway.nodes.items():
        assert f'\n  "{name}" [' in dot or f'\n    "{name}" [' in dot
        assert f"n_{name}" in mermaid and dot_html(node.title.split()[0]) in dot
        for rec in getattr(node, "recommendations", ()):
            assert dot_html(rec.code) in dot and mermaid_text(rec.code) in mermaid
    cautions = sum(len(r.cautions) for n in pathway.nodes.values() for r in getattr(n, "recommendations", ()))
    assert dot.count("&#9888;") == cautions + (1 if cautions else 0)   # one more in the legend


def test_start_and_every_stop_are_terminals(pathway):
    dot = carepath.render(pathway, "dot")
    stops = [n for n, node in pathway.nodes.items() if isinstance(node, ast.Step) and node.next is None]
    assert f'"(start)" -> "{pathway.start}"' in dot
    for name in stops:
        assert f'"{name}" -> "(stop) {name}"' in dot


def test_heading_has_name_version_and_release_date(flagship):
    dot = carepath.render(flagship, "dot")
    header = flagship.document.header
    assert dot_html(header.title) in dot
    assert f"version {header.version}" in dot and f"released {header.released}" in dot


def test_sections_become_clusters_holding_their_nodes():
    pathway = carepath.load(PATHWAYS / "sections.dsl")
    dot = carepath.render(pathway, "dot")
    clusters = re.findall(r'subgraph "cluster_\d+" \{\n(.*?)\n  \}', dot, re.S)
    assert len(clusters) == 2
    assert '"screen"' in clusters[0] and '"urgent_care"' in clusters[0] and '"timing"' in clusters[1]


def test_urgent_and_emergency_steps_stand_out():
    pathway = carepath.load(PATHWAYS / "sections.dsl")
    dot = carepath.render(pathway, "dot")
    lines = {name: next(l for l in dot.splitlines() if l.strip().startswith(f'"{name}" [')) for name in pathway.nodes}
    assert "EMERGENCY" in lines["emergency_care"] and "URGENT" in lines["urgent_care"]
    assert "penwidth" in lines["emergency_care"] and "penwidth" not in lines["early"]


def test_dot_lays_out_and_svg_names_every_node(flagship):
    svg = carepath.render(flagship, "svg")
    titles = set(re.findall(r"<title>([^<]*)</title>", svg))
    assert set(flagship.nodes) <= titles


def test_png_is_a_png(flagship):
    assert carepath.render(flagship, "png")[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_format_is_a_usage_error(flagship):
    with pytest.raises(carepath.CarepathError, match="unknown format"):
        carepath.render(flagship, "pdf")


def test_sources_are_listed_by_title_on_their_recommendations():
    """Each recommendation lists its sources by title (the reference when none is declared), and
    each caution its own."""
    pathway = carepath.loads('pathway p "P"\nsource u "never_cited.txt"\nsource s "000_5e10.txt" "After one session"\n'
                             'source n "NICE NG59"\nstart a\nstep a "A"\n  recommend r "R" cite n, s\n'
                             '    caution "Mind it" cite s\n  stop\n')
    chart = build_chart(pathway)
    (row,) = next(box for box in chart.boxes if box.node == "a" and box.role == "node").rows
    assert row.sources.replace("\n", " ") == "sources: NICE NG59; After one session" and row.cautions == ("Mind it [After one session]",)
    dot = carepath.render(pathway, "dot")
    assert "After one session" in dot and "never_cited.txt" not in dot
