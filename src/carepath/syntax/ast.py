"""Stage 1, syntax: the tree of a pathway, frozen dataclasses whose spans do not take part in equality."""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Union

from ..errors import Span


def _span() -> Span | None:
    """A span field that equality and hashing ignore."""
    return field(default=None, compare=False, repr=False)


# --- expressions -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Ref:
    """A name read as a value: a fact or a derived value."""

    name: str
    span: Span | None = _span()


@dataclass(frozen=True)
class Symbol:
    """An enumeration value written by name (`is none`, `in {low, high}`)."""

    name: str
    span: Span | None = _span()


@dataclass(frozen=True)
class Literal:
    """A number or boolean written in the text."""

    value: bool | int | Fraction
    span: Span | None = _span()


@dataclass(frozen=True)
class Duration:
    """A length of time written with its unit (`12 weeks`); its value is the number of days."""

    amount: int | Fraction
    unit: str
    span: Span | None = _span()

    @property
    def months(self) -> bool:
        """Whether this is a number of calendar months (which only moves a date)."""
        return self.unit in ("month", "months")

    @property
    def days(self) -> int | Fraction:
        """The duration in days, exactly (not for months, whose length varies)."""
        from ..expr.dates import DAYS_IN

        return self.amount * DAYS_IN[self.unit]


@dataclass(frozen=True)
class Neg:
    """Arithmetic negation."""

    operand: "Expr"
    span: Span | None = _span()


