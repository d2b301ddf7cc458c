"""Stage 4, rendering: what a flowchart shows (boxes, arrows, overlays), before any output language."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Iterable, Sequence

from ..errors import ERROR, Diagnostic, UsageError, counted, error
from ..syntax import ast
from ..syntax.printer import show
from ..syntax.units import derived_with_units, with_units
from ..syntax.words import define, derived_read
from .escape import wrap
from .findings import locate
from .palette import FINDING_MARK, WARNING_MARK
from .scores import score_tables

if TYPE_CHECKING:
    from ..engine import Result
    from ..model import Pathway
    from ..population.weights import Weights

TITLE_WIDTH = 22
TEXT_WIDTH = 34
DEFINITION_WIDTH = 90
GUARD_WIDTH = 30
NOTE_WIDTH = 36
PLAIN, PATH, FADED, NEEDS, FINDING, WARNING = "plain", "path", "faded", "needs", "finding", "warning"


@dataclass(frozen=True)
class Row:
    """One recommendation of a step: code, wrapped text, guard and cautions; emitted under a case;
    `sources` numbers its citations in the chart's source list (`[1, 3]`)."""

    code: str
    text: str
    guard: str | None
    cautions: tuple[str, ...]
    emitted: bool | None = None
    sources: str = ""
    urgency: str = "routine"
    count: int | None = None


@dataclass(frozen=True)
class Box:
    """A shape: role start/stop/decision/step/needs/finding, or entry/exit where a section chart meets
    the rest; `node` is the DSL name it belongs to; `marked` is the style of the worst finding on it
    (FINDING for errors, WARNING) or ""."""

    role: str
    node: str
    title: str
    style: str
    state: str = PLAIN
    rows: tuple[Row, ...] = ()
    marked: str = ""
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
    weight: float | None = None  # under a population: the share of the busiest arrow's rows, 0..1


@dataclass(frozen=True)
class Chart:
    """A whole flowchart: heading lines, sections in source order, boxes, arrows, legend keys, the
    direction of its layout, and the definitions (in words) of the derived values its guards read."""

    name: str
    heading: tuple[str, ...]
    sections: tuple[str, ...]
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    legend: tuple[str, ...]
    direction: str = "TB"
    definitions: tuple[str, ...] = ()
    tables: tuple = ()  # scores.ScoreTable per score: its criteria and points

    def by_section(self) -> dict[str | None, list[Box]]:
        """Boxes grouped by section (None: outside every section), each group in chart order."""
        groups: dict[str | None, list[Box]] = {}
        for box in self.boxes:
            groups.setdefault(box.section, []).append(box)
        return groups


def build_chart(pathway: "Pathway", result: "Result | None" = None,
                findings: Sequence[Diagnostic] = (), section: str | None = None,
                population: "Weights | None" = None) -> Chart:
    """The flowchart of a pathway, or of one section, with a case's path, checker findings or a
    population's counts overlaid when given."""
    overlay = _Overlay(pathway, result, findings, population)
    nodes = section_nodes(pathway, section)
    boxes, arrows = [], []
    if pathway.start in nodes:
        boxes.append(Box("start", "", "Start", "terminal", overlay.start_state(), section=None))
        arrows.append(overlay.weighed(Arrow(("start", ""), _key(pathway.start), "", overlay.start_state()),
                                      population.walked if population else 0))
    for node in nodes.values():
        boxes.extend(_node_boxes(pathway, node, overlay))
        arrows.extend(_node_arrows(pathway, node, overlay))
    if section is not None:
        _connect_outside(pathway, nodes, overlay, boxes, arrows)
    sections = tuple(dict.fromkeys(n.section for n in nodes.values() if n.section))
    heading = _heading(pathway, overlay) + ((f"section: {section}",) if section is not None else ())
    definitions = _definitions(pathway, nodes)
    return Chart(pathway.name, heading, sections, tuple(boxes), tuple(arrows),
                 _legend(pathway, overlay, boxes, definitions),
                 _direction(pathway, nodes) if section is not None else "TB", definitions, score_tables(pathway))


