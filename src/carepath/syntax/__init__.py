"""Stage 1, syntax: read a pathway file, parse it with the grammar, build the AST."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from lark import UnexpectedInput

from ..errors import PathwayError, SourceFile, Span, UsageError, error
from . import ast
from .friendly import friendly_message
from .grammar import parser
from .transform import ToAst

MAX_DEPTH = 200
MAX_BYTES = 50 * 1024 * 1024


def read_source(path: str | Path) -> SourceFile:
    """Read a pathway file as UTF-8 text; any reason it cannot be read is a located error."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise UsageError(error(f"{name}: is a directory, not a pathway file")) from None
    except OSError as exc:
        raise UsageError(error(f"{name}: cannot read: {exc.strerror or exc}")) from None
    return decode(name, data)


def decode(name: str, data: bytes) -> SourceFile:
    """Bytes to text: UTF-8 with an optional BOM; binary or invalid bytes are errors."""
    if len(data) > MAX_BYTES:
        raise PathwayError(error(f"{name}: the file is {len(data)} bytes; the limit is {MAX_BYTES}"))
    if b"\x00" in data:
        raise PathwayError(error(f"{name}: this is a binary file (it contains NUL bytes), not a pathway"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PathwayError(error(f"{name}:{line}:{column}: invalid UTF-8 byte 0x{data[exc.start]:02x}; "
                                 "save the file as UTF-8")) from None
    return SourceFile(name, text)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a front-end stage builds many objects at once.

    The stages allocate hundreds of thousands of objects and free none, so each collection
    only rescans them: resolving and building the graph of 10,000 nodes ran 4-5x slower with
    the collector on. The previous state is restored, so calls nest."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse(source: SourceFile) -> ast.Document:
    """Parse a source file into the AST, or raise PathwayError at the first syntax error."""
    with paused_gc():
        try:
            tree = parser().parse(source.text)
        except UnexpectedInput as exc:
            raise PathwayError(_syntax_error(source, exc)) from None
        return ToAst(source, MAX_DEPTH).transform(tree)


def parse_text(text: str, name: str = "<string>") -> ast.Document:
    """Parse pathway text given as a string."""
    return parse(SourceFile(name, text.removeprefix("\ufeff")))


def _syntax_error(source: SourceFile, exc: UnexpectedInput):
    """A located diagnostic for a Lark parse error."""
    message = friendly_message(exc, lambda text: parser().parse(text))
    line, column = exc.line, exc.column
    if line is None or line < 1:
        lines = source.text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    return error(message, Span(source, line, column, line, column + 1), kind="syntax")
