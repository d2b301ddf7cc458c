"""Locations, diagnostics, the error root, and the one formatter (file:line:col + caret)."""
from __future__ import annotations

import difflib
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable

ERROR = "error"
WARNING = "warning"
NOTE = "note"
ACCEPTED = "accepted"  # a finding the pathway accepts, with its reason
QUOTE_WIDTH = 100
MESSAGE_WIDTH = 1000
SHOWN_PER_KIND = 20


@dataclass(frozen=True)
class SourceFile:
    """The text of one input file, kept so that messages can quote its lines."""

    name: str
    text: str

    @cached_property
    def lines(self) -> list[str]:
        """The text cut at `\\n`, as the parser counts lines, each without its line ending."""
        return [line.removesuffix("\r") for line in self.text.split("\n")]

    def line(self, number: int) -> str:
        """Return line `number` (1-based) without its line ending, or '' past the end."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    @cached_property
    def line_starts(self) -> list[int]:
        """The offset in the text at which each line begins."""
        starts = [0]
        find, at = self.text.find, 0
        while (at := find("\n", at) + 1) > 0:
            starts.append(at)
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of a character offset in the text (a binary search)."""
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1


@dataclass(frozen=True)
class Span:
    """A region of a source file; 1-based lines and columns."""

    source: SourceFile = field(compare=False, repr=False)
    line: int
    column: int
    end_line: int
    end_column: int

    @property
    def file(self) -> str:
        """The file name the span points into."""
        return self.source.name

    def location(self) -> str:
        """`file:line:col` for messages."""
        return f"{self.file}:{self.line}:{self.column}"

    def to_json(self) -> dict[str, Any]:
        """The span as a JSON-ready object."""
        return {"file": self.file, "line": self.line, "column": self.column,
                "end_line": self.end_line, "end_column": self.end_column}


@dataclass(frozen=True)
class Related:
    """A second location a diagnostic points at, with a short label."""

    message: str
    span: Span

    def to_json(self) -> dict[str, Any]:
        """The related location as a JSON-ready object."""
        return {"message": self.message, "span": self.span.to_json()}


@dataclass(frozen=True)
class Diagnostic:
    """One finding or error, located in a source file when it has a place there."""

    severity: str
    message: str
    span: Span | None = None
    kind: str = "error"
    related: tuple[Related, ...] = ()
    witness: dict[str, Any] | None = None
    hint: str | None = None

    def format(self) -> str:
        """Render gcc style: `file:line:col: severity: message`, the line and a caret."""
        head = f"{self.span.location()}: " if self.span else ""
        lines = [f"{head}{self.severity}: {_shortened(self.message)}"]
        if self.span:
            lines.extend(_quote(self.span))
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        for rel in self.related:
            lines.append(f"{rel.span.location()}: note: {rel.message}")
            lines.extend(_quote(rel.span))
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The diagnostic as a JSON-ready object (the shape of `carepath check --format json`)."""
        return {"kind": self.kind, "severity": self.severity, "message": self.message,
                "span": self.span.to_json() if self.span else None, "hint": self.hint,
                "related": [r.to_json() for r in self.related], "witness": self.witness}


def source_order(diagnostic: Diagnostic) -> tuple[int, int]:
    """Sort key: line and column of the diagnostic's span (those without a span first)."""
    span = diagnostic.span
    return (span.line, span.column) if span else (0, 0)


def _shortened(message: str) -> str:
    """A message cut to MESSAGE_WIDTH characters for a terminal (JSON outputs keep it whole)."""
    if len(message) <= MESSAGE_WIDTH:
        return message
    return f"{message[:MESSAGE_WIDTH]}... ({len(message) - MESSAGE_WIDTH:,} more characters)"


def format_all(diagnostics: Iterable[Diagnostic]) -> str:
    """Diagnostics formatted one block each, at most SHOWN_PER_KIND of each kind and severity,
    then one line counting the rest, so that formatting costs the same for 20 or 20,000."""
    shown: Counter = Counter()
    blocks = []
    for diagnostic in diagnostics:
        key = (diagnostic.severity, diagnostic.kind)
        shown[key] += 1
        if shown[key] <= SHOWN_PER_KIND:
            blocks.append(diagnostic.format())
    blocks.extend(f"{severity}: and {count - SHOWN_PER_KIND:,} more {kind} {severity}s not shown"
                  for (severity, kind), count in shown.items() if count > SHOWN_PER_KIND)
    return "\n".join(blocks)


def _quote(span: Span) -> list[str]:
    """The source line under a span (a window when long, control characters replaced) and a caret.

    Only the window is examined, so quoting a 1 MB line costs no more than quoting a short one."""
    text = span.source.line(span.line)
    if not text:
        return []
    start = span.column - 1
    end = span.end_column - 1 if span.end_line == span.line else len(text)
    left = max(0, min(start - QUOTE_WIDTH // 4, len(text) - QUOTE_WIDTH))
    right = min(len(text), left + QUOTE_WIDTH)
    lead, tail = ("..." if left else ""), ("..." if right < len(text) else "")
    prefix = (lead + _printable(text[left:start])).expandtabs(8)
    shown = (lead + _printable(text[left:right]) + tail).expandtabs(8)
    return [f"  {shown}", "  " + " " * len(prefix) + "^" * max(1, min(end, right) - start)]


def _printable(text: str) -> str:
    """Text with each character a terminal would not print as itself (tab kept) replaced by U+FFFD."""
    return "".join(c if c.isprintable() or c == "\t" else "\N{REPLACEMENT CHARACTER}" for c in text)


class CarepathError(Exception):
    """The root of every error a user can cause; carries one or more located diagnostics."""

    exit_code = 2

    def __init__(self, diagnostics: Iterable[Diagnostic] | Diagnostic):
        self.diagnostics = (diagnostics,) if isinstance(diagnostics, Diagnostic) else tuple(diagnostics)
        super().__init__(self.diagnostics)

    def __str__(self) -> str:
        """The diagnostics formatted when shown, not when raised (an error may be caught unseen)."""
        return self.format()

    def format(self) -> str:
        """The diagnostics, formatted, one block each (capped per kind: see format_all)."""
        return format_all(self.diagnostics)


class PathwayError(CarepathError):
    """A pathway file that cannot be read, parsed or resolved."""


class CaseError(CarepathError):
    """A case that cannot be read or does not fit the pathway's declared facts."""


class PathwayDefect(CarepathError):
    """The pathway itself fails a case (no branch or derived case holds): a finding, exit 1."""

    exit_code = 1


class UsageError(CarepathError):
    """A command used wrongly (a file that cannot be read, an output that cannot be written)."""


def error(message: str, span: Span | None = None, kind: str = "error", hint: str | None = None) -> Diagnostic:
    """An error-severity diagnostic."""
    return Diagnostic(ERROR, message, span, kind=kind, hint=hint)


def counted(number: int, noun: str) -> str:
    """A count with its noun in the right number: `1 finding`, `2 findings`, `2 branches`."""
    if number == 1:
        return f"{number} {noun}"
    return f"{number} {noun}{'es' if noun.endswith(('s', 'x', 'ch', 'sh')) else 's'}"


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A 'did you mean' hint for the candidate closest to `name`, if one is close."""
    close = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None
