"""Guards in words (`carepath.syntax.words.say`): any expression can be said, and nothing it reads is lost."""
from __future__ import annotations

from hypothesis import given

from carepath.syntax import ast
from carepath.syntax.printer import number
from carepath.syntax.words import say
from properties.pathway_strategies import expressions


@given(expressions)
def test_every_expression_can_be_said_with_every_name_and_number_it_reads(expr):
    text = say(expr)
    for node in ast.walk(expr):
        if isinstance(node, (ast.Ref, ast.Symbol)):
            assert node.name in text, (node, text)
        elif isinstance(node, ast.Literal) and not isinstance(node.value, bool):
            assert number(node.value) in text, (node, text)
    assert text.count("(") == text.count(")"), text


@given(expressions)
def test_a_junction_under_a_comparison_or_test_is_parenthesised(expr):
    """`(a and b) is at least c`, never `a and b is at least c`, which reads as another condition."""
    compared = ast.Compare(">=", ast.And((expr, ast.Ref("b"))), ast.Ref("c"))
    assert say(compared).startswith("(") and say(compared).endswith(") is at least c")


EXAMPLES = {
    "age >= 65 and not nsaid_tried": "age is at least 65 and not nsaid_tried",
    "not (improvement is significant)": "improvement is not significant",
    "not (x is missing)": "x is recorded",
    "x not in {a, b}": "x is neither a nor b",
    "not (x in {a})": "x is not a",
    "a or (b and c < 2)": "a or (b and c is less than 2)",
    "-(w / h) != 1.5": "\u2212(w \u00f7 h) is not 1.5",
    "not (a and b)": "not (a and b)",
    "today - surgery > 3 months": "today \u2212 surgery is more than 3 months",
    "event >= today - 6 months": "event is at least today \u2212 6 months",
}


def test_examples_read_as_written_here():
    from carepath.syntax import parse_text

    for dsl, words in EXAMPLES.items():
        expr = parse_text(f'pathway p "P"\nrequire {dsl}\n').requires[0].condition
        assert say(expr) == words, dsl
