"""Stage 4, rendering: what a flowchart shows (boxes, arrows, overlays), before any output language."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from ..errors import Diagnostic
from ..syntax import ast
from ..syntax.printer import show
from .escape import wrap
from .findings import locate
from .palette import FINDING_MARK
from .scores import score_tables

if TYPE_CHECKING:
    from ..engine import Result
    from ..model import Pathway

TITLE_WIDTH = 26
TEXT_WIDTH = 40
GUARD_WIDTH = 30
NOTE_WIDTH = 36
PLAIN, PATH, FADED, NEEDS, FINDING = "plain", "path", "faded", "needs", "finding"


@dataclass(frozen=True)
class Row:
    """One recommendation of a step: code, wrapped text, guard and cautions; emitted under a case."""

    code: str
    text: str
    guard: str | None
    cautions: tuple[str, ...]
    emitted: bool | None = None


@dataclass(frozen=True)
class Box:
    """A shape: role start/stop/decision/step/needs/finding; `node` is the DSL name it belongs to."""

    role: str
    node: str
    title: str
    style: str
    state: str = PLAIN
    rows: tuple[Row, ...] = ()
    marked: bool = False
    section: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """The box's identity, from which each language derives its node id."""
        return (self.role, self.node)


@dataclass(frozen=True)
class Arrow:
    """A connection between two boxes; its label lists the branches that take it."""

    tail: tuple[str, str]
    head: tuple[str, str]
    label: str
    state: str = PLAIN
    note: bool = False


@dataclass(frozen=True)
class Chart:
    """A whole flowchart: heading lines, sections in source order, boxes, arrows, legend keys."""

    name: str
    heading: tuple[str, ...]
    sections: tuple[str, ...]
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    legend: tuple[str, ...]
    tables: tuple = ()  # scores.ScoreTable per score: its criteria and points

    def by_section(self) -> dict[str | None, list[Box]]:
        """Boxes grouped by section (None: outside every section), each group in chart order."""
        groups: dict[str | None, list[Box]] = {}
        for box in self.boxes:
            groups.setdefault(box.section, []).append(box)
        return groups


def build_chart(pathway: "Pathway", result: "Result | None" = None,
                findings: Sequence[Diagnostic] = ()) -> Chart:
    """The flowchart of a pathway, with a case's path and checker findings overlaid when given."""
    overlay = _Overlay(pathway, result, findings)
    boxes = [Box("start", "", "Start", "terminal", overlay.start_state(), section=None)]
    arrows = [Arrow(("start", ""), _key(pathway.start), "", overlay.start_state())]
    for node in pathway.nodes.values():
        boxes.extend(_node_boxes(node, overlay))
        arrows.extend(_node_arrows(pathway, node, overlay))
    sections = tuple(dict.fromkeys(n.section for n in pathway.nodes.values() if n.section))
    return Chart(pathway.name, _heading(pathway, overlay), sections, tuple(boxes), tuple(arrows),
                 _legend(pathway, overlay), score_tables(pathway))


def _key(name: str) -> tuple[str, str]:
    """The key of the box drawing DSL node `name`."""
    return ("node", name)


def _node_boxes(node: ast.Node, overlay: "_Overlay") -> list[Box]:
    """The box of a node, its stop terminal, and its notes (facts needed, findings)."""
    state, marked = overlay.state(node.name), bool(overlay.notes.get(node.name))
    if isinstance(node, ast.Decision):
        boxes = [Box("node", node.name, wrap(node.title, TITLE_WIDTH), "decision", state, (), marked, node.section)]
    else:
        rows = tuple(_row(node.name, rec, overlay) for rec in node.recommendations)
        boxes = [Box("node", node.name, wrap(node.title, TITLE_WIDTH), node.urgency or "step", state, rows,
                     marked, node.section)]
        if node.next is None:
            boxes.append(Box("stop", node.name, "Stop", "terminal", overlay.stop_state(node.name),
                             section=node.section))
    if node.name == overlay.stopped_at:
        boxes.append(Box("needs", node.name, overlay.needs_text(), "needs", NEEDS, section=node.section))
    if marked:
        boxes.append(Box("finding", node.name, overlay.notes[node.name], "finding", section=node.section))
    return boxes


def _row(step: str, rec: ast.Recommendation, overlay: "_Overlay") -> Row:
    """One recommendation as a step box lists it."""
    guard = None if rec.guard is None else wrap(f"when {show(rec.guard)}", GUARD_WIDTH + 10)
    cautions = tuple(wrap(c.text + (f" (when {show(c.guard)})" if c.guard is not None else ""), TEXT_WIDTH)
                     for c in rec.cautions)
    return Row(rec.code, wrap(rec.text, TEXT_WIDTH), guard, cautions, overlay.emitted(step, rec.code))


def _node_arrows(pathway: "Pathway", node: ast.Node, overlay: "_Overlay") -> list[Arrow]:
    """Arrows out of a node in branch order, then to its stop terminal and notes."""
    graph = pathway.graph
    first_match = isinstance(node, ast.Decision) and node.first_match
    edges = sorted(graph.out_edges(node.name, data="branches"), key=lambda e: e[2][0]["order"])
    arrows = [Arrow(_key(node.name), _key(target), _edge_label(branches, first_match),
                    overlay.edge_state(node.name, target)) for _, target, branches in edges]
    if isinstance(node, ast.Step) and node.next is None:
        arrows.append(Arrow(_key(node.name), ("stop", node.name), "", overlay.stop_state(node.name)))
    if node.name == overlay.stopped_at:
        arrows.append(Arrow(_key(node.name), ("needs", node.name), "", NEEDS, note=True))
    if overlay.notes.get(node.name):
        arrows.append(Arrow(_key(node.name), ("finding", node.name), "", FINDING, note=True))
    return arrows


