"""Stage 3 in SQL: guard expressions compiled to sqlglot trees with the executor's meaning.

Each expression becomes a Term: its value (SQL NULL where the executor computes UNKNOWN; SQL's
AND, OR and NOT are Kleene's, as the executor's are) and the message of the error its evaluation
raises (a division by zero, a derived value with no case that holds), or NULL. Errors follow the
executor's order of evaluation: left to right, `and`/`or` stopping at the operand that decides.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import singledispatch
from typing import Callable, Mapping

from sqlglot import exp

from ..errors import Span
from ..expr import ARITHMETIC, COMPARISONS, Scope, has_interval
from ..expr.dates import months_apart
from ..syntax import ast
from .dates import DAY_DIGITS, in_calendar, shift_months
from .values import Day, Dec, Number, Scalar, TooWide, all_of, any_of, decimal_text, exact, paren, sum_of

Value = Scalar | Number


@dataclass(frozen=True)
class Term:
    """An expression in SQL: its value (NULL when unknown) and its error message (NULL if none)."""

    value: Value
    error: exp.Expression | None = None


class Names:
    """What names mean in SQL: facts and derived values as columns of the row; `scope` tells which
    derived values are decided on intervals (scores, counts, `if`) and the facts' declared ranges."""

    def __init__(self, facts: Mapping[str, Value], derived: Mapping[str, Term], scope: Scope | None = None):
        self.facts = facts
        self.derived = derived
        self.scope = scope
        self.bounded = scope.bounded if scope is not None else frozenset()
        self.bounds: dict[str, tuple[Number, Number]] = {}  # of derived values decided on intervals, as columns
        self._compiled: dict[int, tuple[ast.Expr, Term]] = {}

    def compile(self, expr: ast.Expr) -> Term:
        """The SQL for an expression (kept per expression node: guards, needs and intervals ask again)."""
        kept = self._compiled.get(id(expr))
        if kept is None or kept[0] is not expr:
            kept = self._compiled[id(expr)] = (expr, _compile(expr, self))
        return kept[1]


def message(text: str, span: Span | None) -> exp.Expression:
    """An error message as a SQL string, located like every carepath diagnostic."""
    return exp.Literal.string(f"{span.location()}: {text}" if span else text)


def first_error(*errors: exp.Expression | None) -> exp.Expression | None:
    """The first of several errors met in order (None where none can occur)."""
    found = [e for e in errors if e is not None]
    if len(found) <= 1:
        return found[0] if found else None
    return exp.Coalesce(this=found[0], expressions=found[1:])


def error_if(condition: exp.Expression, error: exp.Expression | None) -> exp.Expression | None:
    """`error` when `condition` is TRUE (not FALSE, not NULL)."""
    if error is None:
        return None
    return exp.Case(ifs=[exp.If(this=condition, true=error)])


def error_unless(condition: exp.Expression, error: exp.Expression | None) -> exp.Expression | None:
    """`error` unless `condition` is TRUE: what evaluating on after a test that may decide raises."""
    if error is None:
        return None
    return exp.Case(ifs=[exp.If(this=condition, true=exp.Null())], default=error)


def is_true(value: exp.Expression) -> exp.Expression:
    """TRUE when a boolean is TRUE, else FALSE (never NULL)."""
    return exp.Coalesce(this=paren(value), expressions=[exp.false()])


def is_false(value: exp.Expression) -> exp.Expression:
    """TRUE when a boolean is FALSE, else FALSE (never NULL)."""
    return exp.Coalesce(this=exp.Not(this=paren(value)), expressions=[exp.false()])


def is_null(value: exp.Expression) -> exp.Expression:
    """TRUE when a value is NULL (unknown)."""
    return exp.Is(this=paren(value), expression=exp.Null())


@singledispatch
def _compile(expr, names: Names) -> Term:
    raise TypeError(f"not an expression: {expr!r}")


@_compile.register
def _(expr: ast.Ref, names: Names) -> Term:
    if expr.name in names.derived:
        return names.derived[expr.name]
    return Term(names.facts[expr.name])


@_compile.register
def _(expr: ast.Literal, names: Names) -> Term:
    if isinstance(expr.value, bool):
        return Term(Scalar(exp.true() if expr.value else exp.false()))
    return Term(Number.of(exact(expr.value)))


@_compile.register
def _(expr: ast.Symbol, names: Names) -> Term:
    return Term(Scalar(exp.Literal.string(expr.name)))


@_compile.register
def _(expr: ast.Neg, names: Names) -> Term:
    inner = names.compile(expr.operand)
    return Term(-inner.value, inner.error)


@_compile.register
def _(expr: ast.Duration, names: Names) -> Term:
    return Term(Number.of(exact(expr.days)))


