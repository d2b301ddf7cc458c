"""Stage 3, execution: which missing facts could still change an undecided expression (for `needs`).

An undecided guard names only the missing facts of its parts that are themselves undecided: in
`calf > 3 or (surgery and weeks_since_surgery < 12)` with no surgery, `surgery and ...` is
decided false, so only `calf` is needed. A comparison decided on intervals asks only for the
criteria still undecided. Parts are evaluated on a copy of the case, and only parts the run
itself evaluated (an undecided `and`/`or` evaluates every operand; the branches of an undecided
`if` are not evaluated, so every missing fact behind them counts).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import singledispatch

from ..errors import PathwayDefect
from ..syntax import ast
from . import _ABSENT, UNKNOWN, Env, Scope
from .numbers import normal


def needed(expr: ast.Expr, scope: Scope, env: Env) -> list[str]:
    """The missing facts that could still change the value of `expr` for this case, sorted."""
    scratch = dict(env)
    try:
        found = _needed(expr, scope, scratch)
    except PathwayDefect:
        found = _behind(expr, scope, scratch)
    return sorted(found)


def _undecided(expr: ast.Expr, scope: Scope, env: Env) -> bool:
    """Whether the expression's value is UNKNOWN for this case."""
    return scope.compiled(expr)(env) is UNKNOWN


def _behind(expr: ast.Expr, scope: Scope, env: Env) -> set[str]:
    """Every missing fact behind an expression, following derived values."""
    return {f for f in scope.facts_behind(scope.reads(expr)) if env.get(f, _ABSENT) is _ABSENT}


@singledispatch
def _needed(expr, scope: Scope, env: Env) -> set[str]:
    """Generic rule: a decided expression needs nothing; an undecided one, the needs of its parts."""
    if not _undecided(expr, scope, env):
        return set()
    return set().union(*(_needed(part, scope, env) for part in ast.children(expr)))


@_needed.register
def _(expr: ast.Ref, scope: Scope, env: Env) -> set[str]:
    if not _undecided(expr, scope, env):
        return set()
    value = scope.derived_ast.get(expr.name)
    if value is None:
        return {expr.name}
    found: set[str] = set()
    for case in value.cases:
        if case.guard is not None and not _undecided(case.guard, scope, env):
            if scope.compiled(case.guard)(env):
                return found | _needed(case.outcome, scope, env)
            continue
        if case.guard is None:
            return found | _needed(case.outcome, scope, env)
        # The first undecided case: it, and every later case, could still be the one that holds.
        index = value.cases.index(case)
        found |= _needed(case.guard, scope, env)
        for later in value.cases[index:]:
            found |= _behind(later.outcome, scope, env)
            if later.guard is not None and later is not case:
                found |= _behind(later.guard, scope, env)
        return found
    return found


@_needed.register
def _(expr: ast.IfThenElse, scope: Scope, env: Env) -> set[str]:
    if not _undecided(expr, scope, env):
        return set()
    condition = expr.condition
    if _undecided(condition, scope, env):
        return _needed(condition, scope, env) | _behind(expr.then, scope, env) | _behind(expr.otherwise, scope, env)
    return _needed(expr.then if scope.compiled(condition)(env) else expr.otherwise, scope, env)


# --- exactness: a witness search over finite domains -------------------------------------------

ORIGINAL = object()  # the key under which an extended environment keeps the case as it was given


class ObservingScope(Scope):
    """The scope of the relevance search: values come from the extended case, while `is missing` and
    `is present` keep reading the case as it was given (an absence the pathway handles is not asked for)."""

    def compile(self, expr: ast.Expr):
        """As Scope.compile, but a presence test reads the environment kept under ORIGINAL."""
        if not isinstance(expr, ast.Presence):
            return super().compile(expr)
        inner, present = super().compile(expr.operand), expr.present
        return lambda env: (inner(env[ORIGINAL]) is not UNKNOWN) == present


@dataclass(frozen=True)
class Regions:
    """A fact's values cut into finitely many regions that every guard of the pathway treats alike: one
    value and one test (an expression over the fact) per region, in the same order."""

    values: tuple
    tests: tuple[ast.Expr, ...]


def fact_regions(pathway) -> dict[str, Regions | None]:
    """For each fact, its regions (None where no finite set is known: dates, sets, numbers under
    arithmetic with a wide range)."""
    compared: dict[str, set] = {name: set() for name in pathway.facts}
    loose: set[str] = set()
    for root in _expressions(pathway):
        _thresholds(root, compared, loose)
    return {name: _regions_of(name, fact.type, compared[name], name in loose) for name, fact in pathway.facts.items()}


