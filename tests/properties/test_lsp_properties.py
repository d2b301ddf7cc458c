"""The language server's analysis never fails on a half-typed or mangled pathway, wherever the cursor is."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from carepath.lsp.analysis import analyse
from carepath.lsp.answers import completions, definitions, hover, references
from properties.pathway_strategies import mutated_pathways, no_hang

# Each example analyses a whole pathway (about 50 ms), so a quarter of the profile's count.
EXAMPLES = max(10, settings.default.max_examples // 4)


@settings(max_examples=EXAMPLES)
@given(mutated_pathways(), st.floats(0, 1))
def test_every_answer_survives_a_mangled_pathway(data: bytes, where: float):
    """Diagnostics, completion, hover, definition and references at any position, without an exception."""
    text = data.decode("utf-8", errors="replace")
    offset = int(where * len(text))
    with no_hang():
        analysis = analyse(text, "mangled.dsl")
        assert analysis.parsed or analysis.diagnostics
        offered = completions(analysis, text, offset)
        assert all(label for label, _ in offered)
        line = text.count("\n", 0, offset)
        column = offset - (text.rfind("\n", 0, offset) + 1)
        hover(analysis, line, column)
        for place in definitions(analysis, line, column) + references(analysis, line, column):
            assert place.line <= text.count("\n")
