"""The formatter's properties: idempotent, meaning-preserving, and it keeps every comment."""
from __future__ import annotations

import pytest
from hypothesis import given, settings

from carepath.errors import PathwayError, SourceFile
from carepath.fmt import format_text
from carepath.fmt.stream import full_parser
from carepath.model import load_source
from carepath.syntax import parse_text, read_source
from properties.pathway_strategies import grammar_strings, mutated_pathways, no_hang, pathway_files

# Real pathways are long (the formatter and both checks take about 0.2 s each): a quarter of the profile.
REAL_EXAMPLES = max(10, settings.default.max_examples // 4)


def comments(text: str) -> list[str]:
    """The text of every comment the lexer skips, in order, without trailing whitespace."""
    return [str(t).rstrip() for t in full_parser().lex(text, dont_ignore=True) if t.type == "COMMENT"]


def _loaded_document(text: str):
    """The resolved document of a pathway text, or None when it does not load."""
    try:
        return load_source(SourceFile("x.dsl", text)).document
    except PathwayError:
        return None


def assert_formats_well(text: str) -> None:
    """fmt(fmt(x)) == fmt(x); x and fmt(x) parse and load to equal documents; comments kept in order."""
    formatted = format_text(text)
    assert format_text(formatted) == formatted
    assert parse_text(formatted) == parse_text(text)
    assert _loaded_document(formatted) == _loaded_document(text)
    assert comments(formatted) == comments(text)
    assert formatted.endswith("\n") and not formatted.endswith("\n\n")
    assert "\n\n\n" not in formatted
    assert all(line == line.rstrip() for line in formatted.split("\n"))


@pytest.mark.parametrize("path", pathway_files(), ids=lambda p: p.name)
def test_every_pathway_file_formats_well(path):
    """pathway.dsl and every .dsl file of the repository that parses."""
    text = read_source(path).text
    try:
        parse_text(text)
    except PathwayError:
        pytest.skip(f"{path.name} is a deliberately broken pathway")
    assert_formats_well(text)


@given(grammar_strings())
def test_generated_documents_with_comments_format_well(text):
    """Documents generated from the grammar, comments and odd whitespace included."""
    with no_hang():
        try:
            parse_text(text)
        except PathwayError:
            return
        assert_formats_well(text)


@settings(max_examples=REAL_EXAMPLES)
@given(mutated_pathways())
def test_mangled_real_pathways_that_still_parse_format_well(data: bytes):
    """The repository's pathways, comments and all, with tokens or bytes moved, inserted or deleted."""
    text = data.decode("utf-8", errors="replace")
    with no_hang():
        try:
            parse_text(text)
        except (PathwayError, RecursionError):
            return
        assert_formats_well(text)
