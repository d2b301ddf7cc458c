"""Stage 1, syntax: the grammar loaded once, the installed copy inside the package, or the checkout's."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterator

from lark import Lark, Token
from lark.exceptions import UnexpectedToken
from lark.lark import PostLex

_PACKAGED = Path(__file__).resolve().parent.parent / "grammar" / "pathway.lark"
_CHECKOUT = Path(__file__).resolve().parents[3] / "grammar" / "pathway.lark"
_VALUES = frozenset({"NAME", "NUMBER", "STRING", "DATE"})


class GluedKeyword(UnexpectedToken):
    """A keyword run into the word after it (`stepb`, `whenfever`): an error, never `step b`."""

    def __init__(self, keyword: Token, following: Token):
        super().__init__(keyword, set())
        self.keyword, self.following = keyword, following


def _word_char(text: str) -> bool:
    """Whether a token begins (or a keyword ends) with a character a name could continue with."""
    return bool(text) and (text.isascii() and (text.isalnum() or text == "_"))


class KeywordEdges(PostLex):
    """Refuses a keyword immediately followed by a name or number character.

    Where the grammar accepts a keyword but no name, Lark's contextual lexer reads `stepb` as the
    keyword `step` and the name `b`; a keyword must end at a word boundary."""

    always_accept = ()

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        end, previous = -1, None
        for token in stream:
            if token.start_pos == end and previous.type not in _VALUES and _word_char(previous[-1:]) \
                    and _word_char(token[:1]):
                raise GluedKeyword(previous, token)
            end, previous = token.end_pos, token
            yield token


def grammar_path() -> Path:
    """Where the grammar file is: shipped in the wheel, or in the source checkout."""
    return _PACKAGED if _PACKAGED.is_file() else _CHECKOUT


@lru_cache(maxsize=1)
def parser() -> Lark:
    """The one LALR parser, built on first use and cached on disk by Lark."""
    return Lark.open(str(grammar_path()), parser="lalr", propagate_positions=True,
                     maybe_placeholders=False, cache=True, postlex=KeywordEdges())
