"""Stage 3, execution: the meaning of guards in one place, compiled once into closures, three-valued.

A value is a bool, an exact number (int or Fraction, see numbers.py), an enumeration value's
name, or UNKNOWN when a fact it depends on is missing. Evaluation is left to right; `and`/`or`
follow Kleene's logic and stop at the first operand that settles them (`false and UNKNOWN` is
false), so a guard that tests `x is present and x >= 4` never needs `x`. A derived value is
computed when first read, then kept. Nothing here calls eval: each AST node becomes a closure.
"""
from __future__ import annotations

import operator
from datetime import date
from fractions import Fraction
from functools import singledispatch
from typing import Any, Callable, Mapping

from ..errors import PathwayDefect, error
from ..syntax import ast
from ..syntax.printer import show
from .dates import Months, date_arithmetic, months_apart
from .numbers import MAX_BITS, divide, normal, show_number, too_large


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
_ABSENT = object()  # not in the environment (yet): ask the operand's closure
Env = dict
Compiled = Callable[[Env], Any]

# The operators of the DSL, one table: the executor applies them to ints and Fractions, the
# solver encoding (carepath.solver) to z3 terms.
COMPARISONS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
               ">": operator.gt, ">=": operator.ge}
ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": divide}


class Scope:
    """What names mean while compiling: facts are read from the case; derived values are computed."""

    def __init__(self, facts: Mapping[str, ast.Fact], derived: Mapping[str, ast.Derived]):
        self.facts = facts
        self.derived_ast = derived
        self.bounded = interval_names(derived)
        self._intervals: dict[str, Compiled] = {}
        self._compiled: dict[int, tuple[ast.Expr, Compiled]] = {}
        cases: dict[str, list] = {name: [] for name in derived}
        self.derived: dict[str, Compiled] = {name: _derived(value, cases[name]) for name, value in derived.items()}
        for name, value in derived.items():
            cases[name].extend((None if c.guard is None else self.compile(c.guard), self.compile(c.outcome))
                               for c in value.cases)

    def compile(self, expr: ast.Expr) -> Compiled:
        """A closure computing `expr` over an environment (the case's facts)."""
        return _compile(expr, self)

    def compiled(self, expr: ast.Expr) -> Compiled:
        """`compile`, kept per expression node, for asking parts of a guard again (relevance of a stop)."""
        kept = self._compiled.get(id(expr))
        if kept is None or kept[0] is not expr:
            kept = self._compiled[id(expr)] = (expr, self.compile(expr))
        return kept[1]

    def interval(self, expr: ast.Expr) -> Compiled:
        """A closure giving the least and most `expr` can be (None: unbounded) from what the case knows."""
        return interval_of(expr, self)

    def derived_interval(self, name: str) -> Compiled:
        """The interval closure of a derived value's single expression (compiled once)."""
        if name not in self._intervals:
            self._intervals[name] = derived_interval(name, self)
        return self._intervals[name]

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
                stack.extend(r.name for e in ast.case_expressions(self.derived_ast[name]) for r in ast.refs(e))
        return sorted(f for f in found if f in self.facts)


def interval_names(derived: Mapping[str, ast.Derived]) -> frozenset[str]:
    """Derived values that are one expression containing a score or a count, directly or through others:
    comparisons with them are decided on intervals as soon as the interval decides them."""
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, value in derived.items():
            if name not in found and value.cases[0].guard is None and len(value.cases) == 1 \
                    and has_interval(value.cases[0].outcome, found):
                found.add(name)
                changed = True
    return frozenset(found)


def has_interval(expr: ast.Expr, bounded) -> bool:
    """Whether an expression contains a score, a count, an `if`, or a reference to a derived value that does."""
    return any(isinstance(node, (ast.Points, ast.Count, ast.IfThenElse))
               or (isinstance(node, ast.Ref) and node.name in bounded)
               for node in ast.walk(expr))