@dataclass(frozen=True)
class Arith:
    """Arithmetic of one precedence level, evaluated left to right: `a + b - c` or `a * b / c`.

    One node holds the whole chain (two or more operands, an operator between each two), so a sum
    of any length is one level deep; `a + b * c` is a sum whose second operand is a product."""

    operands: tuple["Expr", ...]
    operators: tuple[str, ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class Compare:
    """A comparison: == != < <= > >=."""

    op: str
    left: "Expr"
    right: "Expr"
    span: Span | None = _span()


@dataclass(frozen=True)
class Presence:
    """`x is present` (present=True) or `x is missing` (present=False)."""

    operand: "Expr"
    present: bool
    span: Span | None = _span()


@dataclass(frozen=True)
class IsValue:
    """`x is value` or `x is not value` for an enumeration."""

    operand: "Expr"
    value: Symbol
    negated: bool = False
    span: Span | None = _span()


@dataclass(frozen=True)
class InSet:
    """`x in {a, b}` or `x not in {a, b}`."""

    operand: "Expr"
    items: tuple[Union[Symbol, Literal], ...]
    negated: bool = False
    span: Span | None = _span()


@dataclass(frozen=True)
class Has:
    """`x has a` (mode one), `x has any of {a, b}`, `x has all of {a, b}` for a set."""

    operand: "Expr"
    items: tuple[Symbol, ...]
    mode: str = "one"
    span: Span | None = _span()


@dataclass(frozen=True)
class NumberOf:
    """`number of x`: how many values a set holds; `number of x in {a, b}`: how many of those."""

    operand: "Ref"
    items: tuple[Symbol, ...] | None = None
    span: Span | None = _span()


@dataclass(frozen=True)
class Not:
    """Boolean negation."""

    operand: "Expr"
    span: Span | None = _span()


@dataclass(frozen=True)
class And:
    """Conjunction of two or more operands."""

    operands: tuple["Expr", ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class Or:
    """Disjunction of two or more operands."""

    operands: tuple["Expr", ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class Criterion:
    """One line of a score: `points N when GUARD`."""

    points: int | Fraction
    guard: "Expr"
    span: Span | None = _span()


@dataclass(frozen=True)
class Points:
    """The body of a score: the sum of the points of every criterion whose guard holds."""

    criteria: tuple[Criterion, ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class Count:
    """`count(a, b, c)`: how many of the conditions hold."""

    operands: tuple["Expr", ...]
    span: Span | None = _span()


@dataclass(frozen=True)
class IfThenElse:
    """`if CONDITION then A else B`: A where the condition holds, B where it does not."""

    condition: "Expr"
    then: "Expr"
    otherwise: "Expr"
    span: Span | None = _span()


Expr = Union[Ref, Symbol, Literal, Duration, Neg, Arith, Compare, Presence, IsValue, InSet, Not, And, Or, Points, Count,
             IfThenElse, Has, NumberOf]


def weighted(expr: Union[Points, Count]) -> tuple[tuple[int | Fraction, "Expr"], ...]:
    """(points, condition) of a score's criteria, or of a count's operands (one point each)."""
    if isinstance(expr, Count):
        return tuple((1, operand) for operand in expr.operands)
    return tuple((c.points, c.guard) for c in expr.criteria)


# --- types -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class BooleanType:
    """true or false."""


@dataclass(frozen=True)
class IntegerType:
    """A whole number, optionally within an inclusive range."""

    low: int | Fraction | None = None
    high: int | Fraction | None = None


@dataclass(frozen=True)
class NumberType:
    """A real number, optionally within an inclusive range."""

    low: int | Fraction | None = None
    high: int | Fraction | None = None


@dataclass(frozen=True)
class DateType:
    """A calendar day, given in a case as ISO 8601 text (YYYY-MM-DD)."""


@dataclass(frozen=True)
class SetType:
    """A set of a fixed list of named values (current medicines, tender sites); a case gives a list."""

    values: tuple[str, ...]


@dataclass(frozen=True)
class EnumType:
    """One of a fixed set of named values."""

    values: tuple[str, ...]


Type = Union[BooleanType, IntegerType, NumberType, EnumType, DateType, SetType]


# --- declarations ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Header:
    """The pathway's identity: name, title, version, release date, authors."""

    name: str
    title: str
    version: str | None = None
    released: str | None = None
    authors: tuple[str, ...] = ()
    span: Span | None = _span()


@dataclass(frozen=True)
class Source:
    """A cited document: a seed file name or a guideline title, and an optional title."""

    name: str
    reference: str
    title: str | None = None
    span: Span | None = _span()


@dataclass(frozen=True)
class Fact:
    """A case input with its type, optionality, unit and meaning."""

    name: str
    type: Type
    optional: bool = False
    unit: str | None = None
    description: str | None = None
    span: Span | None = _span()


@dataclass(frozen=True)
class Require:
    """A constraint between facts that every case must satisfy."""

    condition: Expr
    span: Span | None = _span()


@dataclass(frozen=True)
class Case:
    """One `when guard -> outcome` of a derived value; guard None means `otherwise`."""

    guard: Expr | None
    outcome: Expr
    span: Span | None = _span()


@dataclass(frozen=True)
class Derived:
    """A value computed from facts, defined once: an expression or a list of cases."""

    name: str
    type: Type
    cases: tuple[Case, ...]
    first_match: bool = False
    title: str | None = None
    citations: tuple[Citation, ...] = ()
    constant: bool = False  # written `constant NAME = NUMBER`: a named threshold
    unit: str | None = None
    span: Span | None = _span()

    @property
    def score(self) -> Points | None:
        """The criteria when this value is a points score (`score NAME ...`), else None."""
        outcome = self.cases[0].outcome
        return outcome if isinstance(outcome, Points) else None


@dataclass(frozen=True)
class Branch:
    """One branch of a decision; guard None means `otherwise`."""

    guard: Expr | None
    target: str
    target_span: Span | None = _span()
    span: Span | None = _span()


@dataclass(frozen=True)
class Decision:
    """A question with ordered branches, exclusive unless `first match`."""

    name: str
    title: str
    branches: tuple[Branch, ...]
    first_match: bool = False
    section: str | None = None
    span: Span | None = _span()


@dataclass(frozen=True)
class Citation:
    """A cited source by name, with an optional locator inside it (section, recommendation) and quote."""

    source: str
    locator: str | None = None
    quote: str | None = None
    span: Span | None = _span()


@dataclass(frozen=True)
class Caution:
    """A warning attached to a recommendation, with its sources."""

    text: str
    citations: tuple[Citation, ...] = ()
    guard: Expr | None = None  # shown only where this holds (or is not yet known)
    span: Span | None = _span()


@dataclass(frozen=True)
class Recommendation:
    """A coded recommendation with text, citations, cautions and an optional guard."""

    code: str
    text: str
    citations: tuple[Citation, ...]
    guard: Expr | None = None
    cautions: tuple[Caution, ...] = ()
    urgency: str | None = None
    span: Span | None = _span()


@dataclass(frozen=True)
class Step:
    """A step that emits recommendations, then jumps to another node or stops."""

    name: str
    title: str
    recommendations: tuple[Recommendation, ...]
    next: str | None
    urgency: str | None = None
    section: str | None = None
    next_span: Span | None = _span()
    span: Span | None = _span()


@dataclass(frozen=True)
class Invariant:
    """An author-declared safety property: `never`/`always CODE when EXPR`, `never A with B`."""

    kind: str
    code: str
    condition: Expr | None = None
    other: str | None = None
    alternatives: tuple[str, ...] = ()  # `always a or b or c when ...`: the codes after the first
    span: Span | None = _span()

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code the invariant names, in order."""
        return (self.code, *self.alternatives) + ((self.other,) if self.other else ())


@dataclass(frozen=True)
class Accept:
    """`accept KIND at NAME "reason"`: a finding of that kind (at that node or derived value) is intended."""

    kind: str
    at: str | None
    reason: str
    span: Span | None = _span()


Node = Union[Decision, Step]


@dataclass(frozen=True)
class Document:
    """A whole pathway file as written, in source order."""

    header: Header
    sources: tuple[Source, ...] = ()
    facts: tuple[Fact, ...] = ()
    requires: tuple[Require, ...] = ()
    derived: tuple[Derived, ...] = ()
    starts: tuple[Ref, ...] = ()
    nodes: tuple[Node, ...] = ()
    invariants: tuple[Invariant, ...] = ()
    accepts: tuple[Accept, ...] = ()
    span: Span | None = _span()


def recommendations(nodes) -> list[Recommendation]:
    """Every recommendation of every step among `nodes`, in source order."""
    return [rec for node in nodes if isinstance(node, Step) for rec in node.recommendations]


def cited_sources(rec: Recommendation) -> list[str]:
    """The names of the sources a recommendation and its cautions cite, in source order."""
    return [c.source for c in rec.citations + tuple(c for caution in rec.cautions for c in caution.citations)]


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of an expression."""
    if isinstance(expr, (And, Or, Count)):
        return expr.operands
    if isinstance(expr, Points):
        return tuple(c.guard for c in expr.criteria)
    if isinstance(expr, IfThenElse):
        return (expr.condition, expr.then, expr.otherwise)
    if isinstance(expr, Arith):
        return expr.operands
    if isinstance(expr, Compare):
        return (expr.left, expr.right)
    if isinstance(expr, (Neg, Not, Presence, IsValue, InSet, Has, NumberOf)):
        return (expr.operand,)
    return ()


def sums(op: str) -> bool:
    """Whether an arithmetic operator is of the sum level (`+ -`) rather than the product level (`* /`)."""
    return op in "+-"


def arith(operands: tuple[Expr, ...], operators: tuple[str, ...], span: Span | None = None) -> Arith:
    """A chain of one level; a first operand that is itself a chain of that level is spliced in, so
    `(a + b) + c` and `a + b + c` are one node, as they mean the same."""
    first = operands[0]
    if isinstance(first, Arith) and sums(first.operators[0]) == sums(operators[0]):
        return Arith(first.operands + tuple(operands[1:]), first.operators + tuple(operators), span=span)
    return Arith(tuple(operands), tuple(operators), span=span)


def arith_prefix(expr: Arith, end: int) -> Expr:
    """The chain up to operand `end` as a node of its own (`a + b` inside `a + b - c` for end 1), located
    from the chain's start to that operand's end: what a message about that step names."""
    if end == 0:
        return expr.operands[0]
    if end == len(expr.operands) - 1:
        return expr
    last = expr.operands[end].span
    span = None if expr.span is None or last is None else \
        Span(expr.span.source, expr.span.line, expr.span.column, last.end_line, last.end_column)
    return Arith(expr.operands[:end + 1], expr.operators[:end], span=span)


def case_expressions(value: Derived) -> list[Expr]:
    """The guards and outcomes of a derived value's cases, in source order."""
    return [e for c in value.cases for e in (c.guard, c.outcome) if e is not None]


def walk(expr: Expr) -> list[Expr]:
    """Every sub-expression, the expression first, in source order (iteratively, for deep ones)."""
    found, stack = [], [expr]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(children(node)))
    return found


def refs(expr: Expr) -> list[Ref]:
    """Every Ref in an expression, in source order."""
    return [node for node in walk(expr) if isinstance(node, Ref)]


def node_guards(node: Node) -> list[tuple[int, Expr]]:
    """(index, guard) of a decision's branches or a step's recommendations that have a guard."""
    parts = node.branches if isinstance(node, Decision) else node.recommendations
    return [(i, part.guard) for i, part in enumerate(parts) if part.guard is not None]
