"""Property: `run --needs-all` lists exactly the facts that could still change how the run ends, by brute force.

Over small finite domains, every extension of a case (each missing fact left missing or given any
value, requires kept) is run to its end; a missing fact belongs in the list exactly when giving it
a value changes the result (the status, or a recommendation's code or urgency) for some extension
of the others. The solver's answer must be that set, and each witness value must show it.
"""
from __future__ import annotations

from itertools import product

from hypothesis import assume, given, settings, strategies as st

import carepath
from carepath.errors import CaseError, PathwayDefect, PathwayError
from properties.pathway_strategies import SMALL_ATOMS, SMALL_HEADER, pathway_texts
from properties.test_arithmetic_agreement import CI
from properties.test_needs_exact import DOMAINS, INVALID, MISSING, guards
from properties.test_score_agreement import pathways as score_pathways


def ending(compiled, case: dict):
    """How a run of the case ends: status and the (code, urgency) pairs it emits; INVALID if not a case."""
    try:
        result = compiled.run(case, trace=False)
    except CaseError:
        return INVALID
    except PathwayDefect:
        return "defect"
    return result.status, frozenset((r.code, r.urgency) for r in result.recommendations)


def changes(compiled, case: dict, name: str, value, others: list[str]) -> bool:
    """Whether giving `name` this value changes how the run ends, for some extension of the others."""
    for combo in product(*[(MISSING, *DOMAINS[o]) for o in others]):
        extended = {**case, **{o: v for o, v in zip(others, combo) if v is not MISSING}}
        before, after = ending(compiled, extended), ending(compiled, {**extended, name: value})
        if INVALID not in (before, after) and before != after:
            return True
    return False


@settings(CI, max_examples=40)
@given(pathway_texts(SMALL_HEADER, guards(SMALL_ATOMS)), st.data())
def test_needs_all_is_exact(text: str, data) -> None:
    """Booleans, integers, enumerations, presence tests, a derived value, requires."""
    assert_exact(text, data)


@settings(CI, max_examples=25)
@given(score_pathways(), st.data())
def test_needs_all_is_exact_with_scores(text: str, data) -> None:
    """Weighted scores, counts, `if`, comparisons decided on intervals."""
    assert_exact(text, data)


def assert_exact(text: str, data) -> None:
    """No fact missing from the list, none too many, and every witness value changes the ending."""
    try:
        pathway = carepath.loads(text, "generated.dsl")
    except PathwayError:  # a generated comparison outside a score's range
        assume(False)
    compiled = carepath.program(pathway)
    case = data.draw(st.fixed_dictionaries({}, optional={n: st.sampled_from(DOMAINS[n]) for n in pathway.facts}))
    assume(ending(compiled, case) is not INVALID)
    every = carepath.needs_all(pathway, case)
    assert every.exhausted
    missing = sorted(set(pathway.facts) - set(case))
    expected = {name for name in missing
                if any(changes(compiled, case, name, v, [o for o in missing if o != name]) for v in DOMAINS[name])}
    assert set(every.facts) == expected, (text, case)
    for name, value in zip(every.facts, every.witnesses):
        assert changes(compiled, case, name, value, [o for o in missing if o != name]), (text, case, name, value)
