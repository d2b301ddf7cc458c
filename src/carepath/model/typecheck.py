"""Stage 2, type checking: guard expressions checked against the declared facts and derived values."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping

from ..errors import Diagnostic, did_you_mean, error
from ..expr.dates import months_apart
from ..syntax import ast
from ..syntax.printer import number, show
from ..syntax.units import unit_of


@dataclass(frozen=True)
class Numeric:
    """The type of a numeric expression, with the range it can take when known."""

    integer: bool
    low: int | Fraction | None = None
    high: int | Fraction | None = None


BOOLEAN = ast.BooleanType()
ExprType = ast.BooleanType | ast.EnumType | Numeric | None


def as_expr_type(declared: ast.Type) -> ExprType:
    """The expression type of a declared fact or derived type."""
    if isinstance(declared, (ast.IntegerType, ast.NumberType)):
        return Numeric(isinstance(declared, ast.IntegerType), declared.low, declared.high)
    return declared


def describe(type_: ExprType) -> str:
    """A type in words for messages."""
    if isinstance(type_, Numeric):
        return "an integer" if type_.integer else "a number"
    if isinstance(type_, ast.EnumType):
        return "one of " + " | ".join(type_.values)
    if isinstance(type_, ast.DateType):
        return "a date"
    if isinstance(type_, ast.SetType):
        return "a set of " + " | ".join(type_.values)
    return "true or false"


class TypeChecker:
    """Infers expression types, reporting every error found into a shared list."""

    def __init__(self, names: Mapping[str, ast.Type], enum_values: Mapping[str, str],
                 report: Callable[[Diagnostic], None], units: Mapping[str, str] | None = None):
        self.names = names
        self.enum_values = enum_values
        self.report = report
        self.units = units or {}  # the declared unit of each name that has one, for messages

    def guard(self, expr: ast.Expr) -> None:
        """Check that an expression is a well-typed condition."""
        self.expect(expr, BOOLEAN, "a condition")

    def expect(self, expr: ast.Expr, wanted: ExprType, role: str) -> None:
        """Check `expr` has the wanted type; report once if it does not."""
        got = self.infer(expr)
        if got is None or wanted is None:
            return
        if isinstance(wanted, Numeric) and isinstance(got, Numeric):
            if wanted.integer and not got.integer:
                self.report(error(f"{role} must be an integer, but `{show(expr)}` may be fractional",
                                  expr.span, kind="type"))
            return
        if type(got) is not type(wanted) or (isinstance(got, ast.EnumType) and got != wanted):
            self.report(error(f"{role} must be {describe(wanted)}, but `{show(expr)}` is {describe(got)}",
                              expr.span, kind="type"))

    def infer(self, expr: ast.Expr) -> ExprType:
        """The type of an expression, or None after reporting an error inside it."""
        return getattr(self, "_" + type(expr).__name__.lower())(expr)

    def _ref(self, expr: ast.Ref) -> ExprType:
        if expr.name in self.names:
            return as_expr_type(self.names[expr.name])
        hint = did_you_mean(expr.name, self.names)
        if not hint and expr.name in self.enum_values:
            fact = self.enum_values[expr.name]
            hint = f"`{expr.name}` is a value of `{fact}`: write `{fact} is {expr.name}`"
        self.report(error(f"unknown fact `{expr.name}`", expr.span, kind="name", hint=hint))
        return None

    def _symbol(self, expr: ast.Symbol) -> ExprType:
        self.report(error(f"`{expr.name}` is an enumeration value; it can only follow `is` or stand in a set",
                          expr.span, kind="type"))
        return None

    def _literal(self, expr: ast.Literal) -> ExprType:
        if isinstance(expr.value, bool):
            return BOOLEAN
        return Numeric(isinstance(expr.value, int), expr.value, expr.value)

    def _duration(self, expr: ast.Duration) -> ExprType:
        if expr.months:
            self.report(error(f"`{show(expr)}`: calendar months move a date (`today - 6 months`) or measure the "
                              "time between two dates (`today - surgery > 3 months`); for other lengths of time, "
                              "write days or weeks", expr.span, kind="type"))
            return None
        days = expr.days
        return Numeric(isinstance(days, int), days, days)

    def _neg(self, expr: ast.Neg) -> ExprType:
        inner = self._numeric(expr.operand)
        return Numeric(inner.integer) if inner else None

    def _arith(self, expr: ast.Arith) -> ExprType:
        left = self.infer(expr.operands[0])
        for index in range(1, len(expr.operands)):
            left = self._arith_step(expr, index, left)
        return left

    def _arith_step(self, expr: ast.Arith, index: int, left: ExprType) -> ExprType:
        """The type of the chain up to operand `index`, given the type of the chain before it; messages name
        that part of the chain (`ast.arith_prefix`)."""
        op, right_expr = expr.operators[index - 1], expr.operands[index]
        if op == "/" and _literal_value(right_expr) == 0:
            self.report(error(f"`{show(ast.arith_prefix(expr, index))}` divides by zero", right_expr.span,
                              kind="division_by_zero"))
        if isinstance(right_expr, ast.Duration) and right_expr.months:
            return self._month_shift(expr, index, left)
        right = self.infer(right_expr)
        if isinstance(left, ast.DateType) or isinstance(right, ast.DateType):
            return self._date_arith(expr, index, left, right)
        if left is not None and not isinstance(left, Numeric):
            left = self._as_numeric(ast.arith_prefix(expr, index - 1), left)
        right = self._as_numeric(right_expr, right)
        if left and right:
            return Numeric(left.integer and right.integer and op != "/")
        return None

    def _month_shift(self, expr: ast.Arith, index: int, left: ExprType) -> ExprType:
        """`date + N months`, `date - N months`: a date, for a whole number of months."""
        months = expr.operands[index]
        if not isinstance(months.amount, int):
            self.report(error(f"`{show(months)}`: a whole number of months", months.span, kind="type"))
            return None
        if expr.operators[index - 1] in "+-" and isinstance(left, ast.DateType):
            return ast.DateType()
        if left is not None:
            step = ast.arith_prefix(expr, index)
            self.report(error(f"`{show(step)}`: calendar months only move a date (`today - 6 months`)",
                              step.span, kind="type"))
        return None

    def _date_arith(self, expr: ast.Arith, index: int, left: ExprType, right: ExprType) -> ExprType:
        """`date - date` is the days between (an integer); `date + days` and `date - days` are dates."""
        op = expr.operators[index - 1]
        if op == "-" and isinstance(left, ast.DateType) and isinstance(right, ast.DateType):
            return Numeric(True)
        if op in "+-" and isinstance(left, ast.DateType) and isinstance(right, Numeric) and right.integer:
            return ast.DateType()
        if left is not None and right is not None:
            step = ast.arith_prefix(expr, index)
            self.report(error(f"`{show(step)}`: a date minus a date gives the days between them, and a date plus or "
                              "minus a whole number of days (`12 weeks`) gives a date; nothing else works on dates",
                              step.span, kind="type"))
        return None

    def _numeric(self, expr: ast.Expr) -> Numeric | None:
        """Infer and require a numeric type."""
        return self._as_numeric(expr, self.infer(expr))

    def _as_numeric(self, expr: ast.Expr, got: ExprType) -> Numeric | None:
        """Require that an inferred type is numeric."""
        if got is not None and not isinstance(got, Numeric):
            self.report(error(f"arithmetic and ordering need numbers, but `{show(expr)}` is {describe(got)}",
                              expr.span, kind="type"))
            return None
        return got

    def _compare(self, expr: ast.Compare) -> ExprType:
        if months_apart(expr) is not expr:
            return self._months_apart(expr)
        if expr.op in ("==", "!="):
            return self._equality(expr)
        left, right = self.infer(expr.left), self.infer(expr.right)
        if isinstance(left, ast.DateType) and isinstance(right, ast.DateType):
            return BOOLEAN
        left, right = self._as_numeric(expr.left, left), self._as_numeric(expr.right, right)
        if left and right:
            self._within_range(expr, left, expr.left, expr.right)
            self._within_range(expr, right, expr.right, expr.left)
        return BOOLEAN

    def _months_apart(self, expr: ast.Compare) -> ExprType:
        """`a - b OP N months`: the time between two dates, in whole calendar months."""
        mirrored = not isinstance(expr.right, ast.Duration)  # `3 months < a - b`
        length, difference = (expr.left, expr.right) if mirrored else (expr.right, expr.left)
        later, earlier = (self.infer(operand) for operand in difference.operands)
        if not isinstance(length.amount, int):
            self.report(error(f"`{show(length)}`: a whole number of months", length.span, kind="type"))
        elif later is not None and earlier is not None and not (
                isinstance(later, ast.DateType) and isinstance(earlier, ast.DateType)):
            self.report(error(f"`{show(expr)}`: calendar months measure the time between two dates "
                              f"(`today - surgery > 3 months`), but `{show(difference)}` is not a date minus a date",
                              difference.span, kind="type"))
        return BOOLEAN

    def _equality(self, expr: ast.Compare) -> ExprType:
        left, right = self.infer(expr.left), self.infer(expr.right)
        if isinstance(left, ast.EnumType) or isinstance(right, ast.EnumType):
            self.report(error(f"compare an enumeration with `is` or `in {{...}}`, not `{expr.op}`",
                              expr.span, kind="type"))
        elif left is not None and right is not None and type(left) is not type(right):
            self.report(error(f"`{show(expr)}` compares {describe(left)} with {describe(right)}",
                              expr.span, kind="type"))
        elif isinstance(left, Numeric) and isinstance(right, Numeric):
            self._within_range(expr, left, expr.left, expr.right)
            self._within_range(expr, right, expr.right, expr.left)
        return BOOLEAN

    def _within_range(self, expr: ast.Compare, declared: Numeric, ranged: ast.Expr, other: ast.Expr) -> None:
        """A literal compared with a ranged value must lie inside its range (both shown in the value's unit)."""
        value = _literal_value(other)
        if value is None or declared.low is None or declared.high is None:
            return
        if not declared.low <= value <= declared.high:
            unit = unit_of(ranged, self.units)
            shown = f" {unit}" if unit else ""
            self.report(error(f"`{show(expr)}` compares with {number(value)}{shown}, outside the declared range "
                              f"{number(declared.low)}..{number(declared.high)}{shown}", other.span, kind="range"))

    def _presence(self, expr: ast.Presence) -> ExprType:
        if not isinstance(expr.operand, ast.Ref):
            self.report(error("only a fact or derived value can be missing or present", expr.operand.span,
                              kind="type"))
        else:
            self.infer(expr.operand)
        return BOOLEAN

    def _isvalue(self, expr: ast.IsValue) -> ExprType:
        self._members(expr.operand, (expr.value,))
        return BOOLEAN

    def _inset(self, expr: ast.InSet) -> ExprType:
        self._members(expr.operand, expr.items)
        return BOOLEAN

    def _members(self, operand: ast.Expr, items) -> None:
        """Each item must be a value of the operand's enumeration (or a number for a number)."""
        got = self.infer(operand)
        for item in items:
            if isinstance(got, ast.EnumType):
                self.enum_member(got, item, operand)
            elif isinstance(got, Numeric) and not isinstance(item, ast.Literal):
                self.report(error(f"`{item.name}` is not a number", item.span, kind="type"))
            elif got is not None and not isinstance(got, (ast.EnumType, Numeric)):
                self.report(error(f"`{show(operand)}` is {describe(got)}; `is` and `in` need an enumeration",
                                  operand.span, kind="type"))
                return

    def enum_member(self, enum: ast.EnumType, item, operand: ast.Expr) -> None:
        """Report an item that is not one of the enumeration's values."""
        name = getattr(item, "name", None)
        if name not in enum.values:
            shown = name if name is not None else item.value
            self.report(error(f"`{shown}` is not a value of `{show(operand)}` ({' | '.join(enum.values)})",
                              item.span, kind="name", hint=did_you_mean(str(shown), enum.values)))

    def _points(self, expr: ast.Points) -> ExprType:
        for criterion in expr.criteria:
            self.expect(criterion.guard, BOOLEAN, "a score's criterion")
        return _weighted_range(expr)

    def _count(self, expr: ast.Count) -> ExprType:
        for operand in expr.operands:
            self.expect(operand, BOOLEAN, "each item of `count`")
        return _weighted_range(expr)

    def _ifthenelse(self, expr: ast.IfThenElse) -> ExprType:
        self.expect(expr.condition, BOOLEAN, "the condition of `if`")
        then, otherwise = self.infer(expr.then), self.infer(expr.otherwise)
        if then is None or otherwise is None:
            return None
        if isinstance(then, Numeric) and isinstance(otherwise, Numeric):
            return _hull(then, otherwise)
        if type(then) is not type(otherwise) or then != otherwise:
            self.report(error(f"the two outcomes of `{show(expr)}` differ: {describe(then)} and "
                              f"{describe(otherwise)}", expr.span, kind="type"))
            return None
        return then

    def _has(self, expr: ast.Has) -> ExprType:
        self._set_items(expr.operand, expr.items)
        return BOOLEAN

    def _numberof(self, expr: ast.NumberOf) -> ExprType:
        values = self._set_items(expr.operand, expr.items or ())
        return Numeric(True, 0, len(expr.items if expr.items is not None else values or ())) if values else None

    def _set_items(self, operand: ast.Expr, items) -> tuple[str, ...] | None:
        """The values of a set-typed operand, each item checked against them; None after an error."""
        got = self.infer(operand)
        if got is None:
            return None
        if not isinstance(got, ast.SetType):
            self.report(error(f"`has` and `number of` need a set, but `{show(operand)}` is {describe(got)}",
                              operand.span, kind="type"))
            return None
        for item in items:
            if item.name not in got.values:
                self.report(error(f"`{item.name}` is not a value of `{show(operand)}` ({' | '.join(got.values)})",
                                  item.span, kind="name", hint=did_you_mean(item.name, got.values)))
        return got.values

    def _not(self, expr: ast.Not) -> ExprType:
        self.expect(expr.operand, BOOLEAN, "the operand of `not`")
        return BOOLEAN

    def _and(self, expr: ast.And) -> ExprType:
        for operand in expr.operands:
            self.expect(operand, BOOLEAN, "each side of `and`")
        return BOOLEAN

    def _or(self, expr: ast.Or) -> ExprType:
        for operand in expr.operands:
            self.expect(operand, BOOLEAN, "each side of `or`")
        return BOOLEAN


def _weighted_range(expr: ast.Points | ast.Count) -> Numeric:
    """A score's or a count's type: from the sum of its negative points to the sum of its positive ones."""
    values = [points for points, _ in ast.weighted(expr)]
    return Numeric(all(isinstance(v, int) for v in values), sum(v for v in values if v < 0),
                   sum(v for v in values if v > 0))


def _hull(a: Numeric, b: Numeric) -> Numeric:
    """The type of a value that is one of two numbers: the range covering both, when both are known."""
    if a.low is None or b.low is None:
        return Numeric(a.integer and b.integer)
    return Numeric(a.integer and b.integer, min(a.low, b.low), max(a.high, b.high))


def _literal_value(expr: ast.Expr) -> int | Fraction | None:
    """The value of a numeric literal, possibly negated; None for anything else."""
    if isinstance(expr, ast.Literal) and not isinstance(expr.value, bool):
        return expr.value
    if isinstance(expr, ast.Neg) and isinstance(expr.operand, ast.Literal) and not isinstance(expr.operand.value, bool):
        return -expr.operand.value
    return None
