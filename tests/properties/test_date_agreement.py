"""Property: with date facts, days between dates, dates moved by durations, lengths in calendar
months and date comparisons, the checker's verdicts equal brute-force enumeration through the
executor, and every witness reproduces; and on any two dates of two centuries, the checker and the
executor give every comparison of their distance with a number of months the same value.

The generated pathways keep the two dates within two days of each other (a `require`), so that
enumerating five days covers every difference the checker can choose.
"""
from __future__ import annotations

from datetime import date

import z3
from hypothesis import example, given, settings, strategies as st

import carepath
from carepath.expr import COMPARISONS, Scope
from carepath.expr.dates import shift_months
from carepath.solver import Encoding

import properties.test_arithmetic_agreement as arithmetic
from properties.agreement import assert_agrees
from properties.test_arithmetic_agreement import CI, FACTS

DAY = date(2026, 11, 30)
DATE_DOMAINS = {**arithmetic.DOMAINS, "t": [DAY], "d": [None] + [date.fromordinal(DAY.toordinal() + k)
                                                                   for k in range(-2, 3)]}
ATOMS = st.sampled_from(["t - d <= 1 days", "t - d > 0", "d < t", "d >= t", "d + 1 days == t", "t - 1 weeks < d",
                         "d - 2 days >= t - 3 days", "(t - d) * 2 > n", "(if b then t - d else m) > 0", "(if o > 1 then d + n else t) >= t", "(if o > 1 then d else t - 1 month) < t",
                         "count(d < t, b) >= 2", "d is missing", "b", "n >= 2",
                         "t - d >= 0 months", "1 month > t - d", "d - t == 0 months"])
GUARDS = st.recursive(ATOMS, lambda inner: st.one_of(st.builds("({} and {})".format, inner, inner),
                                                     st.builds("({} or {})".format, inner, inner)), max_leaves=2)


@st.composite
def pathways(draw) -> str:
    """The shared facts and two dates within two days of each other, a derived date, then a small graph."""
    lines = ['pathway generated "Generated"\nsource g "g.txt"\n', FACTS, "fact t: date\nfact d: optional date\n",
             "require d is missing or (t - d >= -2 and t - d <= 2)\n", "derive shifted: date = t - 1 days\n"]
    lines.append("start x0\n")
    count = draw(st.integers(2, 4))
    for i in range(count):
        later = [f"x{j}" for j in range(i + 1, count)] + ["stop_a", "stop_b"]
        guard = draw(st.one_of(GUARDS, st.just("shifted >= d")))
        if draw(st.booleans()):
            mode = " first match" if draw(st.booleans()) else ""
            lines.append(f'decide x{i} "X{i}"{mode}\n  when {guard} -> {draw(st.sampled_from(later))}\n'
                         f'  otherwise -> o{i}\nstep o{i} "O{i}" stop\n')  # reachable unless the guard always holds
        else:
            lines.append(f'step x{i} "X{i}"\n  recommend r{i} "R" cite g\n    when {guard}\n'
                         f'  -> {draw(st.sampled_from(later))}\n')
    lines.append('step stop_a "A" stop\nstep stop_b "B" stop\n')
    return "".join(lines)




WEEKS = ('pathway generated "Generated"\nsource g "g.txt"\n' + FACTS + "fact t: date\nfact d: optional date\n"
         "require d is missing or (t - d >= -2 and t - d <= 2)\nstart x0\ndecide x0 \"X0\"\n"
         "  when t - 1 weeks < d -> x1\n  otherwise -> o0\nstep o0 \"O0\" stop\n"
         "decide x1 \"X1\"\n  when d + 1 days == t -> a\n  otherwise -> o1\nstep o1 \"O1\" stop\nstep a \"A\" stop\n")


@settings(CI, max_examples=60)
@example(WEEKS)  # a week is 7 days: `o0` is unreachable; `d + 1 days == t` can hold and fail
@given(pathways())
def test_checker_agrees_with_brute_force_on_dates(text: str) -> None:
    """No false alarms and no misses, and every witness reproduces, for every generated pathway."""
    # A stop for input leaves the dates free: its witness may pick a day where `t - 1 weeks` leaves the
    # calendar, a defect the stop itself does not claim; only the other witnesses are replayed.
    assert_agrees(text, DATE_DOMAINS, replay_needs_input=False)


CENTURIES = st.dates(date(1900, 1, 1), date(2100, 12, 31))


@settings(CI, max_examples=150)
@example(date(2026, 2, 28), date(2026, 1, 31), 1, "==", False)  # 31 January + 1 month is 28 February
@example(date(2024, 2, 29), date(2023, 2, 28), 12, ">", False)  # a year from 28 February 2023: leap day is after
@example(date(2026, 3, 1), date(2026, 1, 31), 1, ">", True)
@given(CENTURIES, CENTURIES, st.integers(0, 30), st.sampled_from(["<", "<=", "==", ">=", ">", "!="]), st.booleans())
def test_checker_measures_months_between_dates_as_the_executor_does(a, b, months, op, mirrored):
    """`a - b OP N months` (or `N months OP a - b`): the executor computes `a OP b + N months` (b moved by
    the calendar), and the solver, given the two dates, is forced to that value and no other."""
    length = f"{months} month{'s' if months != 1 else ''}"
    guard = f"{length} {op} a - b" if mirrored else f"a - b {op} {length}"
    text = f'pathway p "P"\nfact a: date\nfact b: date\nderive apart: boolean = {guard}\nstart x\nstep x "X" stop\n'
    pathway = carepath.loads(text, "m.dsl")
    value = Scope(pathway.facts, pathway.derived).compile(pathway.derived["apart"].cases[0].outcome)({"a": a, "b": b})
    moved = shift_months(b, months)  # the definition: b moved N months by the calendar, compared with a
    assert value is (COMPARISONS[op](moved, a) if mirrored else COMPARISONS[op](a, moved)), text
    encoding = Encoding(pathway)
    fixed = z3.And(encoding.value["a"] == a.toordinal(), encoding.value["b"] == b.toordinal(),
                   encoding.present["a"], encoding.present["b"])
    assert not encoding.check(encoding.literal(z3.And(fixed, encoding.derived["apart"].value != value))), text
    assert encoding.check(encoding.literal(fixed)), text
