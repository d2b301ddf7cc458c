"""Stage fmt: the one canonical layout of a pathway file, keeping every comment and blank-line group.

The layout follows the grammar's rules, not any one pathway: each item starts a line at the left
margin, the parts of an item (header fields, branches, derived cases, recommendations, their
guards and cautions, a step's ending) start lines of their own at a fixed indent, and the `->` of
the one-line branches of one item line up. Inside a line, words are one space apart, with none
inside brackets or before `,` and `:`. A line break the author put inside a part is kept and
indented as a continuation; so is every comment (on its own line, or after the code it follows),
and a run of blank lines becomes one blank line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import SourceFile
from .stream import Element, elements

# The rules that begin a line of their own, and the indent of that line.
LINE_RULES = {
    "header": 0, "source": 0, "fact": 0, "require": 0, "derive_expr": 0, "derive_cases": 0, "start_at": 0,
    "section": 0, "decision": 0, "step": 0, "never_when": 0, "always_when": 0, "never_with": 0,
    "score": 0, "constant": 0, "accept": 0, "criterion": 2,
    "version": 2, "released": 2, "authors": 2,
    "when_value": 2, "otherwise_value": 2, "branch": 2, "otherwise": 2,
    "recommendation": 2, "jump": 2, "stop": 2,
    "rec_when": 4, "rec_unless": 4, "caution": 4,
}
# Rules whose `->` lines up with the others of the same item when the whole rule fits on one line.
ALIGNED = frozenset({"branch", "otherwise", "when_value", "otherwise_value"})
ARROW = "->"
ALIGN_LIMIT = 80  # a `->` further right than this column stays one space after its guard, unaligned
CONTINUATION = 4
NO_SPACE_BEFORE = frozenset({",", ":", ")", "}", ".."})
NO_SPACE_AFTER = frozenset({"(", "{", ".."})
SIGN_RULES = frozenset({"neg", "signed_number"})
WIDE_RULES = frozenset({"citation"})  # set apart by two spaces from the long quoted text before them
CANONICAL_TEXT = {"FIRST_MATCH": "first match", "COUNT_OPEN": "count("}


@dataclass
class Line:
    """One output line: its indent, (space, text) parts, and a comment after them."""

    indent: int
    parts: list[list[str]] = field(default_factory=list)
    comment: str | None = None
    blank_before: bool = False
    item: int = 0
    member: int | None = None   # the id of the aligned rule that begins this line
    arrow: int | None = None    # the index of that rule's `->` among the parts

    def render(self) -> str:
        """The line's text, without trailing spaces."""
        code = "".join(space + text for space, text in self.parts)
        comment = self.comment or ""
        return (" " * self.indent + code + ("  " if code and comment else "") + comment).rstrip()


def format_source(source: SourceFile) -> str:
    """The canonical text of a pathway; a syntax error raises PathwayError with the parser's message."""
    lines = _lay_out(elements(source))
    _align(lines)
    out: list[str] = []
    for line in lines:
        if line.blank_before:
            out.append("")
        out.append(line.render())
    return "\n".join(out) + "\n"


def format_text(text: str, name: str = "<string>") -> str:
    """The canonical text of pathway text given as a string."""
    return format_source(SourceFile(name, text.removeprefix("\ufeff")))


def format_file(path: str | Path) -> tuple[str, str]:
    """A pathway file's text as read and its canonical text."""
    from ..syntax import read_source

    source = read_source(path)
    return source.text, format_source(source)


