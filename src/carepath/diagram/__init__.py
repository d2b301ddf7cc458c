"""Stage 4, rendering: flowcharts of a pathway as DOT, SVG, PNG or Mermaid, with overlays."""
from __future__ import annotations

import re
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
         findings: Sequence[Diagnostic] = (), section: str | None = None,
         timeout: float | None = None, population: "Weights | None" = None) -> str | bytes:
    """The flowchart (of one section, when named) in one format: text for dot, mermaid and svg, bytes
    for png (`dot` given `timeout` seconds to lay it out, by default LAYOUT_TIMEOUT); a population's
    counts (from `population.weights.weigh`) weigh its arrows."""
    from . import dot, mermaid
    from .chart import build_chart
    from .layout import LAYOUT_TIMEOUT, layout

    if format not in FORMATS:
        raise UsageError(error(f"unknown format `{format}`; choose one of {', '.join(FORMATS)}"))
    chart = build_chart(pathway, result, findings, section, population)
    if format == "mermaid":
        return mermaid.write(chart)
    text = dot.write(chart)
    if format == "dot":
        return text
    image = layout(text, format, LAYOUT_TIMEOUT if timeout is None else timeout)
    return image if format in BINARY_FORMATS else image.decode("utf-8")


def section_file_stems(pathway: "Pathway") -> dict[str, str]:
    """Section name -> the file stem its chart is kept under: `section-01-red-flags`, in source order."""
    names = dict.fromkeys(node.section for node in pathway.nodes.values() if node.section)
    return {name: f"section-{number:02d}-{_slug(name)}" for number, name in enumerate(names, start=1)}


def _slug(name: str) -> str:
    """Lower-case ASCII words joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", name.lower())) or "section"


def format_for(target: str | None, requested: str | None = None) -> str:
    """The format to write: the one requested, else what the file's extension asks for, else DOT for
    stdout. A requested format that the file's known extension contradicts is refused."""
    suffix = Path(target).suffix.lower() if target not in (None, "-") else ""
    if requested:
        if suffix in EXTENSIONS and EXTENSIONS[suffix] != requested:
            raise UsageError(error(f"{target}: the extension `{suffix}` says {EXTENSIONS[suffix]}, but --format "
                                   f"asks for {requested}; name the file for its format or leave out --format"))
        return requested
    if target in (None, "-"):
        return "dot"
    if suffix not in EXTENSIONS:
        raise UsageError(error(f"{target}: cannot tell the format from the extension `{suffix}`; "
                               f"use --format ({', '.join(FORMATS)})"))
    return EXTENSIONS[suffix]
