"""Property: on small generated pathways, the checker's verdicts equal brute-force enumeration.

Every case over the small domains (three booleans, an integer 0..3, a three-value enumeration, an
optional integer) is run through the executor; what the runs show (nodes reached, guards true at
each decision, branches taken, gaps, stops for input) must be exactly what the checker reports:
no false alarms, no misses.
"""
from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings, strategies as st

import carepath
from carepath.engine import PathwayDefect
from carepath.errors import CaseError
from carepath.expr import Scope
from carepath.syntax import ast
from carepath.syntax.printer import show

from properties.pathway_strategies import graph_text
from replay import node_at

CI = settings(derandomize=True, max_examples=300, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
VERDICTS = {"overlap", "gap", "unreachable", "contradictory", "shadowed", "needs_input"}
HEADER = """pathway generated "Generated"
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
DOMAINS = {"b1": [True, False], "b2": [True, False], "b3": [True, False], "n": [0, 1, 2, 3],
           "e": ["lo", "mid", "hi"], "o": [None, 0, 1, 2, 3]}

ATOMS = st.one_of(
    st.sampled_from(["b1", "b2", "b3", "not b1", "level is high", "o is present", "o is missing"]),
    st.builds("n {} {}".format, st.sampled_from(["<", "<=", "==", ">=", ">", "!="]), st.integers(0, 3)),
    st.builds("o {} {}".format, st.sampled_from(["<", ">=", "=="]), st.integers(0, 3)),
    st.builds("e is {}".format, st.sampled_from(["lo", "mid", "hi"])),
    st.builds("e in {{{}}}".format, st.sampled_from(["lo, mid", "mid, hi", "lo, hi"])),
)
GUARDS = st.recursive(ATOMS, lambda inner: st.one_of(
    st.builds("({} and {})".format, inner, inner), st.builds("({} or {})".format, inner, inner),
    st.builds("not ({})".format, inner)), max_leaves=3)


@st.composite
def pathways(draw) -> str:
    """A random acyclic pathway over the fixed facts: decisions and steps, targets always later."""
    lines = [HEADER]
    if draw(st.booleans()):
        lines.append(f"require {draw(GUARDS)}\n")
    lines.append(draw(graph_text(GUARDS, 6)))
    return "".join(lines)


def brute_force(pathway) -> set[tuple]:
    """The verdicts every valid case, run through the executor, shows."""
    scope = Scope(pathway.facts, pathway.derived)
    tests = {name: [None if b.guard is None else scope.compile(b.guard) for b in node.branches]
             for name, node in pathway.nodes.items() if isinstance(node, ast.Decision)}
    arrived, held, taken, verdicts = set(), set(), set(), set()
    for values in itertools.product(*DOMAINS.values()):
        case = {k: v for k, v in zip(DOMAINS, values) if v is not None}
        try:
            trail, needs, gap = run(pathway, case)
        except CaseError:
            continue
        path = [node for node, _ in trail] + ([gap] if gap else [])
        arrived.update(path)
        if gap:
            verdicts.add(("gap", gap))
        if needs:
            verdicts.add(("needs_input", path[-1]))
        for node, took in trail:
            if node in tests and took is not None:
                taken.add((node, _branch_index(pathway.nodes[node], took)))
        for name in set(path) & set(tests):
            true = [i for i, test in enumerate(tests[name]) if test is not None and test(dict(case)) is True]
            held.update((name, i) for i in true)
            if not pathway.nodes[name].first_match:
                verdicts.update(("overlap", name, i, j) for i, j in itertools.combinations(true, 2))
    return verdicts | _absences(pathway, arrived, held, taken)


def run(pathway, case: dict) -> tuple[list[tuple[str, str | None]], tuple[str, ...], str | None]:
    """Run a case node by node with the executor's own closures, keeping the path even into a gap.

    Returns the (node, took) trail, the facts needed if the run stopped for input, and the node of
    a gap (a decision with no branch holding) if it fell into one."""
    program = carepath.program(pathway)
    env = program.rules.validate(case)
    program.rules.check_requires(env, None)
    trail: list = []
    at: str | tuple[str, ...] | None = pathway.start
    while isinstance(at, str):
        try:
            nxt = program.steps[at](env, trail, [])
        except PathwayDefect:
            return [(node, took) for node, took, _ in trail], (), at
        at = nxt
    return [(node, took) for node, took, _ in trail], at or (), None


def _branch_index(node: ast.Decision, took: str) -> int:
    """The branch a visit took: the first whose label matches (the runtime takes the first that holds)."""
    labels = ["otherwise" if b.guard is None else show(b.guard) for b in node.branches]
    return labels.index(took)


def _absences(pathway, arrived: set, held: set, taken: set) -> set[tuple]:
    """Unreachable nodes, and branches of reached decisions that never hold or are never taken."""
    found = {("unreachable", name) for name in pathway.nodes if name not in arrived}
    for name in arrived:
        node = pathway.nodes[name]
        for i, branch in enumerate(getattr(node, "branches", ())):
            if branch.guard is None:
                continue
            if (name, i) not in held:
                found.add(("contradictory", name, i))
            elif node.first_match and (name, i) not in taken:
                found.add(("shadowed", name, i))
    return found


def checker(pathway) -> set[tuple]:
    """The checker's verdicts in the same shape."""
    found = set()
    for finding in carepath.check(pathway):
        if finding.kind not in VERDICTS:
            continue
        node = node_at(pathway, finding.span)
        branches = [i for i, b in enumerate(getattr(node, "branches", ()))
                    for span in (finding.span, *(r.span for r in finding.related if finding.kind == "overlap"))
                    if b.span == span]
        detail = tuple(sorted(branches)) if finding.kind in ("overlap", "contradictory", "shadowed") else ()
        found.add((finding.kind, node.name, *detail))
    return found


@CI
@given(pathways())
def test_checker_agrees_with_brute_force(text: str) -> None:
    """No false alarms and no misses, for every generated pathway."""
    pathway = carepath.loads(text, "generated.dsl")
    assert checker(pathway) == brute_force(pathway), text
