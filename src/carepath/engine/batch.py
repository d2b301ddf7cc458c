"""Stage 3 in bulk: one case per JSON line in, one result per line out, streamed in order."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import lru_cache
from typing import Any, BinaryIO, Iterable, Iterator

from ..errors import CarepathError, Diagnostic, Related, SourceFile, Span, UsageError, error
from ..expr.numbers import MAX_NUMBER_LENGTH, _raw_number, dumps, json_ready
from ..output import note_input
from . import COMPLETE, NEEDS_INPUT, Program, Result
from .cases import _STRICT_JSON, parse_json_case

MAX_LINE = 1024 * 1024
SHOWN_ERRORS = 10


@dataclass(frozen=True)
class LineOfFile(SourceFile):
    """One line of a batch file: messages quote it under its own line number."""

    number: int = 1

    def line(self, number: int) -> str:
        """The line's text when asked for its own number."""
        return self.text.rstrip("\r\n") if number == self.number else ""


@dataclass(frozen=True)
class BatchLine:
    """The outcome of one input line: a result, or the errors that stopped it."""

    line: int
    result: Result | None = None
    errors: tuple[Diagnostic, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The line number, then the result as `run --json` gives it, or status "error"."""
        if self.result is not None:
            return {"line": self.line, **self.result.to_json()}
        return {"line": self.line, "status": "error", "errors": [_error_json(d) for d in self.errors]}


@dataclass
class Tally:
    """What a batch did: lines run, lines in error, and the first few errors to show."""

    cases: int = 0
    errors: int = 0
    first_errors: list[Diagnostic] = field(default_factory=list)

    def count(self, row: BatchLine) -> None:
        """Add one line's outcome."""
        self.cases += 1
        if row.errors:
            self.errors += 1
            if len(self.first_errors) < SHOWN_ERRORS:
                self.first_errors.extend(row.errors[: SHOWN_ERRORS - len(self.first_errors)])


def run_lines(program: Program, lines: Iterable[bytes | str], name: str = "<batch>") -> Iterator[BatchLine]:
    """Run each non-blank line as a JSON case; a bad line gives an error row and the rest go on."""
    fast = FastCases(program)
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            yield run_line(program, raw, name, number, fast)


class FastCases:
    """msgspec's decoder where it gives what the strict one would, or None to ask the strict one.

    The strict decoder (json with hooks) takes 10 us a line, msgspec 1 us, but msgspec keeps the
    last of two equal keys. A line passes here only when it cannot hold one: it has exactly as many
    colons as keys decoded. Every key of the text is followed by a colon of its own, so a repeated
    key (which leaves fewer keys decoded) or a colon anywhere else (in a string, in a nested value)
    makes the counts differ. No backslash either, so that msgspec never meets an escape the strict
    decoder reads differently. Whatever else (invalid JSON, a BOM, a value the rules refuse, an
    integer longer than a case may have) goes the strict way, which says where."""

    def __init__(self, program: Program):
        try:
            import msgspec
        except ImportError:  # the population extra is not installed: every line goes the strict way
            self.decode = None
            return
        parse_float = _STRICT_JSON.parse_float  # the strict decoder's reading of numbers, exact or not
        self.decode = msgspec.json.Decoder(float_hook=None if parse_float is float else parse_float).decode
        self.errors = (msgspec.DecodeError, ValueError)
        self.unbounded = [n for n, f in program.pathway.facts.items() if getattr(f.type, "low", 0) is None]

    def __call__(self, raw: bytes | str) -> dict[str, Any] | None:
        """The case on a line, or None when the strict decoder must read it."""
        if self.decode is None or type(raw) is not bytes or len(raw) > MAX_LINE or b"\\" in raw:
            return None
        try:
            data = self.decode(raw)
        except self.errors:
            return None
        if type(data) is not dict or raw.count(b":") != len(data):
            return None
        for name in self.unbounded:
            value = data.get(name)
            if type(value) is int and len(str(value)) > MAX_NUMBER_LENGTH:
                return None
        return data


def run_line(program: Program, raw: bytes | str, name: str, number: int, fast: FastCases | None = None) -> BatchLine:
    """One line's outcome: its result, or its errors located at `name:number:column`."""
    facts = fast(raw) if fast is not None else None
    if facts is not None:
        try:
            return BatchLine(number, program.run(facts))
        except CarepathError:
            pass  # read again the strict way, which locates the problem in the line's text
    try:
        source = LineOfFile(name, _text(raw, name, number), number)
        return BatchLine(number, program.run(parse_json_case(source), source))
    except CarepathError as exc:
        return BatchLine(number, errors=tuple(_on_line(d, name, number) for d in exc.diagnostics))


def write_batch(program: Program, lines: Iterable[bytes | str], out: BinaryIO, name: str = "<batch>") -> Tally:
    """Run every line and write one compact JSON line per case to `out`, in input order.

    A line goes the quick way (ResultLines) when it can; anything it cannot write (an error, a value
    orjson refuses) goes through run_line and BatchLine.to_json, which give the same bytes."""
    tally, fast = Tally(), FastCases(program)
    quick = ResultLines(program, fast)
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        line = quick(raw, number)
        if line is not None:
            out.write(line)
            tally.cases += 1
            continue
        row = run_line(program, raw, name, number, fast)
        out.write(json_line(row.to_json()))
        tally.count(row)
    return tally


class ResultLines:
    """A case's result line written straight from the run's trail: what `json_line(BatchLine.to_json())`
    writes, byte for byte, without building the Result, its Visits and their dicts again.

    Each recommendation's JSON is made once (Emitted.json_text) and joined as it is; orjson writes
    the rest, the path's values included, in one call."""

    def __init__(self, program: Program, fast: FastCases):
        import orjson

        self.program, self.fast = program, fast
        self.dumps, self.refused, self.raw = orjson.dumps, orjson.JSONEncodeError, orjson.Fragment
        self.newline = orjson.OPT_APPEND_NEWLINE
        name, version = program.identity
        self.pathway = orjson.Fragment(orjson.dumps({"name": name, "version": version}))

    def __call__(self, raw: bytes | str, number: int) -> bytes | None:
        """The result line of a well-formed case, or None when the line must go the full way."""
        facts = self.fast(raw)
        if facts is None:
            return None
        rules = self.program.rules
        try:
            env = rules.validate(facts)
            rules.check_requires(env, None)
            needs, trail, emitted = self.program.route(env)
        except CarepathError:
            return None  # run again the full way, which locates the problem in the line's text
        try:
            return self.dumps({"line": number, "pathway": self.pathway, "status": NEEDS_INPUT if needs else COMPLETE,
                               "needs": list(needs),
                               "recommendations": self.raw(b"[" + b",".join([e.json_text for e in emitted]) + b"]"),
                               "path": [{"node": node, "took": took, "facts": read(env)} for node, took, read in trail]},
                              default=_exact, option=self.newline)
        except self.refused:
            return None  # an integer beyond 64 bits, a lone surrogate: the full way writes them


def _exact(value: Any) -> Any:
    """orjson's hook for a visit's values: numbers.dumps's, with each Fraction's text remembered
    (a batch's decimals repeat, and writing one exactly costs more than the rest of its visit)."""
    return _fraction_json(value) if type(value) is Fraction else _raw_number(value)


@lru_cache(maxsize=4096)
def _fraction_json(value: Fraction) -> Any:
    """A Fraction as raw JSON number text (or the string "10/3")."""
    return json_ready(value)


def json_line(data: Any) -> bytes:
    """One JSON value as a compact UTF-8 line, numbers exact.

    orjson writes a result line in 1 us where json.dumps takes 16 us, a quarter of a batch's
    time; numbers.dumps keeps orjson's speed and writes Fractions exactly."""
    return dumps(data)


@contextmanager
def read_lines(path: str) -> Iterator[Iterator[bytes]]:
    """The lines of a batch file (`-` for stdin), read one at a time; any line is cut at MAX_LINE."""
    if path == "-" and sys.stdin is None:
        raise UsageError(error("stdin is closed; cannot read the batch from `-`"))
    try:
        stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
        note_input(stream)
    except IsADirectoryError:
        raise UsageError(error(f"{path}: is a directory, not a batch file")) from None
    except OSError as exc:
        raise UsageError(error(f"{path}: cannot read: {exc.strerror or exc}")) from None
    try:
        yield _bounded_lines(stream, path)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _bounded_lines(stream: BinaryIO, path: str) -> Iterator[bytes]:
    """Lines of at most MAX_LINE bytes and their line end; of a longer line, its first
    MAX_LINE + 1 bytes (enough to refuse it), the rest skipped."""
    try:
        while raw := stream.readline(MAX_LINE + 2):
            if _length(raw) > MAX_LINE and not raw.endswith(b"\n"):
                while (rest := stream.readline(MAX_LINE)) and not rest.endswith(b"\n"):
                    pass
            yield raw
    except OSError as exc:
        raise UsageError(error(f"{path}: cannot read: {exc.strerror or exc}")) from None


def _text(raw: bytes | str, name: str, number: int) -> str:
    """A line as text: UTF-8 (a BOM allowed on the first line), at most MAX_LINE bytes."""
    if _length(raw) > MAX_LINE:
        raise _line_error(f"the line is longer than {MAX_LINE:,} bytes", name, number)
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        raise _line_error(f"invalid UTF-8 byte 0x{raw[exc.start]:02x}", name, number, exc.start + 1) from None


def _length(raw: bytes | str) -> int:
    """A line's length without its line end (LF or CRLF)."""
    return len(raw) - (2 if raw[-2:] in ("\r\n", b"\r\n") else 1 if raw[-1:] in ("\n", b"\n") else 0)


def _line_error(message: str, name: str, number: int, column: int = 1) -> CarepathError:
    """An error about a line whose text cannot be quoted (its column counted in bytes)."""
    return CarepathError(error(message, Span(SourceFile(name, ""), number, column, number, column + 1), kind="case"))


def _on_line(diagnostic: Diagnostic, name: str, number: int) -> Diagnostic:
    """A diagnostic located on the batch line: a span within the line's text moves to the line's
    number in the file; one elsewhere (a gap in the pathway) becomes a note under `name:number`."""
    span = diagnostic.span
    if span is not None and isinstance(span.source, LineOfFile):
        return replace(diagnostic, span=replace(span, line=number, end_line=number + span.end_line - span.line))
    if span is not None and span.file == name:
        return diagnostic
    here = Span(SourceFile(name, ""), number, 1, number, 2)
    elsewhere = (Related("in the pathway", span),) if span is not None else ()
    return replace(diagnostic, span=here, related=elsewhere + diagnostic.related)


def _error_json(diagnostic: Diagnostic) -> dict[str, Any]:
    """One error of a line as data: message, kind, column (or null) and hint (or null)."""
    return {"message": diagnostic.message, "kind": diagnostic.kind,
            "column": diagnostic.span.column if diagnostic.span else None, "hint": diagnostic.hint}