def section_nodes(pathway: "Pathway", section: str | None) -> dict[str, ast.Node]:
    """The nodes of one section (all of them for None); an unknown section is a usage error."""
    if section is None:
        return pathway.nodes
    nodes = {name: node for name, node in pathway.nodes.items() if node.section == section}
    if not nodes:
        known = ", ".join(f'"{s}"' for s in dict.fromkeys(n.section for n in pathway.nodes.values() if n.section))
        raise UsageError(error(f'no section is named "{section}"; the sections are: {known or "(none)"}'))
    return nodes


def _connect_outside(pathway: "Pathway", nodes: dict[str, ast.Node], overlay: "_Overlay",
                     boxes: list[Box], arrows: list[Arrow]) -> None:
    """Arrows from and to other sections end at small boxes naming the node and its section."""
    graph = pathway.graph
    for name in nodes:
        callers = [p for p in graph.predecessors(name) if p not in nodes]
        if callers:
            state = _reached(overlay, [overlay.edge_state(p, name) for p in callers])
            boxes.append(Box("entry", name, _elsewhere(pathway, callers, "from"), "terminal", state))
            arrows.append(Arrow(("entry", name), _key(name), "", state))
    outside = dict.fromkeys(t for name in nodes for t in graph.successors(name) if t not in nodes)
    for target in outside:
        state = _reached(overlay, [overlay.state(target)])
        boxes.append(Box("exit", target, _elsewhere(pathway, [target], "on to"), "terminal", state))
    arrows[:] = [replace(a, head=("exit", a.head[1])) if a.head[0] == "node" and a.head[1] in outside else a
                 for a in arrows]


def _reached(overlay: "_Overlay", states: list[str]) -> str:
    """The state of a box standing for other sections: on the path when any of `states` is."""
    if overlay.result is None:
        return PLAIN
    return PATH if PATH in states or NEEDS in states else FADED


def _elsewhere(pathway: "Pathway", names: list[str], how: str) -> str:
    """`how S:` (S a section) and the titles of its nodes, for nodes drawn in other sections' charts."""
    by_section: dict[str | None, list[str]] = {}
    for name in names:
        node = pathway.nodes[name]
        by_section.setdefault(node.section, []).append(wrap(node.title, TITLE_WIDTH))
    lines = []
    for section, titles in by_section.items():
        lines.append(wrap(f"{how} {section}:" if section else f"{how}:", TITLE_WIDTH + 12))
        lines.extend(titles if len(titles) == 1 else (f"\u2022 {title}" for title in titles))
    return "\n".join(lines)


def _direction(pathway: "Pathway", nodes: dict[str, ast.Node]) -> str:
    """Left to right when a section is broader than deep (fits a portrait page), else top down."""
    import networkx

    graph = pathway.graph.subgraph(nodes)
    depth: dict[str, int] = {}
    for name in networkx.topological_sort(graph):
        depth[name] = max((depth[p] + 1 for p in graph.predecessors(name)), default=0)
    breadth = max(Counter(depth.values()).values())
    return "LR" if breadth > max(depth.values()) + 1 else "TB"


def _definitions(pathway: "Pathway", nodes: dict[str, ast.Node]) -> tuple[str, ...]:
    """One wrapped entry per derived value the drawn guards read: its definition in words."""
    guards = [guard for node in nodes.values() for _, guard in ast.node_guards(node)]
    return tuple("\n".join(wrap(line, DEFINITION_WIDTH) for line in _defined(
        name, define(derived_with_units(pathway.derived[name], pathway.units))))
                 for name in derived_read(guards, pathway.derived))


def _defined(name: str, definition: list[str]) -> list[str]:
    """`name = definition`, a definition by cases with one indented line per case."""
    if len(definition) == 1:
        return [f"{name} = {definition[0]}"]
    return [f"{name} =", *(f"\u2003{line}" for line in definition)]


def _key(name: str) -> tuple[str, str]:
    """The key of the box drawing DSL node `name`."""
    return ("node", name)


def _node_boxes(pathway: "Pathway", node: ast.Node, overlay: "_Overlay") -> list[Box]:
    """The box of a node, its stop terminal, and its notes (facts needed, findings)."""
    state, marked = overlay.state(node.name), overlay.marks.get(node.name, "")
    if isinstance(node, ast.Decision):
        boxes = [Box("node", node.name, wrap(node.title, TITLE_WIDTH), "decision", state, (), marked, node.section)]
    else:
        rows = tuple(_row(pathway, node, rec, overlay) for rec in node.recommendations)
        boxes = [Box("node", node.name, wrap(node.title, TITLE_WIDTH), node.urgency or "step", state, rows,
                     marked, node.section)]
        if node.next is None:
            boxes.append(Box("stop", node.name, "Stop", "terminal", overlay.stop_state(node.name),
                             section=node.section))
    if overlay.needs_text(node.name):
        boxes.append(Box("needs", node.name, overlay.needs_text(node.name), "needs", NEEDS, section=node.section))
    if marked:
        boxes.append(Box("finding", node.name, overlay.notes[node.name], marked, section=node.section))
    return boxes


