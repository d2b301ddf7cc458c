"""Stage 4, rendering: a chart as Graphviz DOT text, written deterministically by hand."""
from __future__ import annotations

from .chart import FADED, Arrow, Box, Chart, Row
from .escape import dot_html, dot_id
from .scores import dot_table
from .palette import (CAUTION_MARK, CAUTION_TEXT, CODE_TEXT, EMITTED_MARK, EMITTED_TEXT, FONT, GUARD_TEXT,
                      LEGEND, MONO, NAME_TEXT, SOURCE_TEXT, STYLES, Style, arrow_style, box_style)

LEGEND_COLUMNS = 2
MAX_EXTRA_WIDTH = 9  # under a population, the busiest arrow is this much wider than an empty one


def _colours(style: Style, fill: bool = True) -> dict[str, str]:
    """DOT attributes drawing a style."""
    colours = {"fillcolor": f'"{style.fill}"'} if fill else {}
    return {**colours, "color": f'"{style.line}"', "penwidth": f"{style.width:g}", "fontcolor": f'"{style.text}"'}


def _attributes(attributes: dict[str, str], defaults: dict[str, str] | None = None) -> str:
    """`key=value` pairs, leaving out those equal to the defaults."""
    return ", ".join(f"{key}={value}" for key, value in attributes.items() if (defaults or {}).get(key) != value)

SHAPES = {"start": "oval", "stop": "oval", "needs": "note", "finding": "note"}
ELSEWHERE = ("entry", "exit")  # boxes standing for a node of another section, outlined dashed
NODE_DEFAULTS = {"shape": "box", "style": '"rounded,filled"', **_colours(STYLES["step"])}
EDGE_DEFAULTS = _colours(STYLES["arrow"], fill=False)
GRAPH = (f'  graph [rankdir=TB, remincross=true, mclimit=4, nodesep=0.35, ranksep=0.45, splines=true, '
         f'pad=0.3, fontname={dot_id(FONT)}, fontsize=10, labelloc=t, labeljust=c]',
         f'  node [{_attributes(NODE_DEFAULTS)}, fontname={dot_id(FONT)}, fontsize=10, margin="0.10,0.05"]',
         f'  edge [{_attributes(EDGE_DEFAULTS)}, fontname={dot_id(FONT)}, fontsize=9, arrowsize=0.7]')


def write(chart: Chart) -> str:
    """The chart as one DOT digraph: top-level boxes, one cluster per section, then arrows."""
    lines = [f"digraph {dot_id(chart.name)} {{", *GRAPH, f"  label=<{_heading(chart)}>"]
    if chart.direction != "TB":
        lines.insert(2, f"  graph [rankdir={chart.direction}]")
    sections = chart.by_section()
    lines.extend(_box(box, "  ") for box in sections.get(None, ()))
    lines.extend(dot_table(table) for table in chart.tables)
    for number, section in enumerate(chart.sections, start=1):
        lines.extend(_cluster(number, section, sections[section]))
    lines.extend(_arrow(arrow) for arrow in chart.arrows)
    lines.append("}")
    return "\n".join(lines) + "\n"


def ident(key: tuple[str, str]) -> str:
    """A box's DOT id: the DSL name for nodes, `(role) name` for terminals and notes."""
    role, name = key
    return dot_id(name if role == "node" else f"({role}) {name}".strip())


def _cluster(number: int, section: str, boxes: list[Box]) -> list[str]:
    """A section of the DSL as a labelled cluster."""
    style = STYLES["section"]
    head = (f'    graph [label=<<B>{dot_html(section)}</B>>, style="rounded,dashed", color="{style.line}", '
            f'fontcolor="{style.text}", labeljust=l]')
    return [f"  subgraph {dot_id(f'cluster_{number}')} {{", head, *(_box(b, "    ") for b in boxes), "  }"]


def _box(box: Box, indent: str) -> str:
    """One node statement."""
    style = box_style(box.style, box.state, box.marked)
    shape = SHAPES.get(box.role) or ("diamond" if box.style == "decision" else "box")
    outline = ",dashed" if box.role in ELSEWHERE else ""
    attributes = {"shape": shape, "style": f'"rounded,filled{outline}"' if shape == "box" else "filled",
                  **_colours(style), "label": f"<{_label(box, style)}>"}
    return f"{indent}{ident(box.key)} [{_attributes(attributes, NODE_DEFAULTS)}]"


def _label(box: Box, style: Style) -> str:
    """A box's HTML-like label."""
    if box.role == "node" and box.style == "decision":
        return f"<B>{dot_html(box.title)}</B><BR/>{_name(box, style)}"
    if box.role == "node":
        return _step_table(box, style)
    return dot_html(box.title)


def _name(box: Box, style: Style) -> str:
    """The DSL name under a node's title, small and grey."""
    colour = style.text if box.state == FADED else NAME_TEXT
    return f'<FONT POINT-SIZE="8" COLOR="{colour}">{dot_html(box.node)}</FONT>'


