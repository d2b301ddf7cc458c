"""Stage 4, scenarios: generated cases that together take every reachable branch.

Two passes. First a search over the executor, cheap and enough for most pathways: each fact gets
a small domain (booleans, enumeration values, and for numbers the range ends plus each constant
the guards compare it with and its neighbours; an optional fact may also be absent). Starting from
one valid case, the search takes each branch not yet covered, and from every found case that
reaches its node tries the combinations of the facts that node's guards read (and the facts
`require` ties to them), until a run takes the branch. Then, only for the branches the search
left, the checker's solver (solve.py) is asked for a complete case that takes the branch; its
witness is run through the executor and kept only if the run really takes it. A branch the
solver rules out is proven unreachable. A greedy set cover finally keeps few cases, each adding
new branches. Every kept case is a valid, complete run of the executor.
"""
from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any, Iterator

from .. import program
from ..engine import COMPLETE
from ..errors import CarepathError, counted
from ..expr import Scope
from ..model import Pathway
from ..syntax import ast
from .coverage import BranchPoint, Taken, branch_points, criteria_taken, taken

ABSENT = None
COMBINATIONS = 4096       # the most combinations tried from one found case for one branch
BASES = 8                 # the most found cases a branch's search starts from
SEED = 7


@dataclass(frozen=True)
class GeneratedCase:
    """A valid case and the branches it was chosen for (those no earlier case takes)."""

    name: str
    facts: dict[str, Any]
    covers: tuple[BranchPoint, ...]


@dataclass(frozen=True)
class CaseSet:
    """The generated cases in the order chosen, the branches proven unreachable, and the branches
    neither pass took with the reason."""

    cases: tuple[GeneratedCase, ...]
    unreachable: tuple[BranchPoint, ...]
    unreached: tuple[tuple[BranchPoint, str], ...]
    branches: int

    def text(self, folder: str) -> str:
        """What was written, each case with the branches it was chosen for, then what was not taken."""
        taken = self.branches - len(self.unreachable) - len(self.unreached)
        lines = [f"wrote {counted(len(self.cases), 'case')} to {folder}, taking {taken} of "
                 f"{counted(self.branches, 'branch')}"]
        lines.extend(f"  {case.name}.json: " + "; ".join(f"{b.node}: {b.label}" for b in case.covers)
                     for case in self.cases)
        if self.unreachable:
            lines.append("unreachable (proven): no valid case takes these branches")
            lines.extend(f"  {b.location}: {b.node}: {b.label}" for b in self.unreachable)
        if self.unreached:
            lines.append("not reached:")
            lines.extend(f"  {b.location}: {b.node}: {b.label}: {why}" for b, why in self.unreached)
        return "\n".join(lines) + "\n"


def cover_cases(pathway: Pathway) -> CaseSet:
    """A small set of valid cases that together take every reachable branch."""
    search = _Search(pathway)
    search.start()
    before = -1
    while len(search.covered) > before:
        before = len(search.covered)
        for point in search.points:
            if point.key not in search.covered:
                search.aim(point)
    if len(search.covered) < len(search.points):
        search.solve()
    return search.selection()


@dataclass(frozen=True)
class _Found:
    """A valid run the search kept: its facts, the nodes on its path, and the facts it changed
    from the first case (what a merge carries over into another case)."""

    facts: dict[str, Any]
    path: tuple[str, ...]
    changed: frozenset[str]


