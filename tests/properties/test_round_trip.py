"""The canonical printer and the parser agree: printing any AST and parsing the text gives it back."""
from __future__ import annotations

import pytest
from hypothesis import event, given

from carepath.errors import PathwayError
from carepath.syntax import parse_text, read_source, parse
from carepath.syntax.printer import print_document, show
from properties.pathway_strategies import expressions, grammar_strings, no_hang, pathway_files


def _parses(text: str):
    """The document text parses to, or None when it is not a pathway."""
    try:
        return parse_text(text)
    except PathwayError:
        return None


def _assert_round_trip(doc) -> None:
    """print_document(doc) parses back to doc, and printing that gives the same text."""
    text = print_document(doc)
    again = parse_text(text, "printed.dsl")
    assert again == doc, text
    assert print_document(again) == text


@pytest.mark.parametrize("path", pathway_files(), ids=lambda p: p.name)
def test_every_pathway_file_round_trips(path):
    """pathway.dsl and every .dsl file in the repository that parses prints back to an equal AST."""
    try:
        doc = parse(read_source(path))
    except PathwayError:
        pytest.skip(f"{path.name} is a deliberately broken pathway")
    _assert_round_trip(doc)


@given(grammar_strings())
def test_generated_documents_round_trip(text):
    """Every grammar-generated text that parses prints back to an equal AST."""
    with no_hang():
        doc = _parses(text)
        event("parsed" if doc else "not a pathway")
        if doc is not None:
            _assert_round_trip(doc)


@given(expressions)
def test_expressions_round_trip_through_show(expr):
    """show() prints any expression with just enough parentheses to parse back to it."""
    text = show(expr)
    parsed = parse_text(f'pathway p "P"\nrequire {text}\n').requires[0].condition
    assert parsed == expr, text
    assert show(parsed) == text