def _row(pathway: "Pathway", step: ast.Step, rec: ast.Recommendation, overlay: "_Overlay") -> Row:
    """One recommendation as a step box lists it: its sources by title, the urgency a run gives it."""
    units = pathway.units
    guard = None if rec.guard is None else wrap(f"when {show(with_units(rec.guard, units))}", GUARD_WIDTH + 10)
    cautions = tuple(wrap(c.text + (f" (when {show(with_units(c.guard, units))})" if c.guard is not None else "")
                          + (f" [{_cited(pathway, c.citations)}]" if c.citations else ""), TEXT_WIDTH)
                     for c in rec.cautions)
    sources = wrap(f"sources: {_cited(pathway, rec.citations)}", TEXT_WIDTH)
    return Row(rec.code, wrap(rec.text, TEXT_WIDTH), guard, cautions, overlay.emitted(step.name, rec.code), sources,
               rec.urgency or step.urgency or "routine", overlay.code_count(step.name, rec.code))


def _cited(pathway: "Pathway", citations: tuple[ast.Citation, ...]) -> str:
    """Cited sources by title, each with its locator when it has one."""
    return "; ".join(pathway.source_title(c.source) + (f" ({c.locator})" if c.locator else "") for c in citations)


def _node_arrows(pathway: "Pathway", node: ast.Node, overlay: "_Overlay") -> list[Arrow]:
    """Arrows out of a node in branch order, then to its stop terminal and notes."""
    graph = pathway.graph
    first_match = isinstance(node, ast.Decision) and node.first_match
    edges = sorted(graph.out_edges(node.name, data="branches"), key=lambda e: e[2][0]["order"])
    arrows = [overlay.weighed(Arrow(_key(node.name), _key(target), _edge_label(branches, first_match, pathway.units),
                                    overlay.edge_state(node.name, target)), overlay.edge_count(node.name, target))
              for _, target, branches in edges]
    if isinstance(node, ast.Step) and node.next is None:
        arrows.append(overlay.weighed(Arrow(_key(node.name), ("stop", node.name), "", overlay.stop_state(node.name)),
                                      overlay.finished_count(node.name)))
    if overlay.needs_text(node.name):
        arrows.append(Arrow(_key(node.name), ("needs", node.name), "", NEEDS, note=True))
    if overlay.notes.get(node.name):
        arrows.append(Arrow(_key(node.name), ("finding", node.name), "", overlay.marks[node.name], note=True))
    return arrows


def _edge_label(branches: list[dict], first_match: bool, units: dict[str, str]) -> str:
    """The branches along one edge, each guard wrapped (its numbers with their units), numbered under first match."""
    texts = [wrap(b["label"] if b["guard"] is None else show(with_units(b["guard"], units)), GUARD_WIDTH)
             for b in branches]
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


def _legend(pathway: "Pathway", overlay: "_Overlay", boxes: list[Box], definitions: tuple[str, ...]) -> tuple[str, ...]:
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
        "needs": overlay.stopped_at is not None or bool(overlay.population and overlay.population.stopped),
        "finding": any(d.severity == ERROR for d in overlay.findings),
        "warning": any(d.severity != ERROR for d in overlay.findings),
        "definitions": bool(definitions),
        "elsewhere": any(box.role in ("entry", "exit") for box in boxes),
    }
    return tuple(key for key, shown in used.items() if shown)


