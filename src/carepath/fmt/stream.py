"""Stage fmt: a pathway as the formatter sees it, every token and comment in order with its grammar rule."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lark import Lark, Token, Tree

from ..errors import SourceFile
from ..syntax import parse, paused_gc
from ..syntax.grammar import grammar_path


LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Element:
    """A token or a comment, with the line breaks before it and the rules it opens and sits in."""

    text: str
    kind: str                              # the terminal's name, or COMMENT
    newlines: int                          # line breaks in the whitespace before it
    opens: tuple[tuple[str, int], ...] = ()  # (rule, node id) of each tree node it is the first token of
    parent: str | None = None              # the rule whose direct child this token is
    owner: int | None = None               # the id of that tree node


@lru_cache(maxsize=1)
def full_parser() -> Lark:
    """The grammar's LALR parser keeping every keyword and punctuation token in the tree."""
    return Lark.open(str(grammar_path()), parser="lalr", propagate_positions=True,
                     maybe_placeholders=False, keep_all_tokens=True, cache=True)


def full_tree(source: SourceFile) -> Tree:
    """The parse tree with every token; the front end's own checks and messages come first."""
    parse(source)
    return parsed_tree(source.text)


def parsed_tree(text: str) -> Tree:
    """The parse tree with every token of text the front end has already parsed."""
    with paused_gc():
        return full_parser().parse(text)


def elements(source: SourceFile) -> list[Element]:
    """Every token and comment of a pathway in source order; a syntax error is the parser's PathwayError."""
    tree = full_tree(source)
    found: list[Element] = []
    end = 0
    for token, opens, parent in tokens(tree):
        breaks = _gap(source.text[end:token.start_pos], found)
        found.append(Element(str(token), token.type, breaks, opens, parent.data, id(parent)))
        end = token.end_pos
    _gap(source.text[end:], found)
    return found


def _gap(text: str, found: list[Element]) -> int:
    """Add the comments in the whitespace between two tokens; the line breaks after the last one.

    A comment is what the grammar's COMMENT terminal matches, so the formatter keeps exactly the
    comments the parser skips, whatever line ends the grammar lets them run to."""
    pending, at = 0, 0
    for comment in comment_pattern().finditer(text):
        pending += len(LINE_BREAK.findall(text, at, comment.start()))
        found.append(Element(comment.group().rstrip(), "COMMENT", pending))
        pending, at = 0, comment.end()
    return pending + len(LINE_BREAK.findall(text, at))


@lru_cache(maxsize=1)
def comment_pattern() -> re.Pattern:
    """The grammar's COMMENT terminal as a regular expression."""
    return re.compile(full_parser().get_terminal("COMMENT").pattern.to_regexp())


def tokens(tree: Tree):
    """(token, the (rule, node id) it opens outermost first, its parent node), in source order."""
    opening: dict[int, list[tuple[str, int]]] = {}
    stack: list = [(tree, None)]
    while stack:
        node, parent = stack.pop()
        if isinstance(node, Token):
            yield node, tuple(opening.pop(id(node), ())), parent
            continue
        first = _first_token(node)
        if first is not None:
            opening.setdefault(id(first), []).append((str(node.data), id(node)))
        stack.extend((child, node) for child in reversed(node.children))


def _first_token(node: Tree) -> Token | None:
    """The first token under a tree node, or None for an empty one."""
    while isinstance(node, Tree):
        if not node.children:
            return None
        node = node.children[0]
    return node
