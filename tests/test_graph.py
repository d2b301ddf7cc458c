"""Stage 2 tests: the networkx decision graph and its node-link JSON."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

import carepath
from carepath.model.graph import to_json, to_text

HERE = Path(__file__).parent
PATHWAYS = sorted((HERE / "fixtures" / "pathways").glob("*.dsl"))


@pytest.mark.parametrize("path", PATHWAYS, ids=lambda p: p.name)
def test_graph_golden(path: Path, check_golden) -> None:
    """Each fixture's node-link JSON and text listing match their golden files."""
    graph = carepath.loads(path.read_text(encoding="utf-8"), path.name).graph
    check_golden(HERE / "golden" / "graph" / f"{path.stem}.json", json.dumps(to_json(graph), indent=2) + "\n")
    check_golden(HERE / "golden" / "graph" / f"{path.stem}.txt", to_text(graph))


def test_graph_mirrors_the_pathway() -> None:
    """Node ids are DSL names in source order; edges carry ordered branches with DSL guard text."""
    pathway = carepath.load(HERE / "fixtures" / "pathways" / "triage.dsl")
    graph = pathway.graph
    assert isinstance(graph, nx.DiGraph) and nx.is_directed_acyclic_graph(graph)
    assert list(graph.nodes) == list(pathway.nodes)
    assert graph.nodes["assess"]["kind"] == "decision" and graph.nodes["assess"]["first_match"]
    assert [r.code for r in graph.nodes["urgent_care"]["recommendations"]] == ["analgesia", "review"]
    labels = [(b["order"], b["label"]) for b in graph.edges["assess", "urgent_care"]["branches"]]
    assert labels == [(2, "pain is severe or febrile"), (4, "otherwise")]
    assert graph.edges["child", "safety_net"]["branches"] == [{"order": 1, "guard": None, "label": ""}]
