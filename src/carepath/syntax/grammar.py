"""Stage 1, syntax: the grammar loaded once, the installed copy inside the package, or the checkout's.

Lark's own cache (`cache=True`) is a pickle at a predictable name in the shared temporary folder,
unpickled before its hash is checked: whoever writes that file first would run code as the next
user. The parser is cached only in the user's own cache folder (created 0700, owned by the user,
written by no one else), and built afresh (90 ms) when there is no such place."""
from __future__ import annotations

import hashlib
import os
import stat
import sys
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import lark
from lark import Lark, Token
from lark.exceptions import UnexpectedToken
from lark.lark import PostLex

_PACKAGED = Path(__file__).resolve().parent.parent / "grammar" / "pathway.lark"
_CHECKOUT = Path(__file__).resolve().parents[3] / "grammar" / "pathway.lark"
PARSER_OPTIONS = {"parser": "lalr", "propagate_positions": True, "maybe_placeholders": False}
MAX_PARENTHESES = 10_000
MAX_NAME_LENGTH = 100
_VALUES = frozenset({"NAME", "NUMBER", "STRING", "DATE"})


class GluedKeyword(UnexpectedToken):
    """A keyword run into the word after it (`stepb`, `whenfever`): an error, never `step b`."""

    def __init__(self, keyword: Token, following: Token):
        super().__init__(keyword, set())
        self.keyword, self.following = keyword, following


def _word_char(text: str) -> bool:
    """Whether a token begins (or a keyword ends) with a character a name could continue with."""
    return bool(text) and (text.isascii() and (text.isalnum() or text == "_"))


class NameTooLong(Exception):
    """A name longer than MAX_NAME_LENGTH; carries its token."""


class KeywordEdges(PostLex):
    """Refuses a keyword immediately followed by a name or number character, and a name longer than
    MAX_NAME_LENGTH (here, where every token passes anyway, rather than in a walk of the tree).

    Where the grammar accepts a keyword but no name, Lark's contextual lexer reads `stepb` as the
    keyword `step` and the name `b`; a keyword must end at a word boundary."""

    always_accept = ()

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        end, previous = -1, None
        for token in stream:
            if token.start_pos == end and previous.type not in _VALUES and _word_char(previous[-1:]) \
                    and _word_char(token[:1]):
                raise GluedKeyword(previous, token)
            if token.type == "NAME" and len(token) > MAX_NAME_LENGTH:
                raise NameTooLong(token)
            end, previous = token.end_pos, token
            yield token


class TooManyParentheses(Exception):
    """Parentheses opened past MAX_PARENTHESES levels; carries the token that went too deep."""


class _ParenthesisDepth:
    """Counts open parentheses as the lexer meets them, stopping a parse that nests them past
    MAX_PARENTHESES at once: the parser spends ~9 reductions on each level, so 10 MB of `(`
    took minutes before any later depth check could refuse it."""

    def __init__(self):
        self.depth = 0

    def opened(self, token):
        self.depth += 1
        if self.depth > MAX_PARENTHESES:
            raise TooManyParentheses(token)
        return token

    def closed(self, token):
        self.depth -= 1
        return token


parenthesis_depth = _ParenthesisDepth()


def grammar_path() -> Path:
    """Where the grammar file is: shipped in the wheel, or in the source checkout."""
    return _PACKAGED if _PACKAGED.is_file() else _CHECKOUT


@lru_cache(maxsize=1)
def parser() -> Lark:
    """The one LALR parser, built on first use, cached only where no one else can write."""
    path = grammar_path()
    cache = private_cache_file(path.read_bytes())
    return Lark.open(str(path), **PARSER_OPTIONS, cache=str(cache) if cache else False,
                     lexer_callbacks={"LPAR": parenthesis_depth.opened, "RPAR": parenthesis_depth.closed},
                     postlex=KeywordEdges())


def private_cache_file(grammar: bytes) -> Path | None:
    """The parser cache file in the user's cache folder (XDG_CACHE_HOME or ~/.cache), or None
    when that folder, or a file already there, could be written by another user."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(home):
        return None
    folder = Path(home) / "carepath"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder) or not _private(folder.parent, group_ok=True):
            return None
    except OSError:
        return None
    key = hashlib.sha256(grammar + repr((lark.__version__, sys.version_info[:2], PARSER_OPTIONS)).encode())
    file = folder / f"parser-{key.hexdigest()[:32]}.lark"
    try:
        if not _private(file):
            return None
    except FileNotFoundError:
        pass
    except OSError:
        return None
    return file


def _private(path: Path, group_ok: bool = False) -> bool:
    """Whether a path (not a link) belongs to this user and no one else may write it."""
    info = os.lstat(path)
    others = stat.S_IWOTH if group_ok else stat.S_IWOTH | stat.S_IWGRP
    return not stat.S_ISLNK(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & others
