"""Scores, `count(...)` and `if ... then ... else`: parsed, typed, run on intervals, checked, printed."""
from __future__ import annotations

from fractions import Fraction

import pytest

import carepath
from carepath.errors import PathwayError
from carepath.syntax import ast, parse_text
from carepath.syntax.printer import print_document

CRB = '''pathway crb "CRB-65"
source bts "BTS CAP guideline"
fact confusion: optional boolean
fact rate: optional integer 0..80 unit "breaths/min"
fact age: integer 0..120
fact alternative: optional boolean
score crb65 "CRB-65" cite bts
  points 1 when confusion
  points 1 when rate >= 30
  points 1 when age >= 65
  points 0.5 when alternative
  points -2 when alternative and age < 18
derive severity: low | high = if crb65 >= 2 then high else low
derive signs: integer = count(confusion, rate >= 30, age >= 65)
start d
decide d "Severity"
  when crb65 >= 2 -> admit
  when crb65 < 2 -> home
step admit "Admit" recommend admit "Admit to hospital" cite bts stop
step home "Home" recommend home "Treat at home" cite bts stop
'''


@pytest.fixture(scope="module")
def crb():
    return carepath.loads(CRB, "crb.dsl")


def test_a_score_is_a_derived_value_with_its_range_inferred(crb):
    """One line per criterion; the range runs from the sum of the negative points to that of the positive ones."""
    value = crb.derived["crb65"]
    assert value.title == "CRB-65" and [c.source for c in value.citations] == ["bts"]
    assert [c.points for c in value.score.criteria] == [1, 1, 1, Fraction(1, 2), -2]
    assert value.type == ast.NumberType(-2, Fraction(7, 2))
    assert crb.derived["signs"].score is None


def test_an_integer_score_has_an_integer_type():
    doc = parse_text('pathway p "P"\nfact x: boolean\nscore s\n  points 2 when x\n  points -1 when not x\n')
    assert doc.derived[0].type == ast.IntegerType(-1, 2)


@pytest.mark.parametrize("case, status, codes, needs", [
    ({"confusion": True, "rate": 31, "age": 70, "alternative": False}, "complete", ["admit"], []),
    # Two known points: `>= 2` holds whatever `alternative` is (it can add 0.5 or take away nothing here).
    ({"confusion": True, "rate": 31, "age": 40}, "complete", ["admit"], []),
    # One known point, two criteria pending: either answer is still possible, but only `rate` can tip it
    # (1 or 1.5 without it, 2 or 2.5 with it): `alternative`'s half point never crosses 2.
    ({"confusion": True, "age": 40}, "needs_input", [], ["rate"]),
    # A child: the -2 criterion can pull 2 points below the threshold, so `alternative` matters.
    ({"confusion": True, "rate": 31, "age": 10}, "needs_input", [], ["alternative"]),
    # An adult: at most half a point more, never 2.
    ({"confusion": False, "rate": 12, "age": 30}, "complete", ["home"], []),
    ({"confusion": False, "rate": 12, "age": 30, "alternative": True}, "complete", ["home"], []),
])
def test_a_comparison_is_decided_as_soon_as_the_interval_decides_it(crb, case, status, codes, needs):
    """Runs never wait for criteria that cannot change the answer, and ask only for those that can."""
    result = carepath.run(crb, case)
    assert (result.status, [r.code for r in result.recommendations], list(result.needs)) == (status, codes, needs)


def test_if_and_count_give_their_values(crb):
    from carepath.expr import Scope

    scope = Scope(crb.facts, crb.derived)
    env = {"confusion": True, "rate": 31, "age": 70, "alternative": False}
    assert scope.compile(ast.Ref("severity"))(dict(env)) == "high"
    assert scope.compile(ast.Ref("signs"))(dict(env)) == 3
    assert scope.compile(ast.Ref("crb65"))(dict(env, alternative=True, age=10)) == Fraction(1, 2)


