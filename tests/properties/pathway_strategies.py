"""Strategies shared by the property tests: grammar strings, mutated pathways, expressions, cases."""
from __future__ import annotations

import math
import re
import signal
from contextlib import contextmanager
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

from carepath.model.resolve import KEYWORDS
from carepath.syntax import ast
from carepath.syntax.grammar import grammar_path
from carepath.syntax.printer import number
from carepath.expr.numbers import MAX_NUMBER_LENGTH, normal

ROOT = Path(__file__).resolve().parents[2]
HANG_SECONDS = 20


class Hung(BaseException):
    """Raised by `no_hang`; a BaseException so that no `except Exception` in carepath can swallow it."""


@contextmanager
def no_hang(seconds: float = HANG_SECONDS):
    """Fail the example instead of hanging when its body runs longer than `seconds`."""
    def expire(signum, frame):
        raise Hung(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def pathway_files() -> list[Path]:
    """pathway.dsl and every .dsl file under tests/ and examples/, in sorted order."""
    found = [ROOT / "pathway.dsl"]
    for folder in ("tests", "examples"):
        found += sorted((ROOT / folder).rglob("*.dsl"))
    return [path for path in found if path.is_file()]


@lru_cache(maxsize=1)
def raw_grammar() -> Lark:
    """The grammar as an uncached Lark object (from_lark needs its rule table, which a cached one lacks)."""
    return Lark.open(str(grammar_path()), parser="lalr")


@lru_cache(maxsize=1)
def reserved_words() -> frozenset[str]:
    """Every keyword of the grammar and the resolver: not usable as a name."""
    words = {t.pattern.value for t in raw_grammar().terminals if t.pattern.type == "str"}
    return frozenset(w for w in words if w.isidentifier()) | KEYWORDS


# --- names, strings, numbers -------------------------------------------------------------------

COMMON_NAMES = ("a", "b", "x", "y", "s", "low", "high", "age", "fever", "step_1")
names = st.one_of(st.sampled_from(COMMON_NAMES),
                  st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)).filter(
    lambda name: name not in reserved_words())
string_texts = st.lists(st.one_of(
    st.characters(blacklist_characters='"\\\n', blacklist_categories=("Cs",)),
    st.sampled_from(['"', "\\", "\\n", "\\t"]))).map("".join)
# Exact decimals, as a pathway or a case writes them (a number is never a binary float).
floats = st.builds(lambda digits, places: normal(Fraction(digits, 10 ** places)), st.integers(0, 10 ** 12),
                   st.integers(0, 8)).filter(lambda value: len(number(value)) <= MAX_NUMBER_LENGTH)


# --- strings from the grammar --------------------------------------------------------------------

