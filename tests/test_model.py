"""Stage 2 tests: every name resolved and every expression typed, all errors located."""
from __future__ import annotations

import pytest

import carepath
from carepath.errors import PathwayError

BASE = '''pathway p "P"
source s "s.txt"
fact age: integer 16..120
fact pain: none | mild | severe
fact fever: boolean
fact score: optional integer 0..9
start d
'''


def errors(body: str) -> list[tuple[int, int, str, str | None]]:
    """(line, column, message, hint) of every error the body raises after BASE."""
    with pytest.raises(PathwayError) as info:
        carepath.loads(BASE + body, "t.dsl")
    return [(d.span.line, d.span.column, d.message, d.hint) for d in info.value.diagnostics]


OK_TAIL = 'step s1 "S" recommend r "R" cite s stop\n'


@pytest.mark.parametrize("body, expected", [
    ('decide d "D" when agee > 20 -> s1 otherwise -> s1\n' + OK_TAIL,
     (8, 19, "unknown fact `agee`", "did you mean `age`?")),
    ('decide d "D" when pain is sever -> s1 otherwise -> s1\n' + OK_TAIL,
     (8, 27, "`sever` is not a value of `pain` (none | mild | severe)", "did you mean `severe`?")),
    ('decide d "D" when mild -> s1 otherwise -> s1\n' + OK_TAIL,
     (8, 19, "unknown fact `mild`", "`mild` is a value of `pain`: write `pain is mild`")),
    ('decide d "D" when age > fever -> s1 otherwise -> s1\n' + OK_TAIL,
     (8, 25, "arithmetic and ordering need numbers, but `fever` is true or false", None)),
    ('decide d "D" when age > 150 -> s1 otherwise -> s1\n' + OK_TAIL,
     (8, 25, "`age > 150` compares with 150, outside the declared range 16..120", None)),
    ('decide d "D" when pain == 1 -> s1 otherwise -> s1\n' + OK_TAIL,
     (8, 19, "compare an enumeration with `is` or `in {...}`, not `==`", None)),
    ('decide d "D" when age -> s1 otherwise -> s1\n' + OK_TAIL,
     (8, 19, "a condition must be true or false, but `age` is an integer", None)),
    ('decide d "D" when fever -> s2 otherwise -> s1\n' + OK_TAIL,
     (8, 28, "no step or decision is named `s2`", None)),
    ('decide d "D" when fever -> s1 otherwise -> s1\nstep s1 "S" recommend r "R" cite t stop\n',
     (9, 34, "`t` is not a declared source", None)),
    ('fact age: boolean\ndecide d "D" when fever -> s1 otherwise -> s1\n' + OK_TAIL,
     (8, 6, "`age` is declared twice", None)),
    ('fact stop: boolean\ndecide d "D" when fever -> s1 otherwise -> s1\n' + OK_TAIL,
     (8, 6, "`stop` is a keyword and cannot name a fact", None)),
    ('derive a: boolean = b\nderive b: boolean = a\ndecide d "D" when a -> s1 otherwise -> s1\n' + OK_TAIL,
     (8, 8, "derived values depend on each other in a cycle: a -> b -> a", None)),
    ('decide d "D" when fever -> s1 otherwise -> s1\nstep s1 "S" recommend r "R" cite s -> d\n',
     (8, 8, "the pathway loops: d -> s1 -> d; express progress over time with facts", None)),
    ('decide d "D" when fever -> s1 otherwise -> s1\n' + OK_TAIL + 'never x when fever\n',
     (10, 7, "no step recommends `x`", None)),
    ('derive risk: low | high = fever\ndecide d "D" when fever -> s1 otherwise -> s1\n' + OK_TAIL,
     (8, 27, "the value of `risk` must be one of low | high, but `fever` is true or false", None)),
    ('fact w: integer 9..1\ndecide d "D" when fever -> s1 otherwise -> s1\n' + OK_TAIL,
     (8, 1, "the range of `w` runs backwards: 9..1", None)),
])
def test_resolution_error(body: str, expected) -> None:
    """Each mistake is reported once, with its message, hint, line and column."""
    assert errors(body) == [expected]


def test_all_errors_are_collected_in_source_order() -> None:
    """Several mistakes are all reported, not just the first."""
    found = errors('decide d "D" when agee > 1 -> s2 otherwise -> s1\nstep s1 "S" recommend r "R" cite t stop\n')
    assert [(line, column) for line, column, _, _ in found] == [(8, 19), (8, 31), (9, 34)]


def test_missing_start() -> None:
    """A pathway without `start` is an error at its header."""
    with pytest.raises(PathwayError) as info:
        carepath.loads('pathway p "P"\nstep s "S" stop\n', "t.dsl")
    assert [d.message for d in info.value.diagnostics] == ["the pathway has no `start NODE`"]


def test_invalid_release_date() -> None:
    """A release date must exist in the calendar."""
    with pytest.raises(PathwayError) as info:
        carepath.loads('pathway p "P" released 2026-02-30\nstart s\nstep s "S" stop\n', "t.dsl")
    assert [d.message for d in info.value.diagnostics] == ["`2026-02-30` is not a calendar date (YYYY-MM-DD)"]


@pytest.mark.parametrize("header", ['pathway p "P" version "one two"',
                                    'pathway p "P" version "one two" released 2026-01-05'])
def test_invalid_version_with_or_without_release_date(header: str) -> None:
    """A malformed version is reported whether or not the header also gives a release date."""
    with pytest.raises(PathwayError) as info:
        carepath.loads(header + '\nstart s\nstep s "S" stop\n', "t.dsl")
    assert [d.message for d in info.value.diagnostics] == ["version `one two` should be like 1.2.0"]


def test_optional_fact_presence_guard_is_well_typed() -> None:
    """`is present` / `is missing` apply to facts; both sides of `and` are conditions."""
    pathway = carepath.loads(BASE + 'decide d "D" when score is present and score >= 4 -> s1 otherwise -> s1\n'
                             + OK_TAIL, "t.dsl")
    assert list(pathway.nodes) == ["d", "s1"]
