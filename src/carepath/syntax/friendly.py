"""Stage 1, syntax: friendly errors, a labelled table of common mistakes, matched by parser state."""
from __future__ import annotations

from lark import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ..errors import did_you_mean
from .grammar import GluedKeyword, parser

_H = 'pathway p "P"\n'

# Each label is the message a user sees; each example makes the parser fail in the same state.
MISTAKES: dict[str, list[str]] = {
    'the file must begin with a header: pathway NAME "Title"': [
        'fact x: boolean', 'step a "A" stop', 'start a', 'pathway', 'pathway p',
    ],
    "a branch needs `->` and the name of the node it leads to": [
        _H + 'decide d "D" otherwise a', _H + 'decide d "D" when x',
    ],
    "a decision needs at least one branch: `when CONDITION -> NODE`": [
        _H + 'decide d "D" step', _H + 'decide d "D" otherwise -> a when',
    ],
    "a `when` needs a condition before `->`": [
        _H + 'decide d "D" when -> a', _H + 'never x when -> a',
    ],
    "`=` is not a comparison: write `==`, or `is` for an enumeration value": [
        _H + 'decide d "D" when x = 1 -> a', _H + 'require x = 1',
    ],
    "two values in a row: write `->` before the node a branch leads to, "
    "or join conditions with `and`, `or` or a comparison": [
        _H + 'decide d "D" when x y -> a', _H + 'decide d "D" when x 1 -> a',
        _H + 'decide d "D" when x > 1 2 -> a',
    ],
    "a name cannot follow a complete condition: join conditions with `and` or `or`, or begin the "
    "next item with its keyword (`fact`, `derive`, `decide`, `step`, ...)": [
        _H + 'require x y', _H + 'require x > 1 y', _H + 'never r when x y',
    ],
    "a step must end with `-> NEXT_NODE` or `stop`": [
        _H + 'step s "S"', _H + 'step s "S" recommend r "R" cite x', _H + 'step s "S" fact',
    ],
    "a recommendation needs a code, its text in quotes, and `cite SOURCE`": [
        _H + 'step s "S" recommend r "R" stop', _H + 'step s "S" recommend r stop',
        _H + 'step s "S" recommend "R"', _H + 'step s "S" recommend r "R" ->',
    ],
    "a citation is written `cite SOURCE at \"where in it\" quote \"its words\"`: the locator and the "
    "quote are strings, the locator first": [
        _H + 'step s "S" recommend r "R" cite x at stop', _H + 'step s "S" recommend r "R" cite x quote stop',
        _H + 'step s "S" recommend r "R" cite x quote "q" at "s"',
    ],
    "a title must be a string in double quotes": [
        _H + 'step s stop', _H + 'decide d when', _H + 'step s S stop',
    ],
    "a fact is declared `fact NAME: TYPE`, e.g. `fact age: integer 16..120`": [
        _H + 'fact x', _H + 'fact x boolean', _H + 'fact x:', _H + 'fact x: 1',
        _H + 'fact : boolean',
    ],
    "enumeration values are separated by `|`: `fact x: low | medium | high`": [
        _H + 'fact x: low, high', _H + 'fact x: low high',
    ],
    "each line of a score is `points N when CONDITION`, e.g. `points 1 when confusion`": [
        _H + 'score s "S"\n  1 when x', _H + 'score s "S" cite a\n  1 when x', _H + 'score s\n  1 when x',
        # the same after an earlier item (the parser's stack is one deeper there)
        _H + 'fact x: boolean\nscore s "S"\n  1 when x', _H + 'fact x: boolean\nscore s "S" cite a\n  1 when x',
        _H + 'fact x: boolean\nscore s\n  1 when x',
    ],
    "a range is written `LOW..HIGH`, e.g. `integer 0..9`": [
        _H + 'fact x: integer 0', _H + 'fact x: integer 0..', _H + 'fact x: integer 0-9',
    ],
    "an unclosed parenthesis: add `)`": [
        _H + 'decide d "D" when (x -> a', _H + 'decide d "D" when ((x) and y -> a',
    ],
    "a set is written `{a, b}` with commas between the values": [
        _H + 'decide d "D" when x in {a b} -> a', _H + 'decide d "D" when x in {} -> a',
        _H + 'decide d "D" when x in a -> a',
    ],
}


UNCLOSED_STRING = 'a string is not closed: end it with `"` on the same line'


