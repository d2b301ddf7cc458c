"""Properties of the front end on arbitrary text: it loads or raises the one located error type."""
from __future__ import annotations

from hypothesis import event, given

import carepath
from carepath.errors import CarepathError
from carepath.model import load_source
from carepath.syntax import decode
from properties.pathway_strategies import grammar_strings, mutated_pathways, no_hang


def _load_or_fail(name: str, data: bytes) -> str:
    """Load bytes as a pathway and run an empty case; the outcome, or CarepathError's class name."""
    try:
        pathway = load_source(decode(name, data))
        pathway.graph  # noqa: B018 - building the graph is part of loading for every command
        carepath.run(pathway, {})
    except CarepathError as exc:
        assert exc.diagnostics, "a CarepathError without a diagnostic"
        assert all(d.span is not None for d in exc.diagnostics), exc.format()
        exc.format()
        return type(exc).__name__
    return "loaded"


@given(grammar_strings())
def test_grammar_strings_load_or_raise_a_located_error(text):
    """Strings generated from the grammar itself never crash or hang the toolchain."""
    with no_hang():
        event(_load_or_fail("generated.dsl", text.encode("utf-8")))


@given(mutated_pathways())
def test_mutated_pathways_load_or_raise_a_located_error(data):
    """Real pathways with bytes or tokens deleted, duplicated, swapped or inserted never crash or hang."""
    with no_hang():
        event(_load_or_fail("mutated.dsl", data))