SEPARATORS = st.sampled_from([" ", "\n", "  ", "\t", "\r\n", "\n  "])
# Terminals defined by a regular expression; literal keywords and punctuation come from the grammar.
REGEX_TERMINALS = {
    "NAME": st.one_of(names, st.sampled_from(sorted(reserved_words()))),
    "STRING": string_texts.map(lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    "NUMBER": st.one_of(st.integers(0, 10**6).map(str), st.builds("{}.{}".format, st.integers(0, 999),
                                                                  st.integers(0, 999)), st.just("9" * 50)),
    "DATE": st.one_of(st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"), st.just("2021-02-30")),
    "COMMENT": st.text(st.characters(blacklist_characters="\n", blacklist_categories=("Cs",))).map(
        lambda text: f"#{text}\n"),
    "WS": SEPARATORS,
    "FIRST_MATCH": st.sampled_from(["first match", "first  match", "first\tmatch"]),
    "URGENCY": st.sampled_from(["emergency", "urgent"]),
    "COMP_OP": st.sampled_from(["==", "!=", "<", "<=", ">", ">="]),
    "ADD_OP": st.sampled_from(["+", "-"]),
    "MUL_OP": st.sampled_from(["*", "/"]),
    "COUNT_OPEN": st.sampled_from(["count(", "count (", "count\t("]),
    "DURATION_UNIT": st.sampled_from(["day", "days", "week", "weeks", "month", "months"]),
}
IGNORED = {"WS", "COMMENT"}


def _terminal_strategies() -> dict[str, st.SearchStrategy[str]]:
    """A strategy for every terminal, each token followed by whitespace so that keywords stay apart."""
    explicit = {}
    for term in raw_grammar().terminals:
        if term.pattern.type == "str":
            explicit[term.name] = st.just(term.pattern.value)
        elif term.name in REGEX_TERMINALS:
            explicit[term.name] = REGEX_TERMINALS[term.name]
        else:
            raise KeyError(f"the grammar has a new terminal {term.name}: add a strategy to REGEX_TERMINALS")
    return {name: s if name in IGNORED else st.tuples(s, SEPARATORS).map("".join) for name, s in explicit.items()}


def grammar_strings() -> st.SearchStrategy[str]:
    """Pathway texts generated from grammar/pathway.lark itself."""
    return from_lark(raw_grammar(), explicit=_terminal_strategies())


# --- mutations of real pathways -----------------------------------------------------------------

TOKEN = re.compile(r'\s+|"(?:[^"\\\n]|\\.)*"|#[^\n]*|[A-Za-z_]\w*|\d+(?:\.\d+)?|->|\.\.|[=!<>]=|\S')
INSERTED_TOKENS = ("when", "->", "stop", "(", ")", "not", "and", '"', "#", "{", "}", "..", "-", "is",
                   "step", "decide", "fact", "\n", "\t", "\r", "\u2028", "\ufeff", "é")


def _units(text: str, by_token: bool) -> list[bytes]:
    """The text cut into the pieces a mutation moves: single bytes, or rough tokens."""
    if by_token:
        return [token.encode("utf-8") for token in TOKEN.findall(text)]
    return [bytes([b]) for b in text.encode("utf-8")]


@st.composite
def mutated_pathways(draw) -> bytes:
    """A real pathway with bytes or tokens deleted, duplicated, swapped or inserted."""
    text = draw(st.sampled_from([path.read_text(encoding="utf-8") for path in pathway_files()]))
    by_token = draw(st.booleans())
    units = _units(text, by_token)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(units) - 1))
        width = draw(st.integers(1, 8))
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "insert"]))
        if operation == "delete":
            del units[at:at + width]
        elif operation == "duplicate":
            units[at:at] = units[at:at + width]
        elif operation == "swap":
            other = draw(st.integers(0, len(units) - 1))
            units[at], units[other] = units[other], units[at]
        else:
            inserted = st.sampled_from(INSERTED_TOKENS).map(str.encode) if by_token else st.binary(min_size=1, max_size=4)
            units.insert(at, draw(inserted))
        units = units or [b""]
    return b"".join(units)


# --- expressions ----------------------------------------------------------------------------

literals = st.one_of(st.booleans(), st.integers(0, 10**15), floats).map(ast.Literal)
durations = st.builds(ast.Duration, st.one_of(st.integers(0, 10**6), floats), st.sampled_from(["day", "days", "week", "weeks", "month", "months"]))
symbols = names.map(ast.Symbol)
COMPARISONS = ["==", "!=", "<", "<=", ">", ">="]


def _chains(inner: st.SearchStrategy) -> st.SearchStrategy:
    """Arithmetic chains of one level (`a + b - c`, `a * b / c`), 2 to 6 operands, as the parser builds them."""
    def chain(level: str, operands: list) -> st.SearchStrategy:
        count = len(operands) - 1
        return st.lists(st.sampled_from(level), min_size=count, max_size=count).map(
            lambda operators: ast.arith(tuple(operands), tuple(operators)))

    return st.tuples(st.sampled_from(["+-", "*/"]), st.lists(inner, min_size=2, max_size=6)).flatmap(
        lambda drawn: chain(*drawn))


def chains(atoms: st.SearchStrategy[str], most: int) -> st.SearchStrategy[str]:
    """Arithmetic text without parentheses: 2 to `most` operands joined by `+ - * /` in any mix, so the
    parser makes n-ary chains of each level (products inside sums), evaluated left to right."""
    return st.builds(lambda first, rest: first + "".join(f" {op} {atom}" for op, atom in rest),
                     atoms, st.lists(st.tuples(st.sampled_from("+-*/"), atoms), min_size=1, max_size=most - 1))