@_compile.register
def _(expr: ast.Arith, names: Names) -> Term:
    if any(_calendar_months(operand) for operand in expr.operands):
        return _dated(expr, [None if _calendar_months(o) else names.compile(o) for o in expr.operands])
    operands = [names.compile(operand) for operand in expr.operands]
    if not ast.sums(expr.operators[0]):
        return _product(expr, operands)
    if any(isinstance(o.value, Day) for o in operands):
        return _dated(expr, operands)
    try:
        return Term(_sum([o.value for o in operands], expr.operators), first_error(*(o.error for o in operands)))
    except TooWide as exc:
        raise TooWide(exc.args[0], expr.span) from None


def _calendar_months(expr: ast.Expr) -> bool:
    """Whether an operand is a number of calendar months (it has no number of days: it moves a date)."""
    return isinstance(expr, ast.Duration) and expr.months


def _dated(expr: ast.Arith, operands: list[Term | None]) -> Term:
    """A sum with dates, left to right as the executor goes: `day - day` is days, `day ± days` a day
    again, `day ± N months` (operand None) the calendar's same day (or the month's last); leaving
    years 1 to 9999 is the executor's located error at that step."""
    value, errors = operands[0].value, [operands[0].error]
    for index, (op, right) in enumerate(zip(expr.operators, operands[1:]), 1):
        step, written = ast.arith_prefix(expr, index), expr.operands[index]
        if right is None:
            shifted, stays = shift_months(value.numerator.sql, int(written.amount) * (1 if op == "+" else -1))
            outside = exp.And(this=value.known(), expression=exp.Not(this=stays))
            value = Day(Dec.cast(shifted, DAY_DIGITS, 0))
        else:
            errors.append(right.error)
            moved = isinstance(value, Day) and not isinstance(right.value, Day)  # a date moved by days
            try:
                value = ARITHMETIC[op](value, right.value)
            except TooWide as exc:
                raise TooWide(exc.args[0], step.span) from None
            if not moved:
                continue
            value = Day(value.numerator, value.denominator)
            outside = exp.And(this=value.known(), expression=exp.Not(this=in_calendar(value.numerator.sql)))
        errors.append(error_if(outside, _off_calendar(step)))
    return Term(value, first_error(*errors))


def _off_calendar(step: ast.Expr) -> exp.Expression:
    """The executor's message for date arithmetic that leaves years 1 to 9999."""
    from ..syntax.printer import show

    return message(f"`{show(step)}` leaves the calendar (years 1 to 9999) for this case", step.span)


def _sum(values: list[Number], operators: tuple[str, ...]) -> Number:
    """A chain of `+` and `-` as a balanced tree of additions: exact decimals add in any grouping, and
    its depth (which SQL engines limit: DuckDB to 1,000) and its digits grow with the logarithm of its length."""
    def signed(low: int, high: int) -> tuple[bool, Number]:
        """(negated, value) of the terms low..high-1, each with the sign of the operator before it."""
        if high - low == 1:
            return low > 0 and operators[low - 1] == "-", values[low]
        middle = (low + high) // 2
        (left_negated, left), (right_negated, right) = signed(low, middle), signed(middle, high)
        return left_negated, (left - right if left_negated != right_negated else left + right)

    return signed(0, len(values))[1]


def _product(expr: ast.Arith, operands: list[Term]) -> Term:
    """A chain of `*` and `/` left to right; a divisor of 0, after a known dividend, is located at its division."""
    value, errors = operands[0].value, [operands[0].error]
    for index, (op, right) in enumerate(zip(expr.operators, operands[1:]), 1):
        errors.append(right.error)
        if op == "/" and not isinstance(expr.operands[index], ast.Literal):  # a literal divisor is never 0
            zero = exp.And(this=value.known(), expression=right.value.is_zero())
            errors.append(error_if(zero, message("division by zero for this case", ast.arith_prefix(expr, index).span)))
        try:
            value = ARITHMETIC[op](value, right.value)
        except TooWide as exc:
            raise TooWide(exc.args[0], ast.arith_prefix(expr, index).span) from None
    return Term(value, first_error(*errors))


@_compile.register
def _(expr: ast.Compare, names: Names) -> Term:
    expr = months_apart(expr)  # `a - b > 3 months` is `a > b + 3 months`, as the executor reads it
    left, right = names.compile(expr.left), names.compile(expr.right)
    error = first_error(left.error, right.error)
    if has_interval(expr.left, names.bounded) or has_interval(expr.right, names.bounded):
        from .intervals import bounds, decide

        try:
            return Term(Scalar(decide(expr.op, bounds(expr.left, names), bounds(expr.right, names))), error)
        except TooWide as exc:
            raise TooWide(exc.args[0], exc.args[1] or expr.span) from None
    return Term(Scalar(COMPARISONS[expr.op](left.value, right.value)), error)


