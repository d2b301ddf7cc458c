"""Stage 3, execution: which missing facts could still change an undecided expression (for `needs`).

An undecided guard names only the missing facts of its parts that are themselves undecided: in
`calf > 3 or (surgery and weeks_since_surgery < 12)` with no surgery, `surgery and ...` is
decided false, so only `calf` is needed. A comparison decided on intervals asks only for the
criteria still undecided. Parts are evaluated on a copy of the case, and only parts the run
itself evaluated (an undecided `and`/`or` evaluates every operand; the branches of an undecided
`if` are not evaluated, so every missing fact behind them counts).
"""
from __future__ import annotations

from functools import singledispatch

from ..errors import PathwayDefect
from ..syntax import ast
from . import _ABSENT, UNKNOWN, Env, Scope


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