class _Search:
    """The state of one search: fact domains, the cases found, the branches they take."""

    def __init__(self, pathway: Pathway):
        self.pathway, self.program = pathway, program(pathway)
        self.scope = Scope(pathway.facts, pathway.derived)
        self.points = branch_points(pathway)
        self.domains = _domains(pathway, self.scope)
        self.found: dict[frozenset[Taken], _Found] = {}
        self.covered: set[Taken] = set()
        self.proven: set[Taken] = set()         # branches the solver proves no case takes
        self.untaken: dict[Taken, str] = {}     # other branches neither pass took, with the reason
        self.random = random.Random(SEED)

    def start(self) -> None:
        """A first valid case: each fact's first candidate, else the first valid random draw."""
        first = {name: values[0] for name, values in self.domains.items()}
        draws = ({n: self.random.choice(v) for n, v in self.domains.items()} for _ in range(COMBINATIONS))
        for case in itertools.chain([first], draws):
            if self.attempt(case, frozenset()) or self.found:
                return

    def attempt(self, case: dict[str, Any], changed: frozenset[str]) -> bool:
        """Run a case; keep it if valid and its branches differ from every earlier case's; True if new ones."""
        hits = self.run(case, changed)
        if hits is None:
            return False
        new = not hits <= self.covered
        self.covered |= hits
        return new

    def run(self, case: dict[str, Any], changed: frozenset[str]) -> frozenset[Taken] | None:
        """The branches a valid, complete run of the case takes (None for any other run), recorded."""
        facts = {name: value for name, value in sorted(case.items()) if value is not ABSENT}
        try:
            result = self.program.run(facts)
        except CarepathError:
            return None
        if result.status != COMPLETE:
            return None
        hits = frozenset(taken(self.pathway, result)) | frozenset(criteria_taken(self.pathway, facts))
        self.found.setdefault(hits, _Found(facts, tuple(v.node for v in result.path), changed))
        return hits

    def aim(self, point: BranchPoint) -> None:
        """Vary the facts behind a branch's node, from found cases that reach it, until it is taken."""
        score = self.pathway.derived.get(point.node)  # a score's criterion: any run may compute the score
        bases = [found for found in self.found.values() if score is not None or point.node in found.path][:BASES]
        names = self.behind(point.node)
        for base in bases:
            for combination in self.combinations(names):
                changed = {n for n, v in combination.items() if base.facts.get(n, ABSENT) != v}
                if self.attempt({**base.facts, **combination}, base.changed | changed) \
                        and point.key in self.covered:
                    return

    def solve(self) -> None:
        """Ask the checker's solver for each branch still untaken; keep its case if a run takes the
        branch, else record why not (UNREACHABLE when proven)."""
        from .solve import UNREACHABLE, BranchSolver

        solver = BranchSolver(self.pathway)
        first = next(iter(self.found.values()), _Found({}, (), frozenset()))
        for point in self.points:
            if point.key in self.covered:
                continue
            facts, why = solver.ask(point)
            if facts is not None:
                changed = frozenset(n for n in {**first.facts, **facts} if first.facts.get(n, ABSENT) != facts.get(n, ABSENT))
                self.covered |= self.run(facts, changed) or frozenset()
                why = "" if point.key in self.covered else "the solver's case does not take it when run"
            if why == UNREACHABLE:
                self.proven.add(point.key)
            elif why:
                self.untaken[point.key] = why

    def behind(self, node_name: str) -> list[str]:
        """The facts a node's guards depend on, and the facts `require` ties to them."""
        if node_name in self.pathway.derived:
            guards = [c.guard for c in self.pathway.derived[node_name].score.criteria]
        else:
            guards = [g for _, g in ast.node_guards(self.pathway.nodes[node_name])]
        names = set(self.scope.facts_behind([n for g in guards for n in self.scope.reads(g)]))
        for require in self.pathway.document.requires:
            tied = self.scope.facts_behind(self.scope.reads(require.condition))
            if names & set(tied):
                names.update(tied)
        return sorted(names)

    def combinations(self, names: list[str]) -> Iterator[dict[str, Any]]:
        """Every combination of the facts' domains, or a seeded sample when there are too many."""
        domains = [self.domains[n] for n in names]
        size = 1
        for values in domains:
            size *= len(values)
        if size <= COMBINATIONS:
            for values in itertools.product(*domains):
                yield dict(zip(names, values))
            return
        for _ in range(COMBINATIONS):
            yield {n: self.random.choice(v) for n, v in zip(names, domains)}

    def selection(self) -> CaseSet:
        """Few cases taking every branch found: a greedy set cover, then cases merged where one run can."""
        order = {point.key: index for index, point in enumerate(self.points)}
        remaining, chosen = set(self.covered) & set(order), []
        while remaining:
            hits = max(self.found, key=lambda found: len(found & remaining))
            chosen.append((self.found[hits], hits & remaining))
            remaining -= hits
        cases = []
        for found, duty in self.merged(chosen):
            covers = tuple(self.points[i] for i in sorted(order[key] for key in duty))
            cases.append(GeneratedCase(_file_stem(len(cases) + 1, covers[0]), found.facts, covers))
        unreachable = tuple(p for p in self.points if p.key in self.proven)
        unreached = tuple((p, self.untaken[p.key]) for p in self.points if p.key in self.untaken)
        return CaseSet(tuple(cases), unreachable, unreached, len(self.points))

    def merged(self, chosen: list[tuple[_Found, set[Taken]]]) -> list[tuple[_Found, set[Taken]]]:
        """Fold a later case into an earlier one when the earlier, given the facts the later changed
        from the first case, still takes both cases' branches."""
        kept: list[tuple[_Found, set[Taken]]] = []
        for found, duty in chosen:
            carried = {name: found.facts.get(name, ABSENT) for name in found.changed}
            for index, (earlier, earlier_duty) in enumerate(kept):
                hits = self.run({**earlier.facts, **carried}, earlier.changed | found.changed)
                if hits is not None and hits >= earlier_duty | duty:
                    kept[index] = (self.found[hits], earlier_duty | duty)
                    break
            else:
                kept.append((found, duty))
        return kept