def _step_table(box: Box, style: Style) -> str:
    """A step: title (with its urgency), DSL name, then one block per recommendation."""
    urgency = f"{box.style.upper()}: " if box.style in ("urgent", "emergency") else ""
    rows = [_tr(f"<B>{dot_html(urgency + box.title)}</B>", "CENTER"), _tr(_name(box, style), "CENTER")]
    if box.rows:
        rows.append("<HR/>")
    for row in box.rows:
        rows.extend(_recommendation(row, box.state == FADED or row.emitted is False, style))
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{"".join(rows)}</TABLE>'


def _recommendation(row: Row, faded: bool, style: Style) -> list[str]:
    """The table rows of one recommendation: code, text, guard, cautions."""
    def colour(normal: str) -> str:
        return STYLES["faded"].text if faded else normal

    mark = f'<FONT COLOR="{EMITTED_TEXT}"><B>{EMITTED_MARK}</B></FONT> ' if row.emitted else ""
    code = (f'{mark}<FONT FACE="{MONO}" COLOR="{colour(CODE_TEXT)}">{dot_html(row.code)}</FONT>'
            f' <FONT COLOR="{colour(GUARD_TEXT)}">[{dot_html(row.urgency)}]</FONT>')
    if row.count is not None:
        code += f' <FONT COLOR="{EMITTED_TEXT}"><B>\u00d7 {row.count:,}</B></FONT>'
    rows = [_tr(code), _tr(f'<FONT COLOR="{colour(style.text)}">{dot_html(row.text)}</FONT>')]
    if row.guard:
        rows.append(_tr(f'<FONT COLOR="{colour(GUARD_TEXT)}"><I>{dot_html(row.guard)}</I></FONT>'))
    if row.sources:
        rows.append(_tr(f'<FONT POINT-SIZE="9" COLOR="{colour(SOURCE_TEXT)}">{dot_html(row.sources)}</FONT>'))
    rows.extend(_tr(f'<FONT COLOR="{colour(CAUTION_TEXT)}">{dot_html(f"{CAUTION_MARK} {text}")}</FONT>')
                for text in row.cautions)
    return rows


def _tr(content: str, align: str = "LEFT") -> str:
    """One table row holding one cell; wrapped lines keep the cell's alignment."""
    return f'<TR><TD ALIGN="{align}" BALIGN="{align}">{content}</TD></TR>'


def _arrow(arrow: Arrow) -> str:
    """One edge statement: labelled with its guards, coloured by the case overlay."""
    attributes = _colours(arrow_style(arrow.state), fill=False)
    if arrow.note:
        attributes.update(style="dashed", arrowhead="none")
    if arrow.label:
        attributes["label"] = f"<{dot_html(arrow.label)}>"
    if arrow.weight is not None:
        attributes["penwidth"] = f"{1 + MAX_EXTRA_WIDTH * arrow.weight:.2f}"
    listed = _attributes(attributes, EDGE_DEFAULTS)
    return f"  {ident(arrow.tail)} -> {ident(arrow.head)}" + (f" [{listed}]" if listed else "")


def _heading(chart: Chart) -> str:
    """The graph label: title, identity and overlay lines, then the legend."""
    title, *lines = chart.heading
    rows = [_tr(f'<FONT POINT-SIZE="16"><B>{dot_html(title)}</B></FONT>', "CENTER")]
    rows.extend(_tr(dot_html(line), "CENTER") for line in lines)
    rows.append(f"<TR><TD>{_legend(chart.legend)}</TD></TR>")
    if chart.definitions:
        rows.append(f"<TR><TD>{_definitions(chart.definitions)}</TD></TR>")
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2">{"".join(rows)}</TABLE>'


def _definitions(entries: tuple[str, ...]) -> str:
    """The derived values the chart's guards read, each defined in words, in a framed panel."""
    style = STYLES["definitions"]
    rows = [_tr("<B>Derived values read here</B>")]
    rows.extend(_tr(f'<FONT POINT-SIZE="9">{dot_html(entry)}</FONT>') for entry in entries)
    return (f'<TABLE BORDER="1" COLOR="{style.line}" BGCOLOR="{style.fill}" CELLBORDER="0" CELLSPACING="1">'
            f'{"".join(rows)}</TABLE>')


def _legend(keys: tuple[str, ...]) -> str:
    """The legend: a swatch and a caption per entry, a few entries to a row."""
    cells = [_legend_cell(key) for key in keys]
    rows = ["<TR>" + "".join(cells[i:i + LEGEND_COLUMNS]) + "</TR>" for i in range(0, len(cells), LEGEND_COLUMNS)]
    return f'<TABLE BORDER="1" COLOR="#dee2e6" CELLBORDER="0" CELLSPACING="3">{"".join(rows)}</TABLE>'


def _legend_cell(key: str) -> str:
    """One legend entry: a coloured swatch (or none, for text markers) and its caption."""
    style_name, shape, caption = LEGEND[key]
    style = STYLES[style_name]
    swatch = (f'<TD BORDER="1" COLOR="{style.line}" BGCOLOR="{style.fill}" WIDTH="16"> </TD>'
              if shape != "text" else "<TD></TD>")
    return f'{swatch}<TD ALIGN="LEFT"><FONT POINT-SIZE="9">{dot_html(caption)}</FONT></TD>'
