"""Guard expressions' meaning, in one place: compiled once into closures, three-valued logic.

A value is a bool, a number, an enumeration value's name, or UNKNOWN when a fact it depends on
is missing. `and`/`or` follow Kleene's logic (`false and UNKNOWN` is false), so a guard that tests
`x is present and x >= 4` never needs `x`. Nothing here calls eval: each AST node becomes a closure.
"""
from __future__ import annotations

import math
import operator
from functools import singledispatch
from typing import Any, Callable, Mapping

from ..errors import CaseError, PathwayDefect, error
from ..syntax import ast


class _Unknown:
    """The value of an expression that needs a missing fact."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()
Env = dict
Compiled = Callable[[Env], Any]

_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
            ">": operator.gt, ">=": operator.ge}
MAX_INT_BITS = 1024  # beyond this an integer cannot become a float: repeated products would grow unbounded
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


class Scope:
    """What names mean while compiling: facts are read from the case; derived values are computed."""

    def __init__(self, facts: Mapping[str, ast.Fact], derived: Mapping[str, ast.Derived]):
        self.facts = facts
        self.derived_ast = derived
        self.derived: dict[str, Compiled] = {}
        for name in derived:
            self.derived[name] = self._compile_derived(derived[name])

    def compile(self, expr: ast.Expr) -> Compiled:
        """A closure computing `expr` over an environment (the case's facts)."""
        return _compile(expr, self)

    def reads(self, expr: ast.Expr) -> list[str]:
        """Names an expression reads directly (facts and derived values), in order, once each."""
        return list(dict.fromkeys(ref.name for ref in ast.refs(expr)))

    def facts_behind(self, names: list[str]) -> list[str]:
        """The facts a list of names depends on, following derived values, sorted."""
        found: set[str] = set()
        stack = list(names)
        while stack:
            name = stack.pop()
            if name in self.facts:
                found.add(name)
            elif name in self.derived_ast and name not in found:
                found.add(name)
                stack.extend(r.name for c in self.derived_ast[name].cases
                             for e in (c.guard, c.outcome) if e is not None for r in ast.refs(e))
        return sorted(f for f in found if f in self.facts)

    def _compile_derived(self, value: ast.Derived) -> Compiled:
        """A closure computing a derived value once per environment, memoised in it."""
        cases = [(None if c.guard is None else _LazyGuard(self, c.guard), _LazyGuard(self, c.outcome))
                 for c in value.cases]
        key = value.name

        def derived(env: Env) -> Any:
            if key in env:
                return env[key]
            result = _first_case(cases, env, value)
            env[key] = result
            return result

        return derived


class _LazyGuard:
    """Compiles its expression on first call, so derived values may use ones declared later."""

    def __init__(self, scope: Scope, expr: ast.Expr):
        self.scope, self.expr, self.fn = scope, expr, None

    def __call__(self, env: Env) -> Any:
        if self.fn is None:
            self.fn = self.scope.compile(self.expr)
        return self.fn(env)


def _first_case(cases, env: Env, value: ast.Derived) -> Any:
    """The outcome of the first case whose guard holds; UNKNOWN if an earlier one cannot be decided."""
    for guard, outcome in cases:
        if guard is None:
            return outcome(env)
        held = guard(env)
        if held is UNKNOWN:
            return UNKNOWN
        if held:
            return outcome(env)
    raise PathwayDefect(error(f"no case of derived value `{value.name}` holds for this case", value.span,
                              kind="derived_gap"))


@singledispatch
def _compile(expr, scope: Scope) -> Compiled:
    raise TypeError(f"not an expression: {expr!r}")


@_compile.register
def _(expr: ast.Ref, scope: Scope) -> Compiled:
    if expr.name in scope.derived:
        return scope.derived[expr.name]
    name = expr.name
    return lambda env: env.get(name, UNKNOWN)


@_compile.register
def _(expr: ast.Literal, scope: Scope) -> Compiled:
    value = expr.value
    return lambda env: value


@_compile.register
def _(expr: ast.Symbol, scope: Scope) -> Compiled:
    value = expr.name
    return lambda env: value


@_compile.register
def _(expr: ast.Neg, scope: Scope) -> Compiled:
    inner = scope.compile(expr.operand)

    def neg(env: Env) -> Any:
        value = inner(env)
        return UNKNOWN if value is UNKNOWN else -value

    return neg


@_compile.register
def _(expr: ast.Arith, scope: Scope) -> Compiled:
    left, right, op, span = scope.compile(expr.left), scope.compile(expr.right), _ARITH[expr.op], expr.span

    def arith(env: Env) -> Any:
        a, b = left(env), right(env)
        if a is UNKNOWN or b is UNKNOWN:
            return UNKNOWN
        try:
            result = op(a, b)
        except ZeroDivisionError:
            raise CaseError(error("division by zero for this case", span, kind="evaluation")) from None
        except OverflowError:
            result = math.inf
        if not _finite(result):
            raise CaseError(error("the arithmetic overflows for this case (the result is beyond any number a "
                                  "pathway can compare)", span, kind="evaluation"))
        return result

    return arith


def _finite(value: int | float) -> bool:
    """Within the range of a double: finite floats, and integers that a float could hold."""
    return value.bit_length() <= MAX_INT_BITS if isinstance(value, int) else math.isfinite(value)


@_compile.register
def _(expr: ast.Compare, scope: Scope) -> Compiled:
    left, right, op = scope.compile(expr.left), scope.compile(expr.right), _COMPARE[expr.op]

    def compare(env: Env) -> Any:
        a, b = left(env), right(env)
        return UNKNOWN if a is UNKNOWN or b is UNKNOWN else op(a, b)

    return compare


@_compile.register
def _(expr: ast.Presence, scope: Scope) -> Compiled:
    inner, present = scope.compile(expr.operand), expr.present
    return lambda env: (inner(env) is not UNKNOWN) == present


@_compile.register
def _(expr: ast.IsValue, scope: Scope) -> Compiled:
    inner, value, negated = scope.compile(expr.operand), expr.value.name, expr.negated

    def is_value(env: Env) -> Any:
        got = inner(env)
        return UNKNOWN if got is UNKNOWN else (got == value) != negated

    return is_value


@_compile.register
def _(expr: ast.InSet, scope: Scope) -> Compiled:
    inner, negated = scope.compile(expr.operand), expr.negated
    members = frozenset(i.name if isinstance(i, ast.Symbol) else i.value for i in expr.items)

    def in_set(env: Env) -> Any:
        got = inner(env)
        return UNKNOWN if got is UNKNOWN else (got in members) != negated

    return in_set


@_compile.register
def _(expr: ast.Not, scope: Scope) -> Compiled:
    inner = scope.compile(expr.operand)

    def not_(env: Env) -> Any:
        value = inner(env)
        return UNKNOWN if value is UNKNOWN else not value

    return not_


@_compile.register
def _(expr: ast.And, scope: Scope) -> Compiled:
    operands = [scope.compile(op) for op in expr.operands]

    def and_(env: Env) -> Any:
        result = True
        for operand in operands:
            value = operand(env)
            if value is UNKNOWN:
                result = UNKNOWN
            elif not value:
                return False
        return result

    return and_


@_compile.register
def _(expr: ast.Or, scope: Scope) -> Compiled:
    operands = [scope.compile(op) for op in expr.operands]

    def or_(env: Env) -> Any:
        result = False
        for operand in operands:
            value = operand(env)
            if value is UNKNOWN:
                result = UNKNOWN
            elif value:
                return True
        return result

    return or_
