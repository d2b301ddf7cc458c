"""Citations with a locator and a quote: parsed, printed back, resolved and shown by `run`."""
from __future__ import annotations

from pathlib import Path

import pytest

import carepath
from carepath.engine.summary import summary
from carepath.errors import PathwayError
from carepath.syntax import ast, parse_text
from carepath.syntax.printer import print_document

CITED = Path(__file__).parent / "fixtures" / "review" / "cited.dsl"
CASE = {"age": 75, "fall": True, "osteoporosis": False, "pain_score": 3}


def _citations(doc: ast.Document, code: str) -> tuple[ast.Citation, ...]:
    """The citations of the recommendation `code`."""
    return next(r for r in ast.recommendations(doc.nodes) if r.code == code).citations


def test_locator_and_quote_are_parsed() -> None:
    """`cite nice at "..." quote "...", guide at "..."` keeps each part with its own source."""
    doc = carepath.load(CITED).document
    assert _citations(doc, "radiograph") == (
        ast.Citation("nice", "recommendation 1.1.3", "Do not routinely offer imaging"),
        ast.Citation("guide", "section 2"))
    caution = next(r for r in ast.recommendations(doc.nodes) if r.code == "analgesia").cautions[0]
    assert caution.citations[0].locator == "recommendation 1.2.18"


def test_citations_print_back_to_the_same_document() -> None:
    """The canonical printer writes locators and quotes so that they parse back unchanged."""
    doc = carepath.load(CITED).document
    text = print_document(doc)
    assert 'cite nice at "recommendation 1.1.3" quote "Do not routinely offer imaging", guide at "section 2"' in text
    assert parse_text(text, "printed.dsl") == doc


def test_at_and_quote_stay_usable_as_names() -> None:
    """The two words are keywords only after a cited source: a fact or source may still be named so."""
    doc = parse_text('pathway p "P"\nsource at "a.txt"\nfact quote: boolean\nstart s\n'
                     'step s "S"\n  recommend r "R"  cite at at "p. 3"\n    when quote\n  stop\n')
    (citation,) = _citations(doc, "r")
    assert (citation.source, citation.locator, citation.quote) == ("at", "p. 3", None)


def test_undeclared_source_is_reported_at_its_citation() -> None:
    """A citation of an unknown source points at that citation, not at the recommendation."""
    text = ('pathway p "P"\nsource guide "g.txt"\nstart s\nstep s "S"\n'
            '  recommend r "R"  cite guide at "s 1", gide at "s 2"\n  stop\n')
    with pytest.raises(PathwayError) as info:
        carepath.loads(text, "t.dsl")
    (diagnostic,) = info.value.diagnostics
    assert "`gide` is not a declared source" in diagnostic.message
    assert (diagnostic.span.line, diagnostic.span.column) == (5, 41)


def test_run_json_gives_each_citation_in_full() -> None:
    """`run --json` lists reference, title, locator and quote beside the plain `sources`."""
    (rec,) = carepath.run(CITED, CASE).to_json()["recommendations"]
    assert rec["sources"] == ["NICE NG59: Low back pain and sciatica in over 16s", "guide.txt"]
    assert rec["citations"] == [
        {"source": "nice", "reference": "NICE NG59: Low back pain and sciatica in over 16s",
         "title": "NICE NG59: Low back pain and sciatica in over 16s", "locator": "recommendation 1.1.3",
         "quote": "Do not routinely offer imaging"},
        {"source": "guide", "reference": "guide.txt", "title": "Local back pain guide", "locator": "section 2",
         "quote": None}]


def test_run_text_shows_locators_and_quotes() -> None:
    """The readable report puts each locator beside its source and each quote under it."""
    text = summary(carepath.run(CITED, {**CASE, "fall": False, "pain_score": 8}))
    assert "sources: Local back pain guide (guide.txt)  (step routine_care)" in text
    assert "caution: Check kidney function in older adults [NICE NG59: Low back pain and sciatica in over 16s, " \
           "recommendation 1.2.18]" in text
    assert ('NICE NG59: Low back pain and sciatica in over 16s, recommendation 1.2.18: "taking into account '
            'potential differences') in text