class _Overlay:
    """What a case and a list of findings change in the chart; everything plain without them."""

    def __init__(self, pathway: "Pathway", result: "Result | None", findings: Iterable[Diagnostic],
                 population: "Weights | None" = None):
        self.result = result
        self.population = population
        # The count a full-width arrow stands for: the busiest arrow's (every run starts at the start).
        self.busiest = population.walked if population else 0
        self.findings = tuple(findings)
        visits = [v.node for v in result.path] if result else []
        self.visited = set(visits)
        self.steps = set(zip(visits, visits[1:]))
        self.received = {(r.step, r.code) for r in result.recommendations} if result else set()
        last = result.path[-1] if result and result.path else None
        self.stopped_at = last.node if result and result.status == "needs_input" and last else None
        self.stopped = last.node if last and last.took == "stop" else None
        self.notes, self.marks, self.loose = _finding_notes(pathway, self.findings)

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

    def needs_text(self, node: str) -> str | None:
        """The note where a needs_input case stopped, or where rows of a population did (with how
        many needed each fact); None elsewhere."""
        if node == self.stopped_at:
            return wrap("needs input: " + ", ".join(self.result.needs), NOTE_WIDTH)
        if not self.population or not self.population.stopped[node]:
            return None
        needs = self.population.needs.get(node, {})
        facts = ", ".join(f"{fact} ({needs[fact]:,})" for fact in sorted(needs, key=lambda f: (-needs[f], f)))
        return wrap(f"{self.population.stopped[node]:,} stopped for input: {facts}", NOTE_WIDTH)

    def weighed(self, arrow: Arrow, count: int) -> Arrow:
        """An arrow with a population's count in its label and its share as a weight."""
        if self.population is None:
            return arrow
        share = count / self.busiest if self.busiest else 0.0
        label = "\n".join(part for part in (arrow.label, f"{count:,} ({100 * count / self.population.walked:.1f}%)"
                                             if self.population.walked else "0") if part)
        return replace(arrow, label=label, weight=share, state=arrow.state if count else FADED)

    def edge_count(self, tail: str, head: str) -> int:
        """Rows of the population that went along an edge."""
        return self.population.edges[tail, head] if self.population else 0

    def finished_count(self, node: str) -> int:
        """Rows of the population whose run ended at a step's stop."""
        return self.population.finished[node] if self.population else 0

    def code_count(self, step: str, code: str) -> int | None:
        """Rows of the population that received a step's recommendation (None without one)."""
        return self.population.codes[step, code] if self.population else None

    def heading(self) -> list[str]:
        """Heading lines describing the overlays."""
        lines = []
        if self.result is not None:
            lines.append(f"case: {self.result.status}, {counted(len(self.result.recommendations), 'recommendation')}"
                         "; its path is highlighted, the rest faded")
        if self.population is not None:
            statuses = ", ".join(f"{self.population.statuses[s]:,} {s}" for s in ("complete", "needs_input", "error"))
            lines.append(f"population: {self.population.cases:,} cases ({statuses}); arrows show how many took "
                         "them (and the share of the rows that ran), codes how many received them")
        if self.findings:
            errors = sum(d.severity == ERROR for d in self.findings)
            kinds = [f"{counted(errors, 'error')} (red)"] * bool(errors)
            kinds += [f"{counted(len(self.findings) - errors, 'warning')} (amber)"] * (errors < len(self.findings))
            lines.append(f"{counted(len(self.findings), 'finding')} from carepath check: {', '.join(kinds)}")
            lines.extend(wrap(_finding_text(d), 90) for d in self.loose)
        return lines



def _finding_notes(pathway: "Pathway", findings: tuple[Diagnostic, ...]
                   ) -> tuple[dict[str, str], dict[str, str], list[Diagnostic]]:
    """Findings grouped into one note per node, each node's mark (FINDING if an error is among
    them, else WARNING), and the findings no node contains."""
    by_node: dict[str, list[Diagnostic]] = {}
    loose = []
    for diagnostic in findings:
        node = locate(pathway, diagnostic)
        if node is None:
            loose.append(diagnostic)
        else:
            by_node.setdefault(node, []).append(diagnostic)
    notes = {node: "\n".join(wrap(_finding_text(d), NOTE_WIDTH) for d in found) for node, found in by_node.items()}
    marks = {node: FINDING if any(d.severity == ERROR for d in found) else WARNING for node, found in by_node.items()}
    return notes, marks, loose


def _finding_text(diagnostic: Diagnostic) -> str:
    """A finding as a note line: ✖ for an error, ▲ for a warning, then severity and message."""
    mark = FINDING_MARK if diagnostic.severity == ERROR else WARNING_MARK
    return f"{mark} {diagnostic.severity}: {diagnostic.message}"
