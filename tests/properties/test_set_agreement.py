"""Property: with a set-valued fact (membership, `any of`, `all of`, `number of`), the checker's verdicts
equal brute-force enumeration through the executor over every subset, and every witness reproduces."""
from __future__ import annotations

from itertools import combinations

from hypothesis import example, given, settings, strategies as st

import properties.test_arithmetic_agreement as arithmetic
from properties.agreement import assert_agrees
from properties.test_arithmetic_agreement import CI, FACTS

VALUES = ("p", "q", "r")
SUBSETS = [frozenset(c) for k in range(4) for c in combinations(VALUES, k)]
SET_DOMAINS = {**arithmetic.DOMAINS, "s": [None] + SUBSETS}
HEAD = 'pathway generated "Generated"\nsource g "g.txt"\n' + FACTS + "fact s: optional set of p | q | r\n"
ATOMS = st.sampled_from(["s has p", "s has any of {p, q}", "s has all of {p, q}", "s has all of {p, q, r}",
                         "number of s >= 2", "number of s in {p, r} == 1", "count(s has q, b) >= 2",
                         "number of s > n", "s is missing", "b", "(number of s) in {0, 3}"])
GUARDS = st.recursive(ATOMS, lambda inner: st.one_of(st.builds("({} and {})".format, inner, inner),
                                                     st.builds("({} or {})".format, inner, inner),
                                                     st.builds("not ({})".format, inner)), max_leaves=2)
ALL_OF = (HEAD + 'start x0\ndecide x0 "X0"\n  when s has all of {p, q} -> x1\n  otherwise -> o0\nstep o0 "O0" stop\n'
          'decide x1 "X1"\n  when number of s in {p, r} == 2 -> a\n  otherwise -> o1\nstep o1 "O1" stop\n'
          'step a "A" stop\n')


@st.composite
def pathways(draw) -> str:
    """The shared facts and a set fact, then decisions whose `otherwise` has its own step."""
    lines = [HEAD, "start x0\n"]
    count = draw(st.integers(2, 4))
    for i in range(count):
        later = [f"x{j}" for j in range(i + 1, count)] + ["stop_a", "stop_b"]
        mode = " first match" if draw(st.booleans()) else ""
        branches = "".join(f"  when {draw(GUARDS)} -> {draw(st.sampled_from(later))}\n"
                           for _ in range(draw(st.integers(1, 2))))
        lines.append(f'decide x{i} "X{i}"{mode}\n{branches}  otherwise -> o{i}\nstep o{i} "O{i}" stop\n')
    lines.append('step stop_a "A" stop\nstep stop_b "B" stop\n')
    return "".join(lines)


@settings(CI, max_examples=50)
@example(ALL_OF)  # `all of {p, q}` then both p and r: only {p, q, r} reaches `a`
@given(pathways())
def test_checker_agrees_with_brute_force_on_sets(text: str) -> None:
    """No false alarms and no misses, and every witness reproduces, for every generated pathway."""
    assert_agrees(text, SET_DOMAINS, replay_needs_input=True)
