"""Stage 1, syntax: read a pathway file, parse it with the grammar, build the AST."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from lark import Token, Tree, UnexpectedInput

from ..errors import PathwayError, SourceFile, Span, UsageError, error
from . import ast
from .friendly import friendly_message
from .grammar import parser
from .transform import ToAst

MAX_DEPTH = 200
MAX_NAME_LENGTH = 100
MAX_BYTES = 50 * 1024 * 1024


def read_source(path: str | Path, what: str = "pathway file") -> SourceFile:
    """Read a pathway (or other `what`) file as UTF-8 text; any reason it cannot be read is a located error."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise UsageError(error(f"{name}: is a directory, not a {what}")) from None
    except OSError as exc:
        raise UsageError(error(f"{name}: cannot read: {exc.strerror or exc}")) from None
    return decode(name, data)


def decode(name: str, data: bytes) -> SourceFile:
    """Bytes to text: UTF-8 with an optional BOM; binary or invalid bytes are errors."""
    if len(data) > MAX_BYTES:
        raise PathwayError(error(f"{name}: the file is {len(data)} bytes; the limit is {MAX_BYTES}"))
    if b"\x00" in data:
        raise PathwayError(_bad_byte(name, data, data.index(b"\x00"),
                                     "this is a binary file (it contains NUL bytes), not UTF-8 text"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"invalid UTF-8 byte 0x{data[exc.start]:02x}; save the file as UTF-8"
        raise PathwayError(_bad_byte(name, data, exc.start, message)) from None
    return SourceFile(name, text)


def _bad_byte(name: str, data: bytes, at: int, message: str):
    """A diagnostic located at the byte `at`, quoting its line as best it can."""
    source = SourceFile(name, data.decode("utf-8-sig", errors="replace"))
    line_start = data.rfind(b"\n", 0, at) + 1
    line = data.count(b"\n", 0, at) + 1
    column = len(data[line_start:at].decode("utf-8-sig", errors="replace")) + 1
    return error(message, Span(source, line, column, line, column + 1), kind="encoding")


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
        _check_names(source, tree)
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


def _check_names(source: SourceFile, tree: Tree) -> None:
    """Refuse names longer than MAX_NAME_LENGTH: every message would repeat them whole.

    Lark's iter_subtrees is iterative, so this pass is safe before the depth check."""
    too_long = (token for subtree in tree.iter_subtrees() for token in subtree.children
                if isinstance(token, Token) and token.type == "NAME" and len(token) > MAX_NAME_LENGTH)
    for token in too_long:
        span = Span(source, token.line, token.column, token.end_line, token.end_column)
        raise PathwayError(error(f"a name may have at most {MAX_NAME_LENGTH} characters; this one has "
                                 f"{len(token)}", span, kind="syntax"))