def _compound(inner: st.SearchStrategy) -> st.SearchStrategy:
    """Every kind of expression node over `inner` operands."""
    operands = st.lists(inner, min_size=2, max_size=4).map(tuple)
    items = st.lists(st.one_of(symbols, literals), min_size=1, max_size=3).map(tuple)
    return st.one_of(
        inner.map(ast.Not), inner.map(ast.Neg), operands.map(ast.And), operands.map(ast.Or),
        _chains(inner),
        st.builds(ast.Compare, st.sampled_from(COMPARISONS), inner, inner),
        st.builds(ast.Presence, inner, st.booleans()),
        st.builds(ast.IsValue, inner, symbols, st.booleans()),
        st.builds(ast.InSet, inner, items, st.booleans()),
        operands.map(ast.Count), st.builds(ast.IfThenElse, inner, inner, inner))


expressions = st.recursive(st.one_of(names.map(ast.Ref), literals, durations), _compound, max_leaves=16)


# --- cases for a loaded pathway -----------------------------------------------------------------

def values_of(type_: ast.Type) -> st.SearchStrategy:
    """Values a case may give for a fact of this declared type."""
    if isinstance(type_, ast.BooleanType):
        return st.booleans()
    if isinstance(type_, ast.EnumType):
        return st.sampled_from(type_.values)
    if isinstance(type_, ast.DateType):
        return st.dates()
    if isinstance(type_, ast.SetType):
        return st.frozensets(st.sampled_from(type_.values))
    low = type_.low if type_.low is not None else -10**6
    high = type_.high if type_.high is not None else 10**6
    whole = st.integers(math.ceil(low), math.floor(high))
    if isinstance(type_, ast.IntegerType):
        return whole
    hundredths = st.integers(math.ceil(low * 100), math.floor(high * 100)).map(lambda n: normal(Fraction(n, 100)))
    return st.one_of(whole, hundredths)


def cases(pathway) -> st.SearchStrategy[dict]:
    """Cases drawn from the declared facts: each fact absent or a value of its type and range."""
    return st.fixed_dictionaries({}, optional={name: values_of(fact.type) for name, fact in pathway.facts.items()})


# --- whole pathways over fixed facts -------------------------------------------------------------

# Small domains (three booleans, an integer 0..3, an enumeration, an optional integer), small
# enough for the checker's agreement test to enumerate every case.
SMALL_HEADER = """pathway generated "Generated"
source g "g.txt"
fact b1: boolean
fact b2: boolean
fact b3: boolean
fact n: integer 0..3
fact e: lo | mid | hi
fact o: optional integer 0..3
derive level: low | high first match
  when o is missing -> low
  when o + n >= 4 -> high
  otherwise -> low
"""
SMALL_ATOMS = st.one_of(
    st.sampled_from(["b1", "b2", "b3", "not b1", "level is high", "o is present", "o is missing"]),
    st.builds("n {} {}".format, st.sampled_from(["<", "<=", "==", ">=", ">", "!="]), st.integers(0, 3)),
    st.builds("o {} {}".format, st.sampled_from(["<", ">=", "=="]), st.integers(0, 3)),
    st.builds("e is {}".format, st.sampled_from(["lo", "mid", "hi"])),
    st.builds("e in {{{}}}".format, st.sampled_from(["lo, mid", "mid, hi", "lo, hi"])),
)


@st.composite
def pathway_texts(draw, header: str, guards: st.SearchStrategy[str]) -> str:
    """Random acyclic pathways after `header` (its facts and derived values): maybe a `require`,
    then two to six decisions and steps guarded by `guards`, every target later in the file."""
    lines = [header]
    if draw(st.booleans()):
        lines.append(f"require {draw(guards)}\n")
    lines.append(draw(graph_text(guards, 6)))
    return "".join(lines)


