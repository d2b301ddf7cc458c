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


def search_domains(pathway, scope: Scope) -> dict[str, tuple | None]:
    """For each fact, finitely many values that between them give every guard of the pathway every answer
    it can have (None where no such finite set is known: dates, large sets, numbers under arithmetic)."""
    compared: dict[str, set] = {name: set() for name in pathway.facts}
    loose: set[str] = set()
    for root in _expressions(pathway):
        _thresholds(root, compared, loose)
    return {name: _domain(fact.type, compared[name], name in loose) for name, fact in pathway.facts.items()}


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
        elif isinstance(expr, (ast.Presence, ast.IsValue, ast.Has, ast.NumberOf)) and isinstance(expr.operand, ast.Ref):
            direct.add(id(expr.operand))
    for ref in ast.refs(root):
        if ref.name in compared and id(ref) not in direct:
            loose.add(ref.name)


MAX_SET_VALUES = 4  # a set fact of up to this many values is searched through all its subsets


def _domain(type_: ast.Type, constants: set, loose: bool) -> tuple | None:
    """The values searched for one fact (see search_domains)."""
    if isinstance(type_, ast.BooleanType):
        return (False, True)
    if isinstance(type_, ast.EnumType):
        return tuple(type_.values)
    if isinstance(type_, ast.SetType):
        if len(type_.values) > MAX_SET_VALUES:
            return None
        return tuple(frozenset(v for i, v in enumerate(type_.values) if bits >> i & 1)
                     for bits in range(1 << len(type_.values)))
    if not isinstance(type_, (ast.IntegerType, ast.NumberType)):
        return None
    if loose:
        return _whole_range(type_)
    return _regions(sorted({c for c in constants if not isinstance(c, bool)}), type_)


MAX_WHOLE_RANGE = 16  # an integer fact under arithmetic is searched through every value of a range this small


def _whole_range(type_: ast.Type) -> tuple | None:
    """Every value of a small integer range (the only exact finite domain of a number under arithmetic)."""
    if isinstance(type_, ast.IntegerType) and type_.low is not None and type_.high - type_.low < MAX_WHOLE_RANGE:
        return tuple(range(int(type_.low), int(type_.high) + 1))
    return None


def _regions(points: list, type_: ast.Type) -> tuple:
    """One value in each region the thresholds cut the fact's range into: each threshold itself, a value
    between each two, and one beyond each end (whole numbers for an integer fact)."""
    low, high = type_.low, type_.high
    ends = ([] if low is None else [low]) + ([] if high is None else [high])
    cuts = sorted(set(points) | set(ends))
    if not cuts:
        return (0,)
    candidates = set(cuts) | {(Fraction(a) + b) / 2 for a, b in zip(cuts, cuts[1:])} | {cuts[0] - 1, cuts[-1] + 1}
    if isinstance(type_, ast.IntegerType):  # a whole number in each region that has one (and maybe more)
        candidates = {f(Fraction(c)) for c in candidates for f in (math.floor, math.ceil)}
    values = {normal(Fraction(v)) for v in candidates}
    return tuple(sorted(v for v in values if (low is None or v >= low) and (high is None or v <= high)))
