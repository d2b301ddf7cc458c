"""Stage 4, rendering: a table per score (its criteria and points), so a chart shows the rules it applies."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..syntax.printer import number, show, show_type
from ..syntax.units import with_units
from .escape import dot_html, dot_id, wrap

if TYPE_CHECKING:
    from ..model import Pathway


@dataclass(frozen=True)
class ScoreTable:
    """One score as the chart draws it: name, title, range and one (points, criterion) row per line."""

    name: str
    title: str
    range: str
    rows: tuple[tuple[str, str], ...]
    sources: tuple[str, ...] = ()  # the references the score cites


def score_tables(pathway: "Pathway") -> tuple[ScoreTable, ...]:
    """The tables of the pathway's scores, in source order."""
    return tuple(ScoreTable(v.name, v.title or v.name, show_type(v.type),
                            tuple((_points(c.points), show(with_units(c.guard, pathway.units)))
                                  for c in v.score.criteria),
                            tuple(pathway.source_title(c.source) for c in v.citations))
                 for v in pathway.derived.values() if v.score is not None)


def _points(value) -> str:
    """Points with their sign: `+1`, `-2`, `+0.5`."""
    return ("+" if value > 0 else "") + number(value)


def dot_table(table: ScoreTable) -> str:
    """A DOT node statement drawing one score as an HTML table."""
    head = (f'<TR><TD COLSPAN="2"><B>{dot_html(table.title)}</B><BR/>'
            f'<FONT POINT-SIZE="8">{dot_html(table.name)}: {dot_html(table.range)}</FONT></TD></TR>')
    rows = "".join(f'<TR><TD ALIGN="RIGHT">{dot_html(points)}</TD><TD ALIGN="LEFT">{dot_html(criterion)}</TD></TR>'
                   for points, criterion in table.rows)
    rows += "".join(f'<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="8">{dot_html(wrap(source, 60))}</FONT></TD></TR>'
                    for source in table.sources)
    label = f'<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{head}{rows}</TABLE>'
    return f"  {dot_id(f'(score) {table.name}')} [shape=plaintext, style=\"\", label=<{label}>]"


def mermaid_table(table: ScoreTable, text) -> str:
    """A Mermaid node listing one score's criteria, one line each (`text` escapes for Mermaid)."""
    lines = [f"<b>{text(table.title)}</b>", text(f"{table.name}: {table.range}")]
    lines += [text(f"{points} {criterion}") for points, criterion in table.rows]
    lines += [text(source) for source in table.sources]
    return f'  score_{table.name}["{"<br/>".join(lines)}"]'