def test_needs_leaves_out_facts_of_a_part_already_decided():
    """No surgery date when there was no surgery: `surgery and weeks < 12` is decided false."""
    text = ('pathway p "P"\nsource s "S"\nfact surgery: boolean\nfact weeks: optional integer 0..100\n'
            'fact calf: optional number 0..10\nstart d\ndecide d "D"\n'
            '  when calf > 3 or (surgery and weeks < 12) -> a\n  otherwise -> a\n'
            'step a "A" recommend r "R" cite s stop\n')
    pathway = carepath.loads(text, "p.dsl")
    assert carepath.run(pathway, {"surgery": False}).needs == ("calf",)
    assert carepath.run(pathway, {"surgery": True}).needs == ("calf", "weeks")


def test_the_checker_finds_the_score_pathway_clean(crb):
    assert [f.kind for f in carepath.check(crb) if f.severity == "error"] == []


def test_the_checker_proves_a_threshold_the_interval_cannot_reach():
    """`s >= 5` of a score whose points total 3 can never hold: the branch is contradictory."""
    text = ('pathway p "P"\nfact x: optional boolean\nfact y: boolean\nscore s\n  points 1 when x\n  points 2 when y\n'
            'start d\ndecide d "D"\n  when s >= 3 -> a\n  when s < 3 -> a\nstep a "A" stop\n')
    pathway = carepath.loads(text, "p.dsl")
    kinds = {f.kind for f in carepath.check(pathway)}
    assert "needs_input" in kinds  # x missing and y true leave s in 2..3
    assert carepath.run(pathway, {"y": False}).status == "complete"  # at most 1 point: `< 3` holds


def test_scores_print_back_to_the_same_document():
    doc = parse_text(CRB, "crb.dsl")
    text = print_document(doc)
    assert "score crb65 \"CRB-65\"  cite bts\n  points 1 when confusion\n" in text
    assert "if crb65 >= 2 then high else low" in text and "count(confusion, rate >= 30, age >= 65)" in text
    assert parse_text(text, "again.dsl") == doc


def test_a_fact_may_still_be_called_count_or_score():
    text = 'pathway p "P"\nfact count: integer\nfact score: integer\nrequire count + score > 1\n'
    assert parse_text(text).requires[0].condition.op == ">"


@pytest.mark.parametrize("text, message", [
    ('derive v: integer = if 1 then 2 else 3', "the condition of `if` must be true or false"),
    ('derive v: a | b = if true then a else c', "unknown fact `c`"),
])
def test_bad_if_is_a_located_error(text, message):
    with pytest.raises(PathwayError) as raised:
        carepath.loads('pathway p "P"\n' + text + '\n', "p.dsl")
    assert message in raised.value.format()


def test_charts_draw_a_table_per_score_with_every_criterion(crb):
    """The chart shows the rules: the score's title, range, and each criterion with its points."""
    from carepath.diagram import draw

    dot, mermaid = draw(crb, "dot"), draw(crb, "mermaid")
    assert '"(score) crb65"' in dot and "score_crb65" in mermaid
    for points, criterion in (("+1", "confusion"), ("+1", "rate &#62;= 30 breaths/min"), ("+0.5", "alternative"),
                              ("-2", "alternative and age &#60; 18")):
        assert f'<TD ALIGN="RIGHT">{points}</TD><TD ALIGN="LEFT">{criterion}</TD>' in dot
    assert "crb65: number -2..3.5" in dot


def test_cover_proves_a_criterion_that_can_never_hold(tmp_path):
    from click.testing import CliRunner

    from carepath.cli import main

    text = ('pathway p "P"\nsource s "S"\nfact x: boolean\nfact y: boolean\nscore s2\n  points 1 when x and not x\n'
            '  points 2 when y\nstart d\ndecide d "D"\n  when s2 >= 2 -> a\n  otherwise -> a\n'
            'step a "A" recommend r "R" cite s stop\n')
    (tmp_path / "p.dsl").write_text(text)
    result = CliRunner().invoke(main, ["cases", str(tmp_path / "p.dsl"), "--cover", "-o", str(tmp_path / "out")])
    assert "unreachable (proven)" in result.output
    assert "s2: points 1 when x and not x: holds" in result.output.split("unreachable (proven)")[1]
