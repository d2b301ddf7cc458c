"""Stage 2, the model: the decision graph, a networkx DiGraph whose node ids are the DSL's names."""
from __future__ import annotations

from typing import Any

import networkx as nx

from ..syntax import ast
from ..syntax.printer import show, show_branch


def build_graph(pathway) -> nx.DiGraph:
    """Nodes in source order; one edge per (node, target) listing the branches that take it."""
    graph = nx.DiGraph(name=pathway.name, title=pathway.document.header.title,
                       version=pathway.version, start=pathway.start)
    for node in pathway.nodes.values():
        graph.add_node(node.name, **_node_attributes(node))
    for node in pathway.nodes.values():
        for order, (target, guard) in enumerate(_edges(node), start=1):
            if not graph.has_edge(node.name, target):
                graph.add_edge(node.name, target, branches=[])
            graph.edges[node.name, target]["branches"].append(
                {"order": order, "guard": guard, "label": _label(node, guard)})
    return graph


def _node_attributes(node: ast.Node) -> dict[str, Any]:
    """Kind, title, span and (for steps) recommendations of one node."""
    attributes: dict[str, Any] = {"kind": "decision" if isinstance(node, ast.Decision) else "step",
                                  "title": node.title, "span": node.span, "section": node.section}
    if isinstance(node, ast.Decision):
        attributes["first_match"] = node.first_match
    else:
        attributes["recommendations"] = node.recommendations
        attributes["urgency"] = node.urgency
        attributes["stop"] = node.next is None
    return attributes


def _edges(node: ast.Node) -> list[tuple[str, ast.Expr | None]]:
    """(target, guard) pairs out of a node; a step's jump has no guard."""
    if isinstance(node, ast.Decision):
        return [(b.target, b.guard) for b in node.branches]
    return [(node.next, None)] if node.next else []


def _label(node: ast.Node, guard: ast.Expr | None) -> str:
    """An edge's text in DSL syntax: its guard, `otherwise`, or empty for a step's jump."""
    return "" if isinstance(node, ast.Step) else show_branch(guard)


def to_json(graph: nx.DiGraph) -> dict[str, Any]:
    """Node-link JSON with spans and recommendations as plain data."""
    data = nx.node_link_data(graph, edges="edges")
    for node in data["nodes"]:
        node["span"] = node["span"].to_json() if node.get("span") else None
        if "recommendations" in node:
            node["recommendations"] = [_recommendation(r) for r in node["recommendations"]]
    for edge in data["edges"]:
        edge["branches"] = [{"order": b["order"], "guard": b["label"]} for b in edge["branches"]]
    return data


def _recommendation(rec: ast.Recommendation) -> dict[str, Any]:
    """One recommendation as plain data."""
    return {"code": rec.code, "text": rec.text, "urgency": rec.urgency, "cite": [_citation(c) for c in rec.citations],
            "when": show(rec.guard) if rec.guard is not None else None,
            "cautions": [{"text": c.text, "cite": [_citation(s) for s in c.citations]} for c in rec.cautions]}


def _citation(citation: ast.Citation) -> dict[str, Any]:
    """A citation as plain data: the source's name, where in it (or null) and the quote (or null)."""
    return {"source": citation.source, "locator": citation.locator, "quote": citation.quote}


def to_text(graph: nx.DiGraph) -> str:
    """The graph as indented text: each node, then its edges with their guards."""
    lines = [f"{graph.graph['name']} (start: {graph.graph['start']})"]
    for name, data in graph.nodes(data=True):
        lines.append(f"{data['kind']} {name}: {data['title']}")
        branches = sorted((b["order"], b["label"], target) for _, target, e in graph.out_edges(name, data=True)
                          for b in e["branches"])
        lines.extend(f"  {label or 'next'} -> {target}" for _, label, target in branches)
        if data.get("stop"):
            lines.append("  stop")
    return "\n".join(lines) + "\n"