def _edge_label(branches: list[dict], first_match: bool) -> str:
    """The branches along one edge, each guard wrapped, numbered under first match."""
    texts = [wrap(b["label"], GUARD_WIDTH) for b in branches]
    if first_match:
        texts = [f"{b['order']}. {text}" for b, text in zip(branches, texts)]
    elif len(texts) > 1:
        texts = [f"\u2022 {text}" for text in texts]
    return "\n".join(texts)


def _heading(pathway: "Pathway", overlay: "_Overlay") -> tuple[str, ...]:
    """Title, identity line, then one line per overlay."""
    header = pathway.document.header
    identity = [pathway.name]
    if header.version:
        identity.append(f"version {header.version}")
    if header.released:
        identity.append(f"released {header.released}")
    return (header.title, " \u00b7 ".join(identity), *overlay.heading())


def _legend(pathway: "Pathway", overlay: "_Overlay") -> tuple[str, ...]:
    """The legend entries this chart uses, in a fixed order."""
    nodes = list(pathway.nodes.values())
    recs = ast.recommendations(nodes)
    used = {
        "terminal": True,
        "decision": any(isinstance(n, ast.Decision) for n in nodes),
        "first_match": any(isinstance(n, ast.Decision) and n.first_match for n in nodes),
        "step": any(isinstance(n, ast.Step) for n in nodes),
        "urgent": any(isinstance(n, ast.Step) and n.urgency == "urgent" for n in nodes),
        "emergency": any(isinstance(n, ast.Step) and n.urgency == "emergency" for n in nodes),
        "guarded": any(r.guard is not None for r in recs),
        "caution": any(r.cautions for r in recs),
        "path": overlay.result is not None,
        "emitted": overlay.result is not None,
        "faded": overlay.result is not None,
        "needs": overlay.stopped_at is not None,
        "finding": bool(overlay.findings),
    }
    return tuple(key for key, shown in used.items() if shown)


class _Overlay:
    """What a case and a list of findings change in the chart; everything plain without them."""

    def __init__(self, pathway: "Pathway", result: "Result | None", findings: Iterable[Diagnostic]):
        self.result = result
        self.findings = tuple(findings)
        visits = [v.node for v in result.path] if result else []
        self.visited = set(visits)
        self.steps = set(zip(visits, visits[1:]))
        self.received = {(r.step, r.code) for r in result.recommendations} if result else set()
        last = result.path[-1] if result and result.path else None
        self.stopped_at = last.node if result and result.status == "needs_input" and last else None
        self.stopped = last.node if last and last.took == "stop" else None
        self.notes, self.loose = _finding_notes(pathway, self.findings)

    def state(self, node: str) -> str:
        """A node's state: plain without a case; on the path, where it stopped, or faded."""
        if self.result is None:
            return PLAIN
        if node == self.stopped_at:
            return NEEDS
        return PATH if node in self.visited else FADED

    def start_state(self) -> str:
        """The start terminal is on every case's path."""
        return PLAIN if self.result is None else PATH

    def stop_state(self, node: str) -> str:
        """A stop terminal is on the path when the case stopped at its step."""
        if self.result is None:
            return PLAIN
        return PATH if node == self.stopped else FADED

    def edge_state(self, tail: str, head: str) -> str:
        """An edge is on the path when the case went along it."""
        if self.result is None:
            return PLAIN
        return PATH if (tail, head) in self.steps else FADED

    def emitted(self, step: str, code: str) -> bool | None:
        """Whether the case received this recommendation (None without a case)."""
        return None if self.result is None else (step, code) in self.received

    def needs_text(self) -> str:
        """The note where a needs_input case stopped."""
        return wrap("needs input: " + ", ".join(self.result.needs), NOTE_WIDTH)

    def heading(self) -> list[str]:
        """Heading lines describing the overlays."""
        lines = []
        if self.result is not None:
            lines.append(f"case: {self.result.status}, {len(self.result.recommendations)} recommendations; "
                         "its path is highlighted, the rest faded")
        if self.findings:
            lines.append(f"{len(self.findings)} findings from carepath check (red)")
            lines.extend(wrap(f"{FINDING_MARK} {d.severity}: {d.message}", 90) for d in self.loose)
        return lines



def _finding_notes(pathway: "Pathway", findings: tuple[Diagnostic, ...]) -> tuple[dict[str, str], list[Diagnostic]]:
    """Findings grouped into one note per node, and those no node contains."""
    by_node: dict[str, list[str]] = {}
    loose = []
    for diagnostic in findings:
        node = locate(pathway, diagnostic)
        if node is None:
            loose.append(diagnostic)
        else:
            by_node.setdefault(node, []).append(wrap(f"{FINDING_MARK} {diagnostic.severity}: {diagnostic.message}",
                                                     NOTE_WIDTH))
    return {node: "\n".join(notes) for node, notes in by_node.items()}, loose
