"""Stage 1 tests: text -> AST goldens, the printer, and located syntax errors."""
from __future__ import annotations

import pprint
from fractions import Fraction
from pathlib import Path

import pytest

import carepath
from carepath.errors import PathwayError
from carepath.syntax import parse_text, read_source, parse
from carepath.syntax.friendly import MISTAKES, UNCLOSED_STRING
from carepath.syntax.printer import show

HERE = Path(__file__).parent
PATHWAYS = sorted((HERE / "fixtures" / "pathways").glob("*.dsl"))


@pytest.mark.parametrize("path", PATHWAYS, ids=lambda p: p.name)
def test_ast_golden(path: Path, check_golden) -> None:
    """Each fixture pathway parses to the AST recorded in its golden file."""
    document = parse(read_source(path))
    check_golden(HERE / "golden" / "syntax" / f"{path.stem}.ast", pprint.pformat(document, width=100) + "\n")


def _error(text: str) -> tuple[str, int, int]:
    """The message, line and column of the one syntax error `text` raises."""
    with pytest.raises(PathwayError) as info:
        parse_text(text, "t.dsl")
    (diagnostic,) = info.value.diagnostics
    return diagnostic.message, diagnostic.span.line, diagnostic.span.column


HEADER = 'pathway p "P"\n'

# One realistic mistake per label of the friendly-message table, with where it must point.
FRIENDLY = {
    'the file must begin with a header: pathway NAME "Title"': ("fact age: integer\n", 1, 1),
    "a branch needs `->` and the name of the node it leads to":
        (HEADER + 'decide d "D"\n  when fever\n', 3, 8),
    "a decision needs at least one branch: `when CONDITION -> NODE`":
        (HEADER + 'decide d "D"\nstep s "S" stop\n', 3, 1),
    "a `when` needs a condition before `->`": (HEADER + 'decide d "D"\n  when -> s\n', 3, 9),
    "`=` is not a comparison: write `==`, or `is` for an enumeration value":
        (HEADER + 'decide d "D"\n  when age = 40 -> s\n', 3, 12),
    "two values in a row: write `->` before the node a branch leads to, "
    "or join conditions with `and`, `or` or a comparison": (HEADER + 'decide d "D"\n  when fever  next\n', 3, 15),
    "a name cannot follow a complete condition: join conditions with `and` or `or`, or begin the "
    "next item with its keyword (`fact`, `derive`, `decide`, `step`, ...)":
        (HEADER + "require a\nweight d: boolean\n", 3, 1),
    "a step must end with `-> NEXT_NODE` or `stop`": (HEADER + 'step s "S"\n  recommend r "R" cite x\n', 3, 24),
    "a recommendation needs a code, its text in quotes, and `cite SOURCE`":
        (HEADER + 'step s "S"\n  recommend rest "Rest"\n  stop\n', 4, 3),
    "a title must be a string in double quotes": (HEADER + "step s Rest stop\n", 2, 8),
    "a citation is written `cite SOURCE at \"where in it\" quote \"its words\"`: the locator and the "
    "quote are strings, the locator first":
        (HEADER + 'step s "S"\n  recommend r "R" cite nice quote "q" at "1.2"\n  stop\n', 3, 39),
    "a fact is declared `fact NAME: TYPE`, e.g. `fact age: integer 16..120`": (HEADER + "fact age integer\n", 2, 10),
    "enumeration values are separated by `|`: `fact x: low | medium | high`":
        (HEADER + "fact pain: none, mild\n", 2, 16),
    "a range is written `LOW..HIGH`, e.g. `integer 0..9`": (HEADER + "fact age: integer 16-120\n", 2, 21),
    "each line of a score is `points N when CONDITION`, e.g. `points 1 when confusion`":
        (HEADER + 'fact confusion: boolean\nscore crb65 "CRB-65"\n  1 when confusion\n', 4, 3),
    "an unclosed parenthesis: add `)`": (HEADER + 'decide d "D"\n  when (a or b -> s\n', 3, 16),
    "a set is written `{a, b}` with commas between the values":
        (HEADER + 'decide d "D"\n  when pain in {none mild} -> s\n', 3, 22),
}


def test_every_label_has_a_test() -> None:
    """The friendly-message table and this test table cover the same labels."""
    assert set(FRIENDLY) == set(MISTAKES)


@pytest.mark.parametrize("label", sorted(FRIENDLY))
def test_friendly_syntax_error(label: str) -> None:
    """A common mistake gets its friendly message at the right line and column."""
    text, line, column = FRIENDLY[label]
    assert _error(text) == (label, line, column)


@pytest.mark.parametrize("label", sorted(label for label, (text, _, _) in FRIENDLY.items() if text.startswith(HEADER)))
def test_friendly_syntax_error_after_other_items(label: str) -> None:
    """The same mistake further down a file, after other items, gets the same message two lines lower."""
    text, line, column = FRIENDLY[label]
    later = HEADER + 'source s "s.txt"\nfact f: boolean\n' + text[len(HEADER):]
    assert _error(later) == (label, line + 2, column)


def test_unmatched_error_names_what_was_expected() -> None:
    """A mistake outside the table still says what was found and what could come."""
    message, line, column = _error(HEADER + 'step s "S" recommend r "R" cite a when x >')
    assert message.startswith("unexpected end of file; expected")
    assert "a number" in message and (line, column) == (2, 42)


