"""Stage 1, syntax: read a pathway file, parse it with the grammar, build the AST."""
from __future__ import annotations

import gc
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

from lark import Tree, UnexpectedInput

from ..errors import PathwayError, SourceFile, Span, UsageError, error
from ..output import note_input
from . import ast
from .friendly import friendly_message
from .grammar import MAX_NAME_LENGTH, MAX_PARENTHESES, NameTooLong, TooManyParentheses, parenthesis_depth, parser
from .transform import ToAst

MAX_DEPTH = 200
# A pathway costs up to ~25 us per byte to load where it is all expressions (about 2 us where it
# is steps and comments): 10 MiB bounds the worst case to minutes, not the ~20 of 50 MB.
MAX_BYTES = 10 * 1024 * 1024
OTHER_LINE_ENDS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def read_source(path: str | Path, what: str = "pathway file", limit: int = MAX_BYTES) -> SourceFile:
    """Read a pathway (or other `what`) file as UTF-8 text; any reason it cannot be read is a located error."""
    return decode(str(path), read_input(path, what, limit), limit)


def read_input(path: str | Path, what: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of an input file (`-` for stdin), at most `limit` + 1 of them: a larger file
    (or /dev/zero) is refused without being read whole. The file is noted as an input, so that no
    output of the same command may replace it."""
    name = str(path)
    if name == "-":
        if sys.stdin is None:
            raise UsageError(error(f"stdin is closed; cannot read the {what} from `-`"))
        stream = sys.stdin.buffer
        note_input(stream)
        return _read_limited(stream, "<stdin>", limit)
    try:
        with open(path, "rb") as stream:
            note_input(stream)
            return _read_limited(stream, name, limit)
    except IsADirectoryError:
        raise UsageError(error(f"{name}: is a directory, not a {what}")) from None
    except OSError as exc:
        raise UsageError(error(f"{name}: cannot read: {exc.strerror or exc}")) from None


def _read_limited(stream: BinaryIO, name: str, limit: int) -> bytes:
    """At most `limit` + 1 bytes of a stream, so that decode can refuse what is over the limit."""
    try:
        return stream.read(limit + 1)
    except OSError as exc:
        raise UsageError(error(f"{name}: cannot read: {exc.strerror or exc}")) from None


def decode(name: str, data: bytes, limit: int = MAX_BYTES) -> SourceFile:
    """Bytes to text: UTF-8 with an optional BOM; binary or invalid bytes are errors.

    CR, CRLF and LF all end a line, as every editor shows them: the text keeps LF only, so the
    parser, the comment rule and every caret count the lines the reader sees. Other characters
    that some programs take for a line end (U+2028, U+2029, U+0085, VT, FF, ...) are refused."""
    if len(data) > limit:
        raise PathwayError(error(f"{name}: the file is larger than the limit of {limit:,} bytes"))
    if b"\x00" in data:
        raise PathwayError(_bad_byte(name, data, data.index(b"\x00"),
                                     "this is a binary file (it contains NUL bytes), not UTF-8 text"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"invalid UTF-8 byte 0x{data[exc.start]:02x}; save the file as UTF-8"
        raise PathwayError(_bad_byte(name, data, exc.start, message)) from None
    return _with_line_ends(name, text)


def _with_line_ends(name: str, text: str) -> SourceFile:
    """The source with CR and CRLF made LF, refusing any other line separator at its place."""
    source = SourceFile(name, text.replace("\r\n", "\n").replace("\r", "\n"))
    other = OTHER_LINE_ENDS.search(source.text)
    if other:
        line, column = source.position(other.start())
        raise PathwayError(error(f"invisible line separator U+{ord(other.group()):04X} is not allowed; "
                                 "end lines with LF (or CRLF)", Span(source, line, column, line, column + 1),
                                 kind="encoding"))
    return source


def _bad_byte(name: str, data: bytes, at: int, message: str):
    """A diagnostic located at the byte `at`, quoting its line as best it can."""
    def lf_text(raw: bytes) -> str:
        return raw.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")

    source = SourceFile(name, lf_text(data))
    line, column = source.position(len(lf_text(data[:at])))
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
            tree = _parse_tree(source.text)
        except UnexpectedInput as exc:
            raise PathwayError(_syntax_error(source, exc)) from None
        except TooManyParentheses as exc:
            token = exc.args[0]
            raise PathwayError(error(f"parentheses nested more than {MAX_PARENTHESES:,} deep",
                                     Span(source, token.line, token.column, token.line, token.column + 1),
                                     kind="syntax")) from None
        except NameTooLong as exc:  # every message would repeat it whole
            token = exc.args[0]
            raise PathwayError(error(f"a name may have at most {MAX_NAME_LENGTH} characters; this one has "
                                     f"{len(token)}", Span(source, token.line, token.column, token.end_line,
                                                           token.end_column), kind="syntax")) from None
        return ToAst(source, MAX_DEPTH).transform(tree)


def _parse_tree(text: str) -> Tree:
    """The parse tree of a text, its parentheses counted from zero."""
    parenthesis_depth.depth = 0
    return parser().parse(text)


def parse_text(text: str, name: str = "<string>") -> ast.Document:
    """Parse pathway text given as a string."""
    return parse(_with_line_ends(name, text.removeprefix("\ufeff")))


def _syntax_error(source: SourceFile, exc: UnexpectedInput):
    """A located diagnostic for a Lark parse error."""
    message = friendly_message(exc, _parse_tree)
    line, column = exc.line, exc.column
    if line is None or line < 1:
        lines = source.text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    return error(message, Span(source, line, column, line, column + 1), kind="syntax")
