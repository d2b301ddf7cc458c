"""Stage 4, structural checks: what the graph alone shows, without asking the solver."""
from __future__ import annotations

from ..errors import ERROR, WARNING, Diagnostic, Related
from ..model.resolve import name_span
from ..syntax import ast


def node_kind(node: ast.Node) -> str:
    """`step` or `decision`, for messages."""
    return "decision" if isinstance(node, ast.Decision) else "step"


def unconnected_nodes(context) -> list[Diagnostic]:
    """Steps and decisions that no chain of branches and jumps from the start leads to."""
    pathway = context.pathway
    return [Diagnostic(ERROR, f"{node_kind(node)} `{name}` is unreachable: no path from `start {pathway.start}` "
                              "leads to it", name_span(node), kind="unreachable",
                       hint="lead a branch or jump here, or delete it")
            for name, node in pathway.nodes.items() if name not in context.connected]


def uncited_cautions(context) -> list[Diagnostic]:
    """A caution should say where it comes from, as every recommendation must."""
    return [Diagnostic(WARNING, f"the caution on `{rec.code}` cites no source", caution.span,
                       kind="uncited_caution", hint="add `cite SOURCE` after its text")
            for rec in ast.recommendations(context.pathway.nodes.values()) for caution in rec.cautions if not caution.citations]


def duplicate_codes(context) -> list[Diagnostic]:
    """One step recommending the same code twice would emit it twice."""
    found = []
    for node in context.pathway.nodes.values():
        first: dict[str, ast.Recommendation] = {}
        for rec in getattr(node, "recommendations", ()):
            if rec.code in first:
                found.append(Diagnostic(WARNING, f"step `{node.name}` recommends `{rec.code}` twice", rec.span,
                                        kind="duplicate_code", hint="merge their guards with `or`",
                                        related=(Related("first recommended here", first[rec.code].span),)))
            first.setdefault(rec.code, rec)
    return found
