"""Property: with exact arithmetic, divisions, derived values and requires, the checker's verdicts
equal brute-force enumeration through the executor, and every witness reproduces.

Every case over small integer domains (one of them reaching 0 and below, to divide by) is run
node by node with the executor's own closures. What the runs show (nodes reached, branches that
hold and are taken, gaps, stops for input, divisions by zero, derived values outside their range
or without a case, overlapping cases of a derived value, fact values no valid case has) must be
exactly what `carepath check` reports. Decimals enter through literals and `/`.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from properties.agreement import assert_agrees
from properties.pathway_strategies import chains, graph_text

# Examples and seed from the loaded profile (tests/properties/conftest.py): 200, fixed, by default.
CI = settings(deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
DOMAINS = {"n": [0, 1, 2, 3], "m": [-2, -1, 0, 1, 2], "b": [True, False], "o": [None, 0, 1, 2, 3]}
FACTS = 'fact n: integer 0..3\nfact m: integer -2..2\nfact b: boolean\nfact o: optional integer 0..3\n'

NUMBERS = st.sampled_from(["1", "2", "0.5", "1.5", "0.25"])
ATOMS = st.one_of(st.sampled_from(["n", "m", "o", "size"]), NUMBERS)
ARITH = st.recursive(ATOMS, lambda inner: st.one_of(
    st.builds("({} {} {})".format, inner, st.sampled_from("+-*/"), inner), chains(inner, 5).map("({})".format)),
    max_leaves=5)
COMPARE = st.builds("{} {} {}".format, ARITH, st.sampled_from(["<", "<=", "==", ">=", ">", "!="]),
                    st.sampled_from(["0", "1", "-1", "0.5", "2", "1.5"]))
PLAIN = st.one_of(st.sampled_from(["b", "not b", "o is present", "o is missing", "m == 0", "m != 0"]),
                  st.builds("n {} {}".format, st.sampled_from(["<", ">=", "=="]), st.integers(0, 3)),
                  st.builds("m {} {}".format, st.sampled_from(["<", ">", "=="]), st.integers(-2, 2)))
ATOMIC = st.one_of(PLAIN, COMPARE, st.sampled_from(["band is lo", "band is hi"]),
                   st.builds("m != 0 and n / m {} {}".format, st.sampled_from(["<", ">="]), NUMBERS))
GUARDS = st.recursive(ATOMIC, lambda inner: st.one_of(
    st.builds("({} and {})".format, inner, inner), st.builds("({} or {})".format, inner, inner),
    st.builds("not ({})".format, inner)), max_leaves=3)
CASE_GUARDS = st.recursive(PLAIN, lambda inner: st.one_of(
    st.builds("({} and {})".format, inner, inner), st.builds("({} or {})".format, inner, inner)), max_leaves=2)


@st.composite
def pathways(draw) -> str:
    """Facts, an arithmetic derived value (maybe ranged), a derived value with cases, maybe a require,
    then a random acyclic graph of decisions and steps."""
    lines = ['pathway generated "Generated"\nsource g "g.txt"\n', FACTS]
    ranged = draw(st.sampled_from(["", " -2..2", " 0..1.5", " -1..3"]))
    lines.append(f"derive size: number{ranged} = {draw(ARITH.filter(lambda t: 'size' not in t))}\n")
    mode = " first match" if draw(st.booleans()) else ""
    cases = "".join(f"  when {draw(CASE_GUARDS)} -> {draw(st.sampled_from(['lo', 'hi']))}\n"
                    for _ in range(draw(st.integers(1, 3))))
    otherwise = "  otherwise -> lo\n" if draw(st.booleans()) else ""
    lines.append(f"derive band: lo | hi{mode}\n{cases}{otherwise}")
    if draw(st.booleans()):
        lines.append(f"require {draw(st.one_of(PLAIN, COMPARE))}\n")
    lines.append(draw(graph_text(GUARDS, 5)))
    return "".join(lines)


@CI
@given(pathways())
def test_checker_agrees_with_brute_force_on_arithmetic(text: str) -> None:
    """No false alarms and no misses, and every witness (a stop for input's too) reproduces, for every
    generated pathway."""
    assert_agrees(text, DOMAINS, replay_needs_input=True)