def pathway_files(paths: Iterable[str]) -> list[str]:
    """The files named, with each folder replaced by the .dsl files under it (hidden folders skipped)."""
    found: list[str] = []
    for name in paths:
        path = Path(name)
        if name != "-" and path.is_dir():
            found += sorted(str(p) for p in path.rglob("*.dsl")
                            if not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            found.append(name)
    return found


class _Layout:
    """Places elements on lines, one at a time."""

    def __init__(self):
        self.lines: list[Line] = []
        self.pending: list[Element] = []
        self.clause_indent = 0
        self.item = 0
        self.previous: Element | None = None
        self.closed = False  # a comment ends the current line

    def add(self, element: Element) -> None:
        """Place one token or comment."""
        if element.kind == "COMMENT":
            self._comment(element)
            return
        rule = next((r for r in element.opens if r[0] in LINE_RULES), None)
        if rule is not None:
            self.item += LINE_RULES[rule[0]] == 0
            self.clause_indent = LINE_RULES[rule[0]]
            self._new_line(element, self.clause_indent)
        elif not self.lines or element.newlines or self.closed or self.pending:
            self._new_line(element, self.clause_indent + CONTINUATION)
        else:
            self.lines[-1].parts.append([_space(self.previous, element), _text(element)])
        line = self.lines[-1]
        aligned = next((node for rule_name, node in element.opens if rule_name in ALIGNED), None)
        if aligned is not None and rule is not None:
            line.member = aligned
        if element.text == ARROW and element.owner == line.member and line.arrow is None:
            line.arrow = len(line.parts) - 1
        self.previous = element

    def finish(self) -> list[Line]:
        """The lines, with comments after the last token at the left margin."""
        self._flush(0)
        return self.lines

    def _comment(self, element: Element) -> None:
        """A comment after code on the same line stays there; any other waits for the next line."""
        if self.lines and not element.newlines and self.lines[-1].comment is None and not self.pending:
            self.lines[-1].comment = element.text
            self.closed = True
        else:
            self.pending.append(element)

    def _new_line(self, element: Element, indent: int) -> None:
        """Start a line with `element`, after the comments waiting for it."""
        self._flush(indent)
        self.lines.append(Line(indent, [["", _text(element)]], blank_before=self._blank(element), item=self.item))
        self.closed = False

    def _flush(self, indent: int) -> None:
        """Put the waiting comments on lines of their own at `indent`."""
        for comment in self.pending:
            self.lines.append(Line(indent, comment=comment.text, blank_before=self._blank(comment)))
        self.pending.clear()

    def _blank(self, element: Element) -> bool:
        """A blank line before `element` when the author left one (never at the top of the file)."""
        return bool(self.lines) and element.newlines >= 2


def _lay_out(found: list[Element]) -> list[Line]:
    """The elements placed on lines."""
    layout = _Layout()
    for element in found:
        layout.add(element)
    return layout.finish()


def _align(lines: list[Line]) -> None:
    """Line up the `->` of the one-line aligned rules of each item one space after the longest.

    A guard too long to line up with (past ALIGN_LIMIT) keeps one space and pushes no other."""
    groups: dict[int, list[tuple[Line, int]]] = {}
    for line in lines:
        if line.arrow is not None:
            width = line.indent + _width(line.parts[:line.arrow])
            if width < ALIGN_LIMIT:
                groups.setdefault(line.item, []).append((line, width))
    for members in groups.values():
        column = max(width for _, width in members) + 1
        for line, width in members:
            line.parts[line.arrow][0] = " " * (column - width)


def _width(parts: list[list[str]]) -> int:
    """The width of some parts of a line."""
    return sum(len(space) + len(text) for space, text in parts)


def _space(previous: Element | None, element: Element) -> str:
    """The space between two tokens on one line."""
    if previous is None or element.text in NO_SPACE_BEFORE or previous.text in NO_SPACE_AFTER \
            or previous.kind == "COUNT_OPEN":
        return ""
    if previous.kind == "MINUS" and previous.parent in SIGN_RULES:
        return ""
    if any(rule in WIDE_RULES for rule, _ in element.opens):
        return "  "
    return " "


def _text(element: Element) -> str:
    """A token's text as the canonical layout writes it."""
    return CANONICAL_TEXT.get(element.kind, element.text)


__all__ = ["format_source", "format_text", "format_file", "pathway_files"]
