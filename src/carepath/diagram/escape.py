"""Stage 4, rendering: line wrapping, and the one escaping helper per output language."""
from __future__ import annotations

import re
import textwrap

_SPECIAL_DOT = re.compile(r"[^ !#-%(-;=?-\[\]-~]")   # all but printable ASCII except " & ' < > \
_SPECIAL_MERMAID = re.compile(r"[^A-Za-z0-9 .,:_/()?!+=*-]")
# Graphviz expands \N, \G, ... even inside HTML labels, before or after entities; `\\` is literal.
_DOT_SPECIAL = {"\n": "<BR/>", "\\": "\\\\"}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def wrap(text: str, width: int) -> str:
    """Text broken at spaces into lines of at most `width` characters (long words stay whole)."""
    if len(text) <= width and "\n" not in text:
        return text
    lines = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, width, break_long_words=False, break_on_hyphens=False) or [""])
    return "\n".join(lines)


def dot_html(text: str) -> str:
    """Text for a DOT HTML-like label: newlines as <BR/>, backslashes doubled, the rest not plain ASCII as entities."""
    return _SPECIAL_DOT.sub(_dot_char, text)


def _dot_char(match: re.Match) -> str:
    """One special character of a DOT HTML label, escaped."""
    char = match.group()
    if char in _DOT_SPECIAL:
        return _DOT_SPECIAL[char]
    return " " if _is_control(char) else f"&#{ord(char)};"


def dot_id(name: str) -> str:
    """A DOT identifier, always quoted, so that no name can end a statement or be a keyword."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: newlines as <br/>, everything else unsafe as #code; entities."""
    return _SPECIAL_MERMAID.sub(_mermaid_char, text)


def _mermaid_char(match: re.Match) -> str:
    """One special character of a Mermaid label, escaped."""
    char = match.group()
    if char == "\n":
        return "<br/>"
    return " " if _is_control(char) else f"#{ord(char)};"


def mermaid_id(prefix: str, name: str) -> str:
    """A Mermaid node id: a prefix (so no id is a reserved word like `end`) and a DSL name."""
    ident = f"{prefix}_{name}" if name else prefix
    if not _IDENTIFIER.fullmatch(ident):
        raise ValueError(f"not a safe Mermaid identifier: {ident!r}")
    return ident


def _is_control(char: str) -> bool:
    """Control characters (tabs, carriage returns, C1 codes) that no label should carry."""
    return ord(char) < 32 or 127 <= ord(char) < 160
