"""Property: on generated pairs of small pathways, `diff`'s verdict equals brute-force enumeration.

Every case over the small domains is run through both versions with the executor; the versions
differ exactly when some valid case gets a different status, codes or urgency, or is valid in one
version only. Every witness diff gives is replayed and shows the difference it states.
"""
from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings, strategies as st

import carepath
from carepath.comparison import BEHAVIOUR, NEW_ONLY, OLD_ONLY
from carepath.errors import PathwayError

from properties.pathway_strategies import graph_text
from properties.test_checker_agreement import DOMAINS, GUARDS, HEADER
from replay import outcome

CI = settings(derandomize=True, max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def pathway_pairs(draw) -> tuple[str, str]:
    """Two versions over the same facts: the same graph or another, each maybe with a require and some
    steps urgent."""
    def version(graph: str) -> str:
        require = f"require {draw(GUARDS)}\n" if draw(st.booleans()) else ""
        urgent = draw(st.sets(st.integers(0, 4), max_size=2))  # steps marked urgent in this version
        for i in sorted(urgent):
            graph = graph.replace(f'step x{i} "X{i}"\n', f'step x{i} "X{i}" urgent\n')
        return HEADER + require + graph

    graph = draw(graph_text(GUARDS, 5))
    other = graph if draw(st.booleans()) else draw(graph_text(GUARDS, 5))
    return version(graph), version(other)


def differing_cases(old, new) -> list[dict]:
    """Every case over the domains that the two versions answer differently."""
    found = []
    for values in itertools.product(*DOMAINS.values()):
        case = {k: v for k, v in zip(DOMAINS, values) if v is not None}
        if outcome(old, case) != outcome(new, case):
            found.append(case)
    return found


@CI
@given(pathway_pairs())
def test_diff_agrees_with_brute_force(pair):
    try:
        old, new = carepath.loads(pair[0], "old.dsl"), carepath.loads(pair[1], "new.dsl")
    except PathwayError:
        return
    comparison = carepath.diff(old, new, limit=50)
    assert not comparison.undecided
    assert comparison.same == (not differing_cases(old, new))
    for region in comparison.regions:
        before, after = outcome(old, region.witness_old), outcome(new, region.witness_new)
        assert before != after
        assert (before is None) == (region.kind == NEW_ONLY) and (after is None) == (region.kind == OLD_ONLY)
        if region.kind == BEHAVIOUR:
            assert before == (region.old.status, region.old.codes) and after == (region.new.status, region.new.codes)
