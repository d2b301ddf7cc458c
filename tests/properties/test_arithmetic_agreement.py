"""Property: with exact arithmetic, divisions, derived values and requires, the checker's verdicts
equal brute-force enumeration through the executor, and every witness reproduces.

Every case over small integer domains (one of them reaching 0 and below, to divide by) is run
node by node with the executor's own closures. What the runs show (nodes reached, branches that
hold and are taken, gaps, stops for input, divisions by zero, derived values outside their range
or without a case, overlapping cases of a derived value, fact values no valid case has) must be
exactly what `carepath check` reports. Decimals enter through literals and `/`.
"""
from __future__ import annotations

import itertools
import re

from hypothesis import HealthCheck, assume, given, settings, strategies as st

import carepath
from carepath.errors import CaseError, PathwayDefect, PathwayError
from carepath.expr import Scope
from carepath.syntax import ast
from carepath.syntax.printer import show

from properties.pathway_strategies import chains, graph_text
from replay import node_at, reproduces

# Examples and seed from the loaded profile (tests/properties/conftest.py): 200, fixed, by default.
CI = settings(deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
DOMAINS = {"n": [0, 1, 2, 3], "m": [-2, -1, 0, 1, 2], "b": [True, False], "o": [None, 0, 1, 2, 3]}
FACTS = 'fact n: integer 0..3\nfact m: integer -2..2\nfact b: boolean\nfact o: optional integer 0..3\n'
DECISION_KINDS = {"overlap", "gap", "unreachable", "contradictory", "shadowed", "needs_input"}
DERIVED_KINDS = {"derived_overlap", "derived_contradictory", "derived_shadowed", "derived_gap", "derived_range"}

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


def _isolated(test, case: dict) -> bool:
    """Whether a guard evaluated alone over the case is true (one that stops with a defect is not)."""
    try:
        return test(dict(case)) is True
    except PathwayDefect:
        return False


class Enumeration:
    """Everything the executor shows over every case of the domains."""

    def __init__(self, pathway):
        self.pathway, self.program = pathway, carepath.program(pathway)
        scope = Scope(pathway.facts, pathway.derived)
        self.tests = {name: [None if b.guard is None else scope.compile(b.guard) for b in node.branches]
                      for name, node in pathway.nodes.items() if isinstance(node, ast.Decision)}
        self.case_tests = {name: [None if c.guard is None else scope.compile(c.guard) for c in value.cases]
                           for name, value in pathway.derived.items()}
        self.arrived, self.held, self.taken, self.verdicts = set(), set(), set(), set()
        self.case_held, self.case_taken, self.computed, self.values = set(), set(), set(), set()
        for values in itertools.product(*DOMAINS.values()):
            self.run({k: v for k, v in zip(DOMAINS, values) if v is not None})

    def run(self, case: dict) -> None:
        """One case: validated, requires judged, then walked node by node."""
        try:
            env = self.program.rules.validate(case)
            self.program.rules.check_requires(env, None)
        except CaseError:
            return
        except PathwayDefect as defect:
            self.defect(defect, None)
            return
        self.values.update({("b", env["b"]), ("o", "o" in env)})
        trail, at = [], self.pathway.start
        while isinstance(at, str):
            try:
                nxt = self.program.steps[at](env, trail, [])
            except PathwayDefect as defect:
                self.defect(defect, at)
                break
            at = nxt
        if at and not isinstance(at, str):
            self.verdicts.add(("needs_input", trail[-1][0]))
        path = [node for node, _, _ in trail] + ([at] if isinstance(at, str) else [])
        self.record(case, env, trail, path)

    def defect(self, defect: PathwayDefect, node: str | None) -> None:
        """A run stopped by the pathway: which defect, where."""
        found = defect.diagnostics[0]
        if found.kind == "gap":
            self.verdicts.add(("gap", node))
        elif found.kind == "division_by_zero":
            self.verdicts.add(("division_by_zero", found.span.line, found.span.column))
        else:
            name = _derived_at(self.pathway, found.span).name
            self.verdicts.add((found.kind, name))
            self.computed.add(name)

    def record(self, case: dict, env: dict, trail: list, path: list[str]) -> None:
        """Nodes reached, branches holding and taken, derived cases holding and taken."""
        self.arrived.update(path)
        for node, took, _ in trail:
            if node in self.tests and took is not None:
                labels = ["otherwise" if b.guard is None else show(b.guard) for b in self.pathway.nodes[node].branches]
                self.taken.add((node, labels.index(took)))
        for name in set(path) & set(self.tests):
            true = [i for i, test in enumerate(self.tests[name]) if test is not None and _isolated(test, case)]
            self.held.update((name, i) for i in true)
            if not self.pathway.nodes[name].first_match:
                self.verdicts.update(("overlap", name, i, j) for i, j in itertools.combinations(true, 2))
        for name, tests in self.case_tests.items():
            if name not in env:
                continue
            self.computed.add(name)
            true = [i for i, test in enumerate(tests) if test is not None and _isolated(test, case)]
            self.case_held.update((name, i) for i in true)
            if true:
                self.case_taken.add((name, true[0]))
            if not self.pathway.derived[name].first_match:
                self.verdicts.update(("derived_overlap", name, i, j) for i, j in itertools.combinations(true, 2))

    def all_verdicts(self) -> set[tuple]:
        """The verdicts, with the absences: unreachable nodes, branches and cases that never hold or are
        never taken, fact values no valid case has."""
        found = set(self.verdicts) | {("unreachable", n) for n in self.pathway.nodes if n not in self.arrived}
        for name in self.arrived & set(self.tests):
            node = self.pathway.nodes[name]
            found |= _absent(name, node.branches, node.first_match, self.held, self.taken, "")
        for name in self.computed & {n for n, v in self.pathway.derived.items() if any(c.guard for c in v.cases)}:
            value = self.pathway.derived[name]
            found |= _absent(name, value.cases, value.first_match, self.case_held, self.case_taken, "derived_")
        if self.pathway.document.requires:
            every = {("b", True), ("b", False), ("o", True), ("o", False)}
            found |= {("restricted_fact",) + missing for missing in every - self.values}
        return found


def _absent(name, parts, first_match, held, taken, prefix) -> set[tuple]:
    """Guarded parts that never hold (contradictory) or, under first match, are never taken (shadowed)."""
    found = set()
    for i, part in enumerate(parts):
        if part.guard is None:
            continue
        if (name, i) not in held:
            found.add((prefix + "contradictory", name, i))
        elif first_match and (name, i) not in taken:
            found.add((prefix + "shadowed", name, i))
    return found


def _derived_at(pathway, span) -> ast.Derived:
    """The derived value whose declaration contains a span."""
    return next(d for d in pathway.derived.values() if d.span.line <= span.line <= d.span.end_line)


def checker(pathway, findings) -> set[tuple]:
    """The checker's verdicts in the same shape."""
    found = set()
    for finding in findings:
        kind, span = finding.kind, finding.span
        if kind in DECISION_KINDS:
            node = node_at(pathway, span)
            detail = _indices(node.branches, finding) if kind in ("overlap", "contradictory", "shadowed") else ()
            found.add((kind, node.name, *detail))
        elif kind in DERIVED_KINDS:
            value = _derived_at(pathway, span)
            detail = _indices(value.cases, finding) if kind not in ("derived_gap", "derived_range") else ()
            found.add((kind, value.name, *detail))
        elif kind == "division_by_zero":
            found.add((kind, span.line, span.column))
        elif kind == "restricted_fact":
            fact, value = re.search(r"rule out `(\w+)` (\w+)", finding.message).groups()
            found.add((kind, fact, {"true": True, "false": False, "present": True, "missing": False}[value]))
    return found


def _indices(parts, finding) -> tuple[int, ...]:
    """The indices of the parts (branches or cases) a finding and its `other` note point at."""
    spans = [finding.span] + [r.span for r in finding.related if "other" in r.message]
    return tuple(sorted(i for i, p in enumerate(parts) if p.span in spans))


@CI
@given(pathways())
def test_checker_agrees_with_brute_force_on_arithmetic(text: str) -> None:
    """No false alarms and no misses, and every witness reproduces, for every generated pathway."""
    try:
        pathway = carepath.loads(text, "generated.dsl")
    except PathwayError:
        assume(False)
    findings = carepath.check(pathway)
    assume(not any(f.kind == "undecided" for f in findings))
    assert checker(pathway, findings) == Enumeration(pathway).all_verdicts(), text
    for finding in findings:
        if finding.witness is not None:
            assert reproduces(pathway, finding), (text, finding.format())