def _file_stem(number: int, point: BranchPoint) -> str:
    """A case file's name from the branch it covers first: 01_imaging_otherwise."""
    label = re.sub(r"[^a-z0-9]+", "_", point.label.lower()).strip("_")[:48].rstrip("_")
    return f"{number:02d}_{point.node}_{label}"


def _domains(pathway: Pathway, scope: Scope) -> dict[str, list[Any]]:
    """The values the search tries for each fact, in a fixed order (present values first)."""
    constants = _constants(pathway)
    read = set(scope.facts_behind(list(constants)))
    domains = {}
    for name, fact in pathway.facts.items():
        values = _values(fact.type, constants.get(name, set()))
        if name not in read:
            values = values[:1]
        domains[name] = values + ([ABSENT] if fact.optional else [])
    return domains


REFERENCE_DAY = date(2026, 1, 1).toordinal()


def _values(type_: ast.Type, constants: set) -> list[Any]:
    """Candidate values of a type: booleans, enum values, or numbers at the guards' boundaries."""
    if isinstance(type_, ast.BooleanType):
        return [False, True]
    if isinstance(type_, ast.EnumType):
        return list(type_.values)
    if isinstance(type_, ast.SetType):  # empty, each value alone, each pair, everything
        pairs = itertools.combinations(type_.values, 2)
        return [frozenset()] + [frozenset([v]) for v in type_.values] + [frozenset(p) for p in pairs] + \
            [frozenset(type_.values)]
    if isinstance(type_, ast.DateType):  # a reference day, and days before it at each number of days compared
        shifts = sorted({0} | {int(c) + d for c in constants if c == int(c) and 0 <= c < 100_000 for d in (-1, 0, 1)})
        return [date.fromordinal(REFERENCE_DAY - shift) for shift in shifts]
    integer = isinstance(type_, ast.IntegerType)
    step = 1 if integer else Fraction(1, 2)
    ends = [] if type_.low is None else [type_.low, type_.high]
    points = set(ends) | {c + d for c in constants for d in (-step, 0, step)}
    if integer:
        points = {int(p) for p in points if p == int(p)}
    inside = [p for p in points if type_.low is None or type_.low <= p <= type_.high]
    return sorted(inside) or [0]


def _constants(pathway: Pathway) -> dict[str, set[float]]:
    """For each name a guard reads, the numbers it is compared with (all numbers under arithmetic)."""
    expressions = _expressions(pathway)
    every = {e.value for root in expressions for e in ast.walk(root)
             if isinstance(e, ast.Literal) and not isinstance(e.value, bool)}
    found: dict[str, set[float]] = {}
    for root in expressions:
        for expr in ast.walk(root):
            if isinstance(expr, ast.Ref):
                found.setdefault(expr.name, set())
            elif isinstance(expr, (ast.Compare, ast.InSet)):
                _compared(expr, found)
            elif isinstance(expr, ast.Arith):
                for ref in ast.refs(expr):
                    found.setdefault(ref.name, set()).update(every)
    return found


def _compared(expr: ast.Compare | ast.InSet, found: dict[str, set[float]]) -> None:
    """Record the numbers a name is compared with directly (`x < 6`, `6 > x`, `x in {1, 2}`)."""
    if isinstance(expr, ast.InSet):
        sides = [(expr.operand, item) for item in expr.items]
    else:
        sides = [(expr.left, expr.right), (expr.right, expr.left)]
    for name, other in sides:
        if isinstance(name, ast.Ref) and isinstance(other, ast.Literal) and not isinstance(other.value, bool):
            found.setdefault(name.name, set()).add(other.value)


def _expressions(pathway: Pathway) -> list[ast.Expr]:
    """Every expression the pathway evaluates: guards, derived cases, requires."""
    found = [r.condition for r in pathway.document.requires]
    found += [e for d in pathway.derived.values() for e in ast.case_expressions(d)]
    return found + [g for node in pathway.nodes.values() for _, g in ast.node_guards(node)]