@_compile.register
def _(expr: ast.Presence, names: Names) -> Term:
    inner = names.compile(expr.operand)
    known = inner.value.known()
    return Term(Scalar(known if expr.present else exp.Not(this=exp.Paren(this=known))), inner.error)


@_compile.register
def _(expr: ast.IsValue, names: Names) -> Term:
    inner = names.compile(expr.operand)
    target = Scalar(exp.Literal.string(expr.value.name))
    return Term(Scalar(inner.value != target if expr.negated else inner.value == target), inner.error)


@_compile.register
def _(expr: ast.InSet, names: Names) -> Term:
    inner = names.compile(expr.operand)
    items = [names.compile(item).value for item in expr.items]
    if isinstance(inner.value, Number):
        member = _any([inner.value == item for item in items])
    else:
        member = exp.In(this=paren(inner.value.sql), expressions=[item.sql for item in items])
    return Term(Scalar(exp.Not(this=exp.Paren(this=member)) if expr.negated else member), inner.error)


def _any(tests: list[exp.Expression]) -> exp.Expression:
    """The SQL OR of one or more tests, in parentheses."""
    joined = tests[0]
    for test in tests[1:]:
        joined = exp.Or(this=joined, expression=test)
    return exp.Paren(this=joined)


@_compile.register
def _(expr: ast.Has, names: Names) -> Term:
    inner = names.compile(expr.operand)
    tests = [inner.value.has(item.name) for item in expr.items]
    value = tests[0] if len(tests) == 1 else (all_of(tests) if expr.mode == "all" else any_of(tests))
    return Term(Scalar(value), inner.error)


@_compile.register
def _(expr: ast.NumberOf, names: Names) -> Term:
    inner = names.compile(expr.operand)
    members = inner.value
    if expr.items is None:
        return Term(Number(Dec.cast(members.size(), len(str(len(members.values))), 0)), inner.error)
    counted = sum_of([exp.Case(ifs=[exp.If(this=is_true(members.has(item.name)), true=exp.Literal.number(1))],
                              default=exp.Literal.number(0)) for item in expr.items])
    unknown = is_null(members.sql)
    value = exp.Case(ifs=[exp.If(this=unknown, true=exp.Null())], default=counted)
    return Term(Number(Dec.cast(value, len(str(len(expr.items))), 0)), inner.error)


def _weighted(expr: ast.Points | ast.Count, names: Names) -> Term:
    """A score or a count: every criterion evaluated in order; NULL when any is undecided."""
    parts = [(points, names.compile(guard)) for points, guard in ast.weighted(expr)]
    total = weighted_sum(parts, lambda points: 0)
    undecided = any_of([is_null(term.value.sql) for _, term in parts])
    value = exp.Case(ifs=[exp.If(this=undecided, true=exp.Null())], default=total.numerator.sql)
    return Term(Number(Dec(value, total.numerator.precision, total.numerator.scale)),
                first_error(*(term.error for _, term in parts)))


_compile.register(ast.Points, _weighted)
_compile.register(ast.Count, _weighted)


def weighted_sum(parts: list[tuple[int | Fraction, Term]], unknown: Callable[[int | Fraction], int | Fraction]) -> Number:
    """The points of the criteria that hold, plus `unknown(points)` for each undecided one, as one
    DECIMAL wide enough for any partial sum (each lies between the negative and the positive total)."""
    scale = max(len(decimal_text(exact(points)).partition(".")[2]) for points, _ in parts)
    positive = sum(exact(p) for p, _ in parts if p > 0)
    negative = -sum(exact(p) for p, _ in parts if p < 0)
    precision = len(str(int(max(positive, negative, 1)))) + scale

    def literal(value: int | Fraction) -> exp.Expression:
        return Dec.cast(exp.Literal.number(decimal_text(exact(value))), precision, scale).sql

    total = None
    for points, term in parts:
        held = term.value.sql
        part = exp.Case(ifs=[exp.If(this=is_null(held), true=literal(unknown(points))),
                             exp.If(this=held, true=literal(points))], default=literal(0))
        total = part if total is None else Dec.cast(exp.Add(this=total, expression=part), precision, scale).sql
    return Number(Dec(total, precision, scale))


@_compile.register
def _(expr: ast.IfThenElse, names: Names) -> Term:
    return choose([(names.compile(expr.condition), names.compile(expr.then)), (None, names.compile(expr.otherwise))],
                  None)