def _derived(value: ast.Derived, cases: list) -> Compiled:
    """A closure computing a derived value once per environment, memoised in it under its name.

    `cases` is filled after every derived value has its closure, so each may use any other. When
    no case holds (and none is undecided), the pathway has a gap: a located PathwayDefect."""
    key, inside = value.name, _range_test(value)
    if len(value.cases) == 1 and value.cases[0].guard is None:
        def expression(env: Env) -> Any:  # `derive name = expr`: no case to choose
            got = env.get(key, _ABSENT)
            if got is _ABSENT:
                got = cases[0][1](env)
                if inside is not None and got is not UNKNOWN and not inside(got):
                    raise PathwayDefect(_out_of_range(value, got))
                env[key] = got
            return got

        return expression

    def derived(env: Env) -> Any:
        got = env.get(key, _ABSENT)
        if got is not _ABSENT:
            return got
        for guard, outcome in cases:
            held = True if guard is None else guard(env)
            if held is UNKNOWN:
                result = UNKNOWN
                break
            if held:
                result = outcome(env)
                break
        else:
            raise PathwayDefect(error(f"no case of derived value `{key}` holds for this case", value.span,
                                      kind="derived_gap"))
        if inside is not None and result is not UNKNOWN and not inside(result):
            raise PathwayDefect(_out_of_range(value, result))
        env[key] = result
        return result

    return derived


def _range_test(value: ast.Derived) -> Callable[[Any], bool] | None:
    """A test that a computed value lies in the derived value's declared range (None: no range)."""
    type_ = value.type
    if not isinstance(type_, (ast.IntegerType, ast.NumberType)) or type_.low is None:
        return None
    low, high = type_.low, type_.high
    return lambda got: low <= got <= high


def _out_of_range(value: ast.Derived, got: Any) -> Any:
    """The defect of a derived value computed outside its declared range."""
    return error(f"derived value `{value.name}` is {show_number(got)} for this case, outside its declared range "
                 f"{show_number(value.type.low)}..{show_number(value.type.high)}", value.span, kind="derived_range")


def _operand(expr: ast.Expr, scope: Scope) -> tuple[str | None, Compiled]:
    """An operand as (key, closure): a name's value is looked up in the environment first (a fact,
    or a derived value already computed) and the closure is called only when it is not there."""
    return (expr.name if isinstance(expr, ast.Ref) else None), scope.compile(expr)


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
    key, inner = _operand(expr.operand, scope)

    def neg(env: Env) -> Any:
        value = env.get(key, _ABSENT)
        if value is _ABSENT:
            value = inner(env)
        return UNKNOWN if value is UNKNOWN else -value

    return neg


@_compile.register
def _(expr: ast.Arith, scope: Scope) -> Compiled:
    first = scope.compile(expr.operands[0])
    steps = [(index, op, ARITHMETIC[op], scope.compile(operand))
             for index, (op, operand) in enumerate(zip(expr.operators, expr.operands[1:]), 1)]

    def arith(env: Env) -> Any:
        """Left to right: every operand is evaluated (a defect in any stops the run), and an UNKNOWN
        operand makes the rest of the chain UNKNOWN."""
        a = first(env)
        for index, name, op, operand in steps:
            b = operand(env)
            if a is UNKNOWN or b is UNKNOWN:
                a = UNKNOWN
            elif type(a) is int and type(b) is int and name != "/":
                a = op(a, b)
                if a.bit_length() > MAX_BITS:
                    raise PathwayDefect(_too_large(ast.arith_prefix(expr, index)))
            else:
                a = _step(expr, index, a, b)
        return a

    return arith


def _step(expr: ast.Arith, index: int, a: Any, b: Any) -> Any:
    """One step of a chain on known values other than two ints added, subtracted or multiplied: exact
    `/` (a divisor of 0 is the pathway's defect, located at this division), fractions, dates."""
    op = expr.operators[index - 1]
    if op == "/" and b == 0:
        divisor, step = show(expr.operands[index]), ast.arith_prefix(expr, index)
        raise PathwayDefect(error(f"division by zero: `{divisor}` is 0 for this case", step.span,
                                  kind="division_by_zero",
                                  hint=f"test `{divisor} != 0` before dividing (or use `first match` "
                                       "with a zero test first)"))
    if type(a) is date:
        return _dated(ast.arith_prefix(expr, index), op, a, b)
    return _exact(expr, index, ARITHMETIC[op](a, b))