def node_facts(pathway, scope: Scope, node: ast.Node) -> list[str]:
    """The facts that decide what a run does at a node: those behind its guards, and those of every
    `require` that reads one of them (they decide which extensions are cases), sorted."""
    behind = set(scope.facts_behind([r.name for _, guard in ast.node_guards(node) for r in ast.refs(guard)]))
    for require in pathway.document.requires:
        facts = set(scope.facts_behind(scope.reads(require.condition)))
        if facts & behind:
            behind |= facts
    return sorted(behind)


def _expressions(pathway) -> list[ast.Expr]:
    """Every expression a run can evaluate: node guards, derived values' cases, requires."""
    found = [guard for node in pathway.nodes.values() for _, guard in ast.node_guards(node)]
    found += [e for value in pathway.derived.values() for e in ast.case_expressions(value)]
    return found + [r.condition for r in pathway.document.requires]


def _thresholds(root: ast.Expr, compared: dict[str, set], loose: set[str]) -> None:
    """Record the numbers each fact is compared with directly; a fact read anywhere else is `loose`."""
    direct: set[int] = set()
    for expr in ast.walk(root):
        if isinstance(expr, ast.Compare):
            for mine, other in ((expr.left, expr.right), (expr.right, expr.left)):
                if isinstance(mine, ast.Ref) and mine.name in compared and isinstance(other, ast.Literal):
                    compared[mine.name].add(other.value)
                    direct.add(id(mine))
        elif isinstance(expr, ast.InSet) and isinstance(expr.operand, ast.Ref) and expr.operand.name in compared:
            compared[expr.operand.name].update(i.value for i in expr.items if isinstance(i, ast.Literal))
            direct.add(id(expr.operand))
        elif isinstance(expr, (ast.Presence, ast.IsValue)) and isinstance(expr.operand, ast.Ref):
            direct.add(id(expr.operand))
    for ref in ast.refs(root):
        if ref.name in compared and id(ref) not in direct:
            loose.add(ref.name)


MAX_WHOLE_RANGE = 16  # an integer fact under arithmetic has a region per value when its range is this small


def _regions_of(name: str, type_: ast.Type, constants: set, loose: bool) -> Regions | None:
    """The regions of one fact (see fact_regions)."""
    ref = ast.Ref(name)
    if isinstance(type_, ast.BooleanType):
        return Regions((False, True), (ast.Not(ref), ref))
    if isinstance(type_, ast.EnumType):
        return Regions(tuple(type_.values), tuple(ast.IsValue(ref, ast.Symbol(v)) for v in type_.values))
    if not isinstance(type_, (ast.IntegerType, ast.NumberType)):
        return None
    if not loose:
        return _cut(ref, type_, sorted({c for c in constants if not isinstance(c, bool)}))
    if isinstance(type_, ast.IntegerType) and type_.low is not None and type_.high - type_.low < MAX_WHOLE_RANGE:
        return _cut(ref, type_, list(range(math.ceil(type_.low), math.floor(type_.high) + 1)))
    return None


def _cut(ref: ast.Ref, type_: ast.Type, points: list) -> Regions:
    """The regions thresholds cut a number's range into: below the first, each threshold, between each
    two, above the last; those without a value of the type left out."""
    low, high = type_.low, type_.high
    cuts = sorted(set(points) | {e for e in (low, high) if e is not None})
    if not cuts:
        return Regions((0,), (ast.Presence(ref, True),))
    at = lambda op, c: ast.Compare(op, ref, ast.Literal(c))  # noqa: E731
    found = [(math.ceil(cuts[0]) - 1, at("<", cuts[0]))]
    for a, b in zip(cuts, cuts[1:]):
        found += [(a, at("==", a)), (_inside(a, b, type_), ast.And((at(">", a), at("<", b))))]
    found += [(cuts[-1], at("==", cuts[-1])), (math.floor(cuts[-1]) + 1, at(">", cuts[-1]))]
    kept = [(normal(Fraction(v)), test) for v, test in found
            if v is not None and (low is None or v >= low) and (high is None or v <= high)
            and (not isinstance(type_, ast.IntegerType) or v == int(v))]
    return Regions(tuple(v for v, _ in kept), tuple(t for _, t in kept))


def _inside(a, b, type_: ast.Type):
    """A value strictly between two thresholds (a whole number for an integer fact; None if there is none)."""
    if not isinstance(type_, ast.IntegerType):
        return (Fraction(a) + Fraction(b)) / 2
    whole = math.floor(a) + 1
    return whole if whole < b else None
