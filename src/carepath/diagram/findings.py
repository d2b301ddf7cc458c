"""Stage 4, rendering: which node of the chart a checker finding belongs to."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import Diagnostic, Span

if TYPE_CHECKING:
    from ..model import Pathway

_QUOTED_NAME = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*)`")


def locate(pathway: "Pathway", diagnostic: Diagnostic) -> str | None:
    """The node whose span contains the finding's span, else the first node named in `backticks`."""
    if diagnostic.span is not None:
        for node in pathway.nodes.values():
            if node.span is not None and contains(node.span, diagnostic.span):
                return node.name
    for name in _QUOTED_NAME.findall(diagnostic.message):
        if name in pathway.nodes:
            return name
    return None


def contains(outer: Span, inner: Span) -> bool:
    """Whether `inner` lies within `outer` in the same file."""
    return (outer.file == inner.file
            and (outer.line, outer.column) <= (inner.line, inner.column)
            and (inner.end_line, inner.end_column) <= (outer.end_line, outer.end_column))
