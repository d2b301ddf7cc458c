"""Stage 4, rendering: flowcharts of a pathway as DOT, SVG, PNG or Mermaid, with overlays."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..errors import Diagnostic, UsageError, error

if TYPE_CHECKING:
    from ..engine import Result
    from ..model import Pathway
    from ..population.weights import Weights

FORMATS = ("dot", "svg", "png", "mermaid")
BINARY_FORMATS = ("png",)
EXTENSIONS = {".dot": "dot", ".gv": "dot", ".svg": "svg", ".png": "png", ".mmd": "mermaid", ".mermaid": "mermaid"}


def draw(pathway: "Pathway", format: str = "dot", result: "Result | None" = None,
         findings: Sequence[Diagnostic] = (), population: "Weights | None" = None) -> str | bytes:
    """The flowchart in one format: text for dot, mermaid and svg, bytes for png; a population's
    counts (from `population.weights.weigh`) weigh its arrows."""
    from . import dot, mermaid
    from .chart import build_chart
    from .layout import layout

    if format not in FORMATS:
        raise UsageError(error(f"unknown format `{format}`; choose one of {', '.join(FORMATS)}"))
    chart = build_chart(pathway, result, findings, population)
    if format == "mermaid":
        return mermaid.write(chart)
    text = dot.write(chart)
    if format == "dot":
        return text
    image = layout(text, format)
    return image if format in BINARY_FORMATS else image.decode("utf-8")


def format_for(target: str | None) -> str:
    """The format a file name asks for by its extension; DOT for stdout."""
    if target in (None, "-"):
        return "dot"
    suffix = Path(target).suffix.lower()
    if suffix not in EXTENSIONS:
        raise UsageError(error(f"{target}: cannot tell the format from the extension `{suffix}`; "
                               f"use --format ({', '.join(FORMATS)})"))
    return EXTENSIONS[suffix]
