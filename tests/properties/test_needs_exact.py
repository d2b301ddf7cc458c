"""Property: `needs` is exactly the definition (docs/dsl.md, "What a stop needs"), checked by brute force.

Over small finite domains, every extension of a stopped case (each missing fact left missing or given
any value of its domain, requires kept) is run at the node where the run stopped; a missing fact is
needed exactly when giving it a value changes what the run does there (the branch it takes, the codes
it emits, or whether it still waits) for some extension of the others. `is missing` and `is present`
keep reading the case as given. The executor's `needs` must be that set, no more and no less.
"""
from __future__ import annotations

from itertools import product

from hypothesis import assume, given, settings, strategies as st

import carepath
from carepath.engine import NEEDS_INPUT, Program
from carepath.errors import CaseError, PathwayDefect, PathwayError
from carepath.expr.relevance import ORIGINAL
from properties.pathway_strategies import SMALL_ATOMS, SMALL_HEADER, pathway_texts
from properties.test_arithmetic_agreement import CI
from properties.test_score_agreement import pathways as score_pathways

DOMAINS = {"b1": (True, False), "b2": (True, False), "b3": (True, False), "b": (True, False), "n": (0, 1, 2, 3),
           "e": ("lo", "mid", "hi"), "o": (0, 1, 2, 3), "m": (-2, -1, 0, 1, 2)}
MISSING, INVALID = object(), object()


def guards(atoms: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Guards of up to four atoms joined by and, or, not (facts repeat, so parts can mask each other)."""
    return st.recursive(atoms, lambda inner: st.one_of(
        st.builds("({} and {})".format, inner, inner), st.builds("({} or {})".format, inner, inner),
        st.builds("not ({})".format, inner)), max_leaves=4)


def outcome(program: Program, observing: Program, node: str, case: dict, extension: dict):
    """What a run does at `node` for the case extended (presence read from the case as given)."""
    try:
        env = program.rules.validate({**case, **extension})
        program.rules.check_requires(dict(env), None)
    except CaseError:
        return INVALID
    original = program.rules.validate(case)
    original[ORIGINAL] = env[ORIGINAL] = original
    trail, emitted = [], []
    try:
        went = observing.steps[node](env, trail, emitted)
    except PathwayDefect:
        return "defect"
    waits = isinstance(went, tuple)
    return waits, None if waits else trail[-1][1], tuple(e.code for e in emitted)


def oracle(pathway, case: dict, node: str) -> set[str]:
    """The facts the definition says the stop at `node` needs, by trying every extension."""
    program, observing = carepath.program(pathway), Program(pathway, observing=True)
    missing = sorted(set(pathway.facts) - set(case))
    outcomes = {}
    for combo in product(*[(MISSING, *DOMAINS[name]) for name in missing]):
        extension = {name: value for name, value in zip(missing, combo) if value is not MISSING}
        outcomes[combo] = outcome(program, observing, node, case, extension)
    needed = set()
    for index, name in enumerate(missing):
        for combo, before in outcomes.items():
            if combo[index] is not MISSING or before is INVALID:
                continue
            afters = (outcomes[combo[:index] + (v,) + combo[index + 1:]] for v in DOMAINS[name])
            if any(after is not INVALID and after != before for after in afters):
                needed.add(name)
                break
    return needed


def assert_exact(text: str, data) -> None:
    """Load the pathway, draw a case that stops, and compare `needs` with the oracle."""
    try:
        pathway = carepath.loads(text, "generated.dsl")
    except PathwayError:  # a generated comparison outside a score's range: refused when loading, rightly
        assume(False)
    case = data.draw(st.fixed_dictionaries({}, optional={name: st.sampled_from(DOMAINS[name])
                                                         for name in pathway.facts}))
    try:
        result = carepath.run(pathway, case)
    except (CaseError, PathwayDefect):
        assume(False)
    assume(result.status == NEEDS_INPUT)
    assert set(result.needs) == oracle(pathway, case, result.path[-1].node), (text, case)


MASKED = SMALL_HEADER + '''start x0
decide x0 "X0"
  when (b1 or (b1 and b2)) -> stop_a
  otherwise -> stop_b
step stop_a "A" stop
step stop_b "B" stop
'''


def test_a_fact_masked_by_another_is_not_needed() -> None:
    """`b1 or (b1 and b2)`: b2 never decides anything b1 leaves open, so only b1 is asked for."""
    pathway = carepath.loads(MASKED, "masked.dsl")
    case = {"b3": True, "n": 0, "e": "lo"}
    assert carepath.run(pathway, case).needs == ("b1",) and oracle(pathway, case, "x0") == {"b1"}


@settings(CI, max_examples=150)
@given(pathway_texts(SMALL_HEADER, guards(SMALL_ATOMS)), st.data())
def test_needs_is_exact_on_generated_pathways(text: str, data) -> None:
    """Booleans, integers, enumerations, an optional fact tested for presence, a derived value, requires."""
    assert_exact(text, data)


@settings(CI, max_examples=80)
@given(score_pathways(), st.data())
def test_needs_is_exact_with_scores(text: str, data) -> None:
    """Scores with weights, counts, `if`: a criterion whose points cannot tip the comparison is not needed."""
    assert_exact(text, data)