@_compile.register
def _(expr: ast.Not, names: Names) -> Term:
    inner = names.compile(expr.operand)
    return Term(Scalar(exp.Not(this=paren(inner.value.sql))), inner.error)


@_compile.register
def _(expr: ast.And, names: Names) -> Term:
    return _junction([names.compile(op) for op in expr.operands], exp.And, is_false)


@_compile.register
def _(expr: ast.Or, names: Names) -> Term:
    return _junction([names.compile(op) for op in expr.operands], exp.Or, is_true)


def _junction(operands: list[Term], kind: type, decides) -> Term:
    """`and` or `or` of the operands: SQL's Kleene value; an operand's error counts only when no
    operand before it decided (`decides`: FALSE for `and`, TRUE for `or`)."""
    value = paren(operands[0].value.sql)
    for operand in operands[1:]:
        value = kind(this=value, expression=paren(operand.value.sql))
    error = None
    for operand in reversed(operands):
        error = first_error(operand.error, error_unless(decides(operand.value.sql), error)) \
            if error is not None else operand.error
    return Term(Scalar(exp.Paren(this=value)), error)


# --- choosing among values: derived values' cases and `if` ---------------------------------------

def choose(cases: list[tuple[Term | None, Term]], gap: exp.Expression | None) -> Term:
    """Cases as one CASE: the outcome of the first whose guard holds; NULL at the first undecided
    guard; the `gap` error when none holds (a last case without a guard always holds)."""
    if len(cases) == 1 and cases[0][0] is None:
        return cases[0][1]
    ifs: list[tuple[exp.Expression, Value | None]] = []
    default = None
    for guard, outcome in cases:
        if guard is None:
            default = outcome.value
            break
        ifs += [(is_null(guard.value.sql), None), (guard.value.sql, outcome.value)]
    return Term(select(ifs, default), _case_error(cases, 0, gap))


def select(ifs: list[tuple[exp.Expression, Value | None]], default: Value | None) -> Value:
    """The value of the first condition that is TRUE (None: NULL), else `default`, as one CASE
    (numbers cast to one DECIMAL type; a Day stays a Day, a set keeps its values)."""
    chosen = [value for _, value in ifs] + [default]
    present = [value for value in chosen if value is not None]
    sample = present[0]

    def case(part: Callable[[object], exp.Expression]) -> exp.Expression:
        shown = [exp.Null() if value is None else part(value) for value in typed]
        return exp.Case(ifs=[exp.If(this=test, true=value) for (test, _), value in zip(ifs, shown)], default=shown[-1])

    if not isinstance(sample, Number):
        typed = chosen
        return sample.like(case(lambda value: value.sql))
    common = iter(_common(present))
    typed = [None if value is None else next(common) for value in chosen]
    numerators = [value.numerator for value in present]
    denominator = None
    if any(value.denominator is not None for value in present):
        denominator = Dec(case(lambda value: value.denominator.sql),
                          *_width([value.denominator for value in typed if value is not None]))
    kind = type(sample) if all(type(value) is type(sample) for value in present) else Number
    return kind(Dec(case(lambda value: value.numerator.sql), *_width(numerators)), denominator)


def _case_error(cases: list[tuple[Term | None, Term]], index: int, gap: exp.Expression | None) -> exp.Expression | None:
    """The error of choosing among cases from `index` on: a guard's, the chosen outcome's, or the gap
    when no case holds."""
    if index == len(cases):
        return gap
    guard, outcome = cases[index]
    if guard is None:
        return outcome.error
    rest = _case_error(cases, index + 1, gap)
    later = None
    if outcome.error is not None or rest is not None:
        later = exp.Case(ifs=[exp.If(this=is_null(guard.value.sql), true=exp.Null()),
                              exp.If(this=guard.value.sql, true=outcome.error or exp.Null())],
                         default=rest or exp.Null())
    return first_error(guard.error, later)


def _common(values: list[Number]) -> list[Number]:
    """Numbers cast to one DECIMAL type (and all with a denominator when any has one)."""
    numerators = [v.numerator for v in values]
    precision, scale = _width(numerators)
    with_denominator = any(v.denominator is not None for v in values)
    one = Dec.cast(exp.Literal.number(1), 1, 0)
    denominators = [v.denominator or one for v in values]
    den_type = _width(denominators)
    return [Number(Dec.cast(v.numerator.sql, precision, scale),
                   Dec.cast(d.sql, *den_type) if with_denominator else None)
            for v, d in zip(values, denominators)]


def _width(decimals: list[Dec]) -> tuple[int, int]:
    """The DECIMAL type that holds each of these exactly."""
    scale = max(d.scale for d in decimals)
    return max(d.precision - d.scale for d in decimals) + scale, scale