def _dated(step: ast.Expr, op: str, a: date, b: Any) -> Any:
    """Date arithmetic (days between two dates, or a date moved by days); leaving the calendar is a defect."""
    result = date_arithmetic(op, a, b)
    if result is None:
        raise PathwayDefect(error(f"`{show(step)}` leaves the calendar (years 1 to 9999) for this case", step.span,
                                  kind="evaluation"))
    return result


@_compile.register
def _(expr: ast.Duration, scope: Scope) -> Compiled:
    value = Months(expr.amount) if expr.months else expr.days
    return lambda env: value


def _exact(expr: ast.Arith, index: int, result: Any) -> Any:
    """A computed number in normal form (a whole Fraction as an int), refused if absurdly large."""
    if type(result) is Fraction and result.denominator == 1:
        result = result.numerator
    if too_large(result):
        raise PathwayDefect(_too_large(ast.arith_prefix(expr, index)))
    return result


def _too_large(step: ast.Expr) -> Any:
    """The defect of arithmetic whose exact result would run to tens of thousands of digits."""
    return error(f"`{show(step)}` grows beyond {MAX_BITS} bits for this case; no clinical quantity is that large",
                 step.span, kind="evaluation")


@_compile.register
def _(expr: ast.Compare, scope: Scope) -> Compiled:
    expr = months_apart(expr)
    if has_interval(expr.left, scope.bounded) or has_interval(expr.right, scope.bounded):
        return compare_intervals(expr.op, scope.interval(expr.left), scope.interval(expr.right))
    if isinstance(expr.right, ast.Literal):
        return _compare_with(expr.right.value, expr.op, *_operand(expr.left, scope))
    left, right, op = scope.compile(expr.left), scope.compile(expr.right), COMPARISONS[expr.op]

    def compare(env: Env) -> Any:
        a, b = left(env), right(env)
        return UNKNOWN if a is UNKNOWN or b is UNKNOWN else op(a, b)

    return compare


def _compare_with(value: Any, op_name: str, key: str | None, inner: Compiled) -> Compiled:
    """The common `name OP literal`, without a call for the literal."""
    op = COMPARISONS[op_name]

    def compare_with(env: Env) -> Any:
        got = env.get(key, _ABSENT)
        if got is _ABSENT:
            got = inner(env)
        return UNKNOWN if got is UNKNOWN else op(got, value)

    return compare_with


@_compile.register
def _(expr: ast.Presence, scope: Scope) -> Compiled:
    inner, present = scope.compile(expr.operand), expr.present
    return lambda env: (inner(env) is not UNKNOWN) == present


@_compile.register
def _(expr: ast.IsValue, scope: Scope) -> Compiled:
    (key, inner), value, negated = _operand(expr.operand, scope), expr.value.name, expr.negated

    def is_value(env: Env) -> Any:
        got = env.get(key, _ABSENT)
        if got is _ABSENT:
            got = inner(env)
        return UNKNOWN if got is UNKNOWN else (got == value) != negated

    return is_value


@_compile.register
def _(expr: ast.InSet, scope: Scope) -> Compiled:
    (key, inner), negated = _operand(expr.operand, scope), expr.negated
    members = frozenset(i.name if isinstance(i, ast.Symbol) else i.value for i in expr.items)

    def in_set(env: Env) -> Any:
        got = env.get(key, _ABSENT)
        if got is _ABSENT:
            got = inner(env)
        return UNKNOWN if got is UNKNOWN else (got in members) != negated

    return in_set