@st.composite
def decision_text(draw, i: int, later: list[str], guards: st.SearchStrategy[str]) -> str:
    """A decision `x{i}` with one to three guarded branches, maybe `first match`, maybe `otherwise`."""
    mode = " first match" if draw(st.booleans()) else ""
    branches = [f"  when {draw(guards)} -> {draw(st.sampled_from(later))}\n" for _ in range(draw(st.integers(1, 3)))]
    otherwise = f"  otherwise -> {draw(st.sampled_from(later))}\n" if draw(st.booleans()) else ""
    return f'decide x{i} "X{i}"{mode}\n' + "".join(branches) + otherwise


@st.composite
def step_text(draw, i: int, later: list[str], guards: st.SearchStrategy[str]) -> str:
    """A step `x{i}` with up to two recommendations (guarded or not) that jumps on or stops."""
    recs = "".join(f"  recommend r{i}_{k} \"R\" cite g\n" + (f"    when {draw(guards)}\n" if draw(st.booleans()) else "")
                   for k in range(draw(st.integers(0, 2))))
    end = "stop" if draw(st.integers(0, 3)) == 0 else f"-> {draw(st.sampled_from(later))}"
    return f'step x{i} "X{i}"\n{recs}  {end}\n'


@st.composite
def graph_text(draw, guards: st.SearchStrategy[str], most: int) -> str:
    """`start x0`, then 2..most random decisions and steps whose targets always come later, then two stops."""
    count = draw(st.integers(2, most))
    lines = ["start x0\n"]
    for i in range(count):
        later = [f"x{j}" for j in range(i + 1, count)] + ["stop_a", "stop_b"]
        piece = decision_text if draw(st.booleans()) else step_text
        lines.append(draw(piece(i, later, guards)))
    lines.append('step stop_a "A" stop\nstep stop_b "B" stop\n')
    return "".join(lines)


# The newer constructs over the same kind of small facts: a score (with fractional and negative
# points), `count`, `if`, a set fact, dates and calendar months, for the SQL agreement properties.
LANGUAGE_HEADER = """pathway generated "Generated"
source g "g.txt"
fact b1: boolean
fact b2: boolean
fact n: integer 0..3
fact o: optional integer 0..3
fact x: optional number 0..10
fact t: date
fact d: optional date
fact s: optional set of p | q | r
score sc "Score" cite g
  points 1 when b1
  points 2 when o >= 2
  points -1 when n > 2
  points 0.5 when s has q
derive total: number = sc + n
derive signs: integer = count(b2, o > 1, s has all of {p, q})
derive band: low | high = if x > 5 then high else low
derive last: date = if b1 then d else t - 1 month
derive risk: low | high first match
  when sc >= 2 -> high
  when signs is missing -> low
  otherwise -> low
"""
MONTH_ATOMS = ("d >= t - 6 months", "last < t - 30 days", "d - 1 month == t - 1 month", "t - d > 2 months",
               "1 month <= t - last")
LANGUAGE_ATOMS_WITHOUT_MONTHS = st.one_of(
    st.sampled_from(["b1", "not b2", "o is missing", "d is missing", "s is missing", "band is high", "risk is high",
                     "count(b1, x > 5) >= 1", "(if o > 1 then x else n) > 2", "(if b2 then sc else 1) >= 1",
                     "(if o > 0 then x / o else 0) > 2", "-sc + 2 * n > 1", "s has p", "s has any of {p, r}",
                     "s has all of {q, r}", "number of s >= 2", "number of s in {p, q} == 1", "t - d <= 12 weeks",
                     "d + 3 days > t", "(if o > 1 then d + n else t) >= t", "(number of s) in {0, 3}"]),
    st.builds("sc {} {}".format, st.sampled_from(["<", "<=", "==", ">=", ">", "!="]),
              st.sampled_from(["-1", "0", "0.5", "1", "2", "3"])),
    st.builds("{} {} {}".format, st.sampled_from(["total", "signs", "sc + o"]), st.sampled_from(["<", ">=", "=="]),
              st.sampled_from(["0", "1", "2", "4"])))
LANGUAGE_ATOMS = st.one_of(LANGUAGE_ATOMS_WITHOUT_MONTHS, st.sampled_from(MONTH_ATOMS))
