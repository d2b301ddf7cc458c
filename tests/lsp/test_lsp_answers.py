"""What the language server knows, asked without a client: names, hovers, completions, renames."""
from __future__ import annotations

from pathlib import Path

import pytest

from carepath.lsp.analysis import analyse
from carepath.lsp.answers import (RenameRefused, check_new_name, completions, completions_at, definitions, hover, references,
                                  without_current_item)
from carepath.lsp.scenario_names import scenario_occurrences

ROOT = Path(__file__).resolve().parents[2]
TEXT = '''pathway p "P"
source s "S"
fact pain: none | mild | severe "how bad"
fact age: integer 0..120 unit "years"
derive adult: boolean = age >= 18
decide d "D"
  when adult and pain is severe -> a
  otherwise -> b
step a "A" urgent
  recommend see "See" cite s
  stop
step b "B"
  recommend see "See later" cite s
  stop
start d
never see when not adult
'''


def where(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """(line, column) of the first `needle` plus `offset`."""
    at = text.index(needle) + offset
    return text.count("\n", 0, at), at - (text.rfind("\n", 0, at) + 1)


def complete(text: str) -> set[str]:
    """The labels offered at the end of `text`."""
    return {label for label, _ in completions(analyse(TEXT, "p.dsl"), text, len(text))}


def test_names_are_classified_by_where_they_stand():
    """A fact, a derived value, a node, a code, a source and a value, each with its occurrences."""
    analysis = analyse(TEXT, "p.dsl")
    assert analysis.diagnostics == []
    assert references(analysis, *where(TEXT, "age:")) == [o.place for o in analysis.all_of(("value", "age"))]
    assert len(references(analysis, *where(TEXT, "age:"))) == 2
    assert len(definitions(analysis, *where(TEXT, "see when"))) == 2  # both steps give `see`
    assert [o.key for o in analysis.occurrences if o.key[1] == "severe"] == [("enum", "severe")] * 2
    assert {o.key[0] for o in analysis.occurrences if o.key[1] == "s"} == {"source"}


def test_hover_says_what_a_name_is():
    """A fact's type, unit and meaning; a derived value's definition; a code's steps; a value's fact."""
    analysis = analyse(TEXT, "p.dsl")
    fact, _ = hover(analysis, *where(TEXT, "age >="))
    assert fact.startswith("**fact** `age`: integer 0..120, unit: years")
    derived, _ = hover(analysis, *where(TEXT, "adult and"))
    assert "derive adult: boolean = age >= 18" in derived
    code, _ = hover(analysis, *where(TEXT, "see when"))
    assert "given by `a`, `b`" in code
    value, _ = hover(analysis, *where(TEXT, "severe ->"))
    assert value.startswith("**value** `severe` of `pain`") and "how bad" in value
    assert hover(analysis, *where(TEXT, "pathway")) is None


@pytest.mark.parametrize("tail, wanted, unwanted", [
    ("step c \"C\"\n  recommend see \"S\" cite ", {"s"}, {"age", "d"}),
    ("decide e \"E\"\n  when pain in {mild, ", {"none", "mild", "severe"}, {"age", "low"}),
    ("decide e \"E\"\n  when ", {"age", "adult", "pain", "not", "true"}, {"d", "see"}),
    ("never ", {"see"}, {"age"}),
    ("step c \"C\"\n  -> ", {"a", "b", "d"}, {"age"}),
    ("fact ", set(), {"age", "pain"}),
])
def test_completion_offers_what_fits(tail: str, wanted: set[str], unwanted: set[str]):
    """Each slot gets its kind of name, and the keywords the grammar accepts there."""
    offered = complete(TEXT + tail)
    assert wanted <= offered and not unwanted & offered


def test_completion_in_a_half_typed_item_offers_names_declared_after_it():
    """The item being typed is left out to find the names; a step declared below is offered after `->`."""
    text = TEXT.replace("step b", 'step c "C"\n  -> \nstep b')
    cursor = text.index("  -> \n") + 5
    offered = {label for label, _ in completions_at(analyse(text, "p.dsl"), cursor)}
    assert {"a", "b", "d"} <= offered and "age" not in offered


def test_completion_in_a_broken_file_offers_everything():
    """When the text before the cursor does not parse, every keyword and name is offered."""
    offered = complete(TEXT + "step ) when ")
    assert {"decide", "age", "see", "s"} <= offered


def test_the_text_without_the_item_the_cursor_is_in():
    """The items before and after the one being typed."""
    text = 'pathway p "P"\nfact a: boolean\ndecide d "D"\n  when a is \n  # note\nstep s "S" stop\n'
    cursor = text.index(" is ") + 4
    assert without_current_item(text, cursor) == 'pathway p "P"\nfact a: boolean\nstep s "S" stop\n'
    assert without_current_item(text, len(text)) == text[:text.index("step s")]


@pytest.mark.parametrize("new, reason", [("pain", "already"), ("when", "keyword"), ("2x", "not a name")])
def test_rename_refuses_what_would_break_the_pathway(new: str, reason: str):
    """A taken name, a keyword, a non-name."""
    analysis = analyse(TEXT, "p.dsl")
    with pytest.raises(RenameRefused, match=reason):
        check_new_name(analysis, ("value", "age"), new)


def test_scenario_names_are_found_with_their_places():
    """Fact keys, values, codes, nodes and needs; quoted names inside their quotes."""
    text = 'defaults:\n  age: 40\nscenarios:\n  - name: x\n    case: {pain: "severe", age: null}\n' \
           '    expect:\n      present: [see]\n      path: [d, a]\n      needs: [age]\n'
    found = {(key, (p.line, p.column, p.end_column)) for key, p in scenario_occurrences(text)}
    assert found == {(("value", "age"), (1, 2, 5)), (("value", "pain"), (4, 11, 15)),
                     (("value", "age"), (4, 27, 30)), (("enum", "severe"), (4, 18, 24)), (("code", "see"), (6, 16, 19)),
                     (("node", "d"), (7, 13, 14)), (("node", "a"), (7, 16, 17)), (("value", "age"), (8, 14, 17))}
    assert scenario_occurrences("scenarios: [\n") == []


def test_a_half_typed_file_has_the_parsers_diagnostic_and_no_names():
    """The analysis of a broken text never raises."""
    analysis = analyse(TEXT + "decide e \"E\"\n  when pain is", "p.dsl")
    assert [d.kind for d in analysis.diagnostics] == ["syntax"] and not analysis.parsed


def test_the_name_tables_name_rules_of_the_grammar():
    """A rule the grammar renames must be renamed here too (else its names would drop out of the index)."""
    from lark import Lark

    from carepath.lsp.analysis import DECLARING, OUTLINED, QUOTED, REFERRING
    from carepath.syntax.grammar import grammar_path

    trees = {rule.alias or rule.origin.name for rule in Lark.open(str(grammar_path()), parser="lalr").rules}
    assert (set(DECLARING) | set(REFERRING) | set(QUOTED) | set(OUTLINED)) - trees == set()