def test_unclosed_string() -> None:
    """An unterminated string is reported at its opening quote."""
    assert _error(HEADER + 'step s "Rest\n stop') == (UNCLOSED_STRING, 2, 8)


def test_error_output_quotes_line_with_caret() -> None:
    """The formatted error is gcc style with the source line and a caret under the column."""
    with pytest.raises(PathwayError) as info:
        parse_text(HEADER + 'decide d "D"\n  when age = 40 -> s\n', "t.dsl")
    assert str(info.value).splitlines() == [
        "t.dsl:3:12: error: `=` is not a comparison: write `==`, or `is` for an enumeration value",
        "    when age = 40 -> s",
        "             ^",
    ]


@pytest.mark.parametrize("text", [
    "a and (b or c)", "not (a and b)", "x - (y - 1) > 2", "-(x + 1) * 2 <= 3.5", "p is not none",
    "s not in {a, b}", "g is missing or g is present", "(a or b) and (c or not d)", "x * (y + z) == 4",
])
def test_printer_round_trips_expressions(text: str) -> None:
    """show() prints a guard that parses back to the same expression, with minimal parentheses."""
    decision = parse_text(f'{HEADER}decide d "D"\n when {text} -> d').nodes[0]
    guard = decision.branches[0].guard
    assert show(guard) == text
    assert parse_text(f'{HEADER}decide d "D"\n when {show(guard)} -> d').nodes[0].branches[0].guard == guard


def test_layout_does_not_matter() -> None:
    """Tabs, CRLF line ends and a byte-order mark parse to the same AST as plain layout."""
    plain = (HERE / "fixtures" / "pathways" / "triage.dsl").read_text(encoding="utf-8")
    mangled = "\ufeff" + plain.replace("\n", "\r\n").replace("  ", "\t")
    assert parse_text(mangled) == parse_text(plain)


def test_case_facts_print_as_a_dsl_condition() -> None:
    """A case's values in a message read as DSL, not as a Python dict (`{'fever': True}`)."""
    from carepath.syntax.printer import show_facts

    shown = show_facts({"n": 4, "fever": True, "rash": False, "pain": "severe", "temp": Fraction(77, 2), "score": None})
    assert shown == "n == 4 and fever and not rash and pain is severe and temp == 38.5 and score is missing"
    assert show_facts({}) == "true"


KEYWORD_EDGES = 'pathway p "P"\nsource g "g"\nfact fever: boolean\nstart a\n'


@pytest.mark.parametrize("text,message,line,column", [
    (KEYWORD_EDGES + 'decide a "A"\n  when fever -> b\n  otherwise -> b\nstepb "B" stop\n',
     "unexpected `stepb`: a keyword must be followed by a space; did you mean `step` (`step b`)?", 8, 1),
    (KEYWORD_EDGES + 'decide a "A"\n  whenfever -> b\n  otherwise -> b\nstep b "B" stop\n',
     "unexpected `whenfever`: a keyword must be followed by a space; did you mean `when` (`when fever`)?", 6, 3),
    ('pathway p "P"\nfact fever: boolean\nstartd\nstep d "D" stop\n',
     "unexpected `startd`: a keyword must be followed by a space; did you mean `start` (`start d`)?", 3, 1),
    (KEYWORD_EDGES + 'step a "A" recommend r "R" citeg stop\n',
     "unexpected `citeg`: a keyword must be followed by a space; did you mean `cite` (`cite g`)?", 5, 28),
    (KEYWORD_EDGES + 'step a "A" recommend r "R" cites g stop\n',
     "unexpected `cites`: a keyword must be followed by a space; did you mean `cite` (`cite s`)?", 5, 28),
    (KEYWORD_EDGES + 'decide a "A"\n  when fever -> b\n  otherwise -> b\nstpe b "B" stop\n',
     "unexpected `stpe`; did you mean `step`?", 8, 1),
    (KEYWORD_EDGES + 'step a "A" recomend r "R" cite g stop\n', "unexpected `recomend`; did you mean `recommend`?", 5, 12),
    (KEYWORD_EDGES + 'decide a "A"\n  when fever -> b\n  otherwsie -> b\nstep b "B" stop\n',
     "unexpected `otherwsie`; did you mean `otherwise`?", 7, 3),
])
def test_keyword_edges(text: str, message: str, line: int, column: int) -> None:
    """A keyword never glues to the name after it, and a misspelt keyword is named."""
    with pytest.raises(PathwayError) as refused:
        parse_text(text, "edges.dsl")
    diagnostic = refused.value.diagnostics[0]
    assert (diagnostic.message, diagnostic.span.line, diagnostic.span.column) == (message, line, column)


def test_keywords_may_be_enumeration_values_where_unambiguous() -> None:
    """`urgent`, `emergency` and `stop` are values of an enumeration; `missing` (`x is missing`) is not."""
    text = ('pathway p "P"\nsource g "g"\nfact priority: routine | urgent | emergency | stop\nstart a\n'
            'decide a "A"\n  when priority is urgent -> b\n  when priority in {routine, emergency, stop} -> c\n'
            'step b "B" urgent recommend r "R" cite g stop\nstep c "C" recommend q "Q" cite g stop\n')
    pathway = carepath.loads(text)
    assert carepath.run(pathway, {"priority": "urgent"}).codes == ["r"]
    assert carepath.run(pathway, {"priority": "stop"}).codes == ["q"]
    with pytest.raises(PathwayError, match="`missing` cannot be an enumeration value"):
        carepath.loads(text.replace("| stop", "| missing"))
