"""Stage 4, rendering: a chart as a Mermaid flowchart, written deterministically."""
from __future__ import annotations

from .chart import PLAIN, Arrow, Box, Chart, Row
from .escape import mermaid_id, mermaid_text
from .palette import CAUTION_MARK, EMITTED_MARK, LEGEND, STYLES, Style, arrow_style, box_style
from .scores import mermaid_table

SHAPES = {"start": ('(["', '"])'), "stop": ('(["', '"])'), "needs": ('>"', '"]'), "finding": ('>"', '"]'),
          "decision": ('{"', '"}'), "step": ('("', '")'), "entry": ('["', '"]'), "exit": ('["', '"]')}


def write(chart: Chart) -> str:
    """The chart as a Mermaid `flowchart TB`: heading, boxes by section, arrows, styles, legend."""
    lines = [f"%% {mermaid_text(chart.name)}: written by carepath render; do not edit by hand",
             f"flowchart {chart.direction}", f'  heading["{_heading(chart)}"]']
    if chart.definitions:
        entries = "<br/>".join(mermaid_text(entry) for entry in chart.definitions)
        lines.append(f'  definitions>"<b>Derived values read here</b><br/>{entries}"]')
    sections = chart.by_section()
    lines.extend(_box(box, "  ") for box in sections.get(None, ()))
    lines.extend(mermaid_table(table, mermaid_text) for table in chart.tables)
    for number, section in enumerate(chart.sections, start=1):
        lines.append(f'  subgraph section_{number}["{mermaid_text(section)}"]')
        lines.extend(_box(box, "    ") for box in sections[section])
        lines.append("  end")
    lines.extend(_arrow(arrow) for arrow in chart.arrows)
    lines.extend(_legend(chart.legend))
    lines.append("  style heading fill:none,stroke:none")
    if chart.definitions:
        lines.append(_style("definitions", STYLES["definitions"]))
    lines.extend(_box_style(box) for box in chart.boxes)
    lines.extend(_arrow_styles(chart.arrows))
    return "\n".join(lines) + "\n"


def ident(key: tuple[str, str]) -> str:
    """A box's Mermaid id: `n_` and the DSL name for nodes (so `end` is safe), `role_name` otherwise."""
    role, name = key
    return mermaid_id("n" if role == "node" else role, name)


def _box(box: Box, indent: str) -> str:
    """One node definition with its shape and label."""
    shape = box.role if box.role != "node" else ("decision" if box.style == "decision" else "step")
    opening, closing = SHAPES[shape]
    return f"{indent}{ident(box.key)}{opening}{_label(box)}{closing}"


def _label(box: Box) -> str:
    """A box's label: bold title and DSL name for nodes, then a step's recommendations."""
    if box.role != "node":
        return mermaid_text(box.title)
    urgency = f"{box.style.upper()}: " if box.style in ("urgent", "emergency") else ""
    parts = [f"<b>{mermaid_text(urgency + box.title)}</b>", f"<small>{mermaid_text(box.node)}</small>"]
    parts.extend(_recommendation(row) for row in box.rows)
    return "<br/>".join(parts)


def _recommendation(row: Row) -> str:
    """One recommendation: code, text, guard and cautions, one per line."""
    mark = f"{EMITTED_MARK} " if row.emitted else ""
    count = f" \u00d7 {row.count:,}" if row.count is not None else ""
    parts = [f"<b>{mermaid_text(mark + row.code + count)}</b> {mermaid_text(f'[{row.urgency}]')}", mermaid_text(row.text)]
    if row.guard:
        parts.append(f"<i>{mermaid_text(row.guard)}</i>")
    if row.sources:
        parts.append(f"<small>{mermaid_text(row.sources)}</small>")
    parts.extend(mermaid_text(f"{CAUTION_MARK} {text}") for text in row.cautions)
    return "<br/>".join(parts)


def _arrow(arrow: Arrow) -> str:
    """One link: labelled with its guards; dotted and headless to a note."""
    link = "-.-" if arrow.note else "-->"
    label = f'|"{mermaid_text(arrow.label)}"|' if arrow.label else ""
    return f"  {ident(arrow.tail)} {link}{label} {ident(arrow.head)}"


def _heading(chart: Chart) -> str:
    """Title in bold, then identity and overlay lines."""
    title, *lines = chart.heading
    return "<br/>".join([f"<b>{mermaid_text(title)}</b>", *(mermaid_text(line) for line in lines)])


def _legend(keys: tuple[str, ...]) -> list[str]:
    """A Legend subgraph with one sample box per entry."""
    lines = ['  subgraph legend["Legend"]', "    direction LR"]
    lines.extend(f'    legend_{key}["{mermaid_text(LEGEND[key][2])}"]' for key in keys)
    lines.append("  end")
    lines.extend(_style(f"legend_{key}", STYLES[LEGEND[key][0]]) for key in keys)
    return lines


def _box_style(box: Box) -> str:
    """A box's colours."""
    return _style(ident(box.key), box_style(box.style, box.state, box.marked))


def _style(ident_: str, style: Style) -> str:
    """A `style` statement."""
    return (f"  style {ident_} fill:{style.fill},stroke:{style.line},stroke-width:{style.width:g}px,"
            f"color:{style.text}")


def _arrow_styles(arrows: tuple[Arrow, ...]) -> list[str]:
    """`linkStyle` for every link the overlays colour (links are numbered in definition order)."""
    styled = []
    for number, arrow in enumerate(arrows):
        if arrow.state != PLAIN:
            style = arrow_style(arrow.state)
            dash = ",stroke-dasharray:4" if arrow.note else ""
            styled.append(f"  linkStyle {number} stroke:{style.line},stroke-width:{style.width:g}px{dash}")
    return styled