def _weighted(expr: ast.Points | ast.Count, scope: Scope) -> Compiled:
    """A score or a count: every criterion evaluated in order; UNKNOWN when any is undecided."""
    parts = [(points, scope.compile(guard)) for points, guard in ast.weighted(expr)]

    def weighted(env: Env) -> Any:
        total, known = 0, True
        for points, guard in parts:
            held = guard(env)
            if held is UNKNOWN:
                known = False
            elif held:
                total += points
        if not known:
            return UNKNOWN
        return normal(total) if type(total) is Fraction else total

    return weighted


_compile.register(ast.Points, _weighted)
_compile.register(ast.Count, _weighted)


@_compile.register
def _(expr: ast.IfThenElse, scope: Scope) -> Compiled:
    condition, then, otherwise = (scope.compile(e) for e in (expr.condition, expr.then, expr.otherwise))

    def if_then_else(env: Env) -> Any:
        held = condition(env)
        if held is UNKNOWN:
            return UNKNOWN
        return then(env) if held else otherwise(env)

    return if_then_else


@_compile.register
def _(expr: ast.Has, scope: Scope) -> Compiled:
    inner, items = scope.compile(expr.operand), frozenset(item.name for item in expr.items)
    test = items.issubset if expr.mode == "all" else (lambda held: not items.isdisjoint(held))

    def has(env: Env) -> Any:
        held = inner(env)
        return UNKNOWN if held is UNKNOWN else test(held)

    return has


@_compile.register
def _(expr: ast.NumberOf, scope: Scope) -> Compiled:
    inner = scope.compile(expr.operand)
    items = None if expr.items is None else frozenset(item.name for item in expr.items)

    def number_of(env: Env) -> Any:
        held = inner(env)
        if held is UNKNOWN:
            return UNKNOWN
        return len(held) if items is None else len(held & items)

    return number_of


@_compile.register
def _(expr: ast.Not, scope: Scope) -> Compiled:
    key, inner = _operand(expr.operand, scope)

    def not_(env: Env) -> Any:
        value = env.get(key, _ABSENT)
        if value is _ABSENT:
            value = inner(env)
        return UNKNOWN if value is UNKNOWN else not value

    return not_


@_compile.register
def _(expr: ast.And, scope: Scope) -> Compiled:
    return _junction([_operand(op, scope) for op in expr.operands], decisive=False)


@_compile.register
def _(expr: ast.Or, scope: Scope) -> Compiled:
    return _junction([_operand(op, scope) for op in expr.operands], decisive=True)


def _junction(operands: list[tuple[str | None, Compiled]], decisive: bool) -> Compiled:
    """`and` (decisive False) or `or` (decisive True) in Kleene logic: an operand equal to
    `decisive` settles it; otherwise any UNKNOWN makes it UNKNOWN."""
    if len(operands) == 2:
        return _pair(*operands, decisive=decisive)
    settles = not decisive  # what `not value` is for an operand that decides alone

    def junction(env: Env) -> Any:
        result = settles
        for key, operand in operands:
            value = env.get(key, _ABSENT)
            if value is _ABSENT:
                value = operand(env)
            if value is UNKNOWN:
                result = UNKNOWN
            elif (not value) is settles:
                return decisive
        return result

    return junction


def _pair(first: tuple[str | None, Compiled], second: tuple[str | None, Compiled], decisive: bool) -> Compiled:
    """The common `a and b` (decisive False) or `a or b` (decisive True), without the loop."""
    (key_a, operand_a), (key_b, operand_b) = first, second
    settles = not decisive  # what `not value` is for an operand that decides alone

    def pair(env: Env) -> Any:
        a = env.get(key_a, _ABSENT)
        if a is _ABSENT:
            a = operand_a(env)
        if a is not UNKNOWN and (not a) is settles:
            return decisive
        b = env.get(key_b, _ABSENT)
        if b is _ABSENT:
            b = operand_b(env)
        if b is UNKNOWN:
            return UNKNOWN
        return decisive if (not b) is settles else (UNKNOWN if a is UNKNOWN else settles)

    return pair


from .intervals import compare_intervals, derived_interval, interval_of  # noqa: E402  (they read UNKNOWN)