def _anywhere(table: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each example also as a later item of its file: Lark matches a state with its stack depth, and
    the stack is one deeper once an item has been read (without this only a file's first item matched)."""
    later = _H + "fact before_the_mistake: boolean\n"
    return {label: examples + [later + ex[len(_H):] for ex in examples if ex.startswith(_H)]
            for label, examples in table.items()}


_EXAMPLES = _anywhere(MISTAKES)


def friendly_message(error: UnexpectedInput, parse) -> str:
    """The table's label for this error if one matches, else a plain description."""
    if isinstance(error, UnexpectedCharacters) and error.char == '"':
        return UNCLOSED_STRING
    if isinstance(error, UnexpectedCharacters) and error.char.isdigit() and not error.char.isascii():
        return f"unexpected character {error.char!r}: numbers are written with the ASCII digits 0-9"
    if isinstance(error, GluedKeyword):
        keyword, rest = str(error.keyword), str(error.following)
        return (f"unexpected `{keyword}{rest}`: a keyword must be followed by a space; did you mean `{keyword}` "
                f"(`{keyword} {rest}`)?")
    return _misspelt_keyword(error) or _matching_label(error, parse) or describe(error)


def _matching_label(error: UnexpectedInput, parse) -> str | None:
    """The label of an example that fails like `error` (same parser state, same tokens expected):
    one failing on the same token, else on a token of the same type, else the first.

    Lark's own `match_examples` does this, but lark 1.3.1 raises TypeError formatting a debug
    message whenever two states match with different expectations, which the later-item examples
    make common."""
    if error.state is None:
        return None
    typed = first = None
    for label, examples in _EXAMPLES.items():
        for example in examples:
            try:
                parse(example)
            except UnexpectedInput as other:
                if other.state != error.state or getattr(other, "accepts", None) != getattr(error, "accepts", None):
                    continue
                token, found = getattr(other, "token", None), getattr(error, "token", None)
                if token is not None and token == found:
                    return label
                if typed is None and token is not None and found is not None and token.type == found.type:
                    typed = label
                first = first or label
    return typed or first


def _misspelt_keyword(error: UnexpectedInput) -> str | None:
    """"did you mean `step`?" for a word close to a keyword the parser would accept there."""
    if not isinstance(error, UnexpectedToken) or error.token.type != "NAME":
        return None
    keywords = {_literal(n).strip("`") for n in (error.accepts or error.expected or ())}
    hint = did_you_mean(str(error.token), {k for k in keywords if k.isidentifier()})
    return f"unexpected `{_abridged(str(error.token))}`; {hint}" if hint else None


def describe(error: UnexpectedInput) -> str:
    """Lark's error put into words: what was found and what could come there."""
    if isinstance(error, UnexpectedCharacters):
        return f"unexpected character {error.char!r}"
    found = "end of file" if isinstance(error, UnexpectedEOF) or error.token.type == "$END" \
        else f"`{_abridged(str(error.token))}`"
    expected = _expected(error)
    return f"unexpected {found}" + (f"; expected {expected}" if expected else "")


_READABLE = {
    "NAME": "a name", "STRING": 'a "string"', "NUMBER": "a number", "DATE": "a date YYYY-MM-DD",
    "COMP_OP": "a comparison", "ADD_OP": "`+` or `-`", "MUL_OP": "`*` or `/`", "MINUS": "`-`",
    "FIRST_MATCH": "`first match`", "URGENCY": "`emergency`, `urgent` or `routine`", "OPTIONAL": "`optional`",
    "COUNT_OPEN": "`count(`", "DURATION_UNIT": "`days` or `weeks`",
    "$END": "the end of the file",
}


# Keywords of the newer expressions (`number of`, `count(`, `if`), listed after the rest, so that a short
# list still names what most mistakes are missing (a name, a number).
_LATER = frozenset({"`number`", "`count(`", "`if`", "`days` or `weeks`"})


def _abridged(text: str, limit: int = 40) -> str:
    """A token's text, cut short when it is long (a 10 MB name must not fill the terminal)."""
    return text if len(text) <= limit else text[:limit] + "..."


def _expected(error: UnexpectedInput) -> str:
    """The terminals the parser would have accepted, in words, sorted."""
    names = getattr(error, "accepts", None) or getattr(error, "expected", None) or ()
    words = sorted({_READABLE.get(n, _literal(n)) for n in names}, key=lambda word: (word in _LATER, word))
    if len(words) > 6:
        words = words[:6] + ["..."]
    return ", ".join(words)


def _literal(terminal: str) -> str:
    """An anonymous terminal's text: Lark names `"when"` WHEN and `->` like __ANON or RARROW."""
    for term in parser().terminals:
        if term.name == terminal and term.pattern.type == "str":
            return f"`{term.pattern.value}`"
    return terminal.lower()
