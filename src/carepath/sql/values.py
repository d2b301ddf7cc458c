"""Stage 3 in SQL: values as sqlglot expressions that answer the DSL's operators exactly.

The executor's operator table (`expr.COMPARISONS`, `expr.ARITHMETIC`) is applied to these
classes as the checker applies it to z3 terms: `Scalar` wraps a boolean or enumeration value,
`Number` an exact rational kept as a DECIMAL numerator over a positive DECIMAL denominator (or
none, meaning 1). No SQL division is ever written: `/` multiplies crosswise and comparisons
cross-multiply, so every comparison is exact. Each DECIMAL's precision is tracked, and an
expression that would need more digits than SQL's DECIMAL holds is refused while compiling.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from sqlglot import exp

MAX_PRECISION = 38  # the widest DECIMAL of DuckDB, Spark and most warehouses


def paren(value: exp.Expression) -> exp.Expression:
    """A value in parentheses when it is compound, so that operators bind as the tree says (Spark's
    parser refuses a predicate on a predicate, such as `a IN (...) IS NULL`, unparenthesised)."""
    return value if isinstance(value, (exp.Column, exp.Literal, exp.Paren, exp.Boolean, exp.Null)) \
        else exp.Paren(this=value)


def any_of(tests: list[exp.Expression]) -> exp.Expression:
    """TRUE when any test is TRUE (FALSE for none)."""
    if not tests:
        return exp.false()
    joined = paren(tests[0])
    for test in tests[1:]:
        joined = exp.Or(this=joined, expression=paren(test))
    return exp.Paren(this=joined)


def all_of(tests: list[exp.Expression]) -> exp.Expression:
    """TRUE when every test is TRUE."""
    joined = paren(tests[0])
    for test in tests[1:]:
        joined = exp.And(this=joined, expression=paren(test))
    return exp.Paren(this=joined)


def sum_of(terms: list[exp.Expression]) -> exp.Expression:
    """The SQL sum of one or more terms, in parentheses."""
    total = terms[0]
    for term in terms[1:]:
        total = exp.Add(this=total, expression=term)
    return exp.Paren(this=total)


def cast_to(sql: exp.Expression, type_: str) -> exp.Cast:
    """CAST(sql AS type_), always written (sqlglot's `exp.cast` may drop a cast it deems redundant)."""
    return exp.Cast(this=sql, to=exp.DataType.build(type_, dialect="spark"))


def _decimal(precision: int, scale: int) -> exp.DataType:
    """The type DECIMAL(precision, scale), built rather than parsed from text (a 10,000-term sum casts
    10,000 times: parsing each took seconds)."""
    return exp.DataType(this=exp.DataType.Type.DECIMAL, nested=False,
                        expressions=[exp.DataTypeParam(this=exp.Literal.number(n)) for n in (precision, scale)])


class TooWide(Exception):
    """An expression needs more decimal digits than MAX_PRECISION; args: the digits needed and,
    once known, the span of the arithmetic."""


@dataclass(frozen=True)
class Dec:
    """A SQL DECIMAL expression with the precision and scale it is cast to."""

    sql: exp.Expression
    precision: int
    scale: int

    @staticmethod
    def cast(sql: exp.Expression, precision: int, scale: int) -> "Dec":
        """`sql` as DECIMAL(precision, scale), refused when wider than SQL allows."""
        if precision > MAX_PRECISION:
            raise TooWide(precision, None)
        return Dec(exp.Cast(this=sql, to=_decimal(precision, scale)), precision, scale)

    def __add__(self, other: "Dec") -> "Dec":
        return self._sum(other, exp.Add)

    def __sub__(self, other: "Dec") -> "Dec":
        return self._sum(other, exp.Sub)

    def _sum(self, other: "Dec", kind: type) -> "Dec":
        scale = max(self.scale, other.scale)
        digits = max(self.precision - self.scale, other.precision - other.scale) + 1
        return Dec.cast(kind(this=self.sql, expression=other.sql), digits + scale, scale)

    def __mul__(self, other: "Dec") -> "Dec":
        # Spark types a product DECIMAL(p1 + p2 + 1, s1 + s2); the cast back to p1 + p2 is exact.
        if self.precision + other.precision + 1 > MAX_PRECISION:
            raise TooWide(self.precision + other.precision + 1, None)
        product = exp.Mul(this=self.sql, expression=other.sql)
        return Dec.cast(product, self.precision + other.precision, self.scale + other.scale)

    def negated(self) -> "Dec":
        """-self, of the same type."""
        return Dec(exp.Neg(this=exp.Paren(this=self.sql)), self.precision, self.scale)


def decimal_literal(value: Fraction) -> Dec:
    """A finite decimal as a DECIMAL literal of exactly its digits."""
    text = decimal_text(value)
    sign, digits, exponent = Decimal(text).as_tuple()
    scale = max(0, -exponent)
    precision = max(len(digits), scale + 1)
    return Dec.cast(exp.Literal.number(text), precision, scale)


def decimal_text(value: Fraction) -> str:
    """The exact decimal text of a fraction whose expansion ends."""
    places = 0
    while (value * 10 ** places).denominator != 1:
        places += 1
    return format(Decimal(int(value * 10 ** places)).scaleb(-places), "f")


def exact(value: int | float | Fraction) -> Fraction:
    """A DSL number as an exact fraction; a float (before exact numbers land) by its shortest text."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def is_finite_decimal(value: Fraction) -> bool:
    """Whether a fraction's decimal expansion ends (its denominator has no prime but 2 and 5)."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


class Scalar:
    """A boolean or enumeration value in SQL (NULL when unknown); `==` and `!=` build SQL."""

    def __init__(self, sql: exp.Expression):
        self.sql = sql

    def __eq__(self, other: "Scalar") -> exp.Expression:  # type: ignore[override]
        return exp.EQ(this=self.sql, expression=other.sql)

    def __ne__(self, other: "Scalar") -> exp.Expression:  # type: ignore[override]
        return exp.NEQ(this=self.sql, expression=other.sql)

    __hash__ = None  # type: ignore[assignment]

    def known(self) -> exp.Expression:
        """TRUE when the value is known."""
        return exp.Not(this=exp.Is(this=paren(self.sql), expression=exp.Null()))

    def like(self, sql: exp.Expression) -> "Scalar":
        """A value of the same kind held by another expression (a column it was computed into)."""
        return Scalar(sql)


class Members(Scalar):
    """A set of enumeration values: an array of their names (NULL when unknown), each listed once.

    Sets are compared by membership, value by value, so the order of an array never matters."""

    def __init__(self, sql: exp.Expression, values: tuple[str, ...]):
        super().__init__(sql)
        self.values = values

    def like(self, sql: exp.Expression) -> "Members":
        return Members(sql, self.values)

    def has(self, value: str) -> exp.Expression:
        """Whether the set holds a value (NULL when the set is unknown)."""
        contains = exp.ArrayContains(this=paren(self.sql.copy()), expression=exp.Literal.string(value))
        return exp.Case(ifs=[exp.If(this=exp.Is(this=paren(self.sql.copy()), expression=exp.Null()), true=exp.Null())],
                        default=contains)

    def size(self) -> exp.Expression:
        """How many values the set holds (NULL when unknown; Spark's SIZE(NULL) is -1, hence the CASE)."""
        return exp.Case(ifs=[exp.If(this=exp.Is(this=paren(self.sql.copy()), expression=exp.Null()), true=exp.Null())],
                        default=exp.ArraySize(this=paren(self.sql.copy())))

    def _same(self, other: "Members") -> exp.Expression:
        """Whether two sets hold the same values (NULL when either is unknown)."""
        values = list(dict.fromkeys(self.values + other.values))
        return all_of([exp.EQ(this=self.has(v), expression=other.has(v)) for v in values])

    def __eq__(self, other: "Members") -> exp.Expression:  # type: ignore[override]
        return self._same(other)

    def __ne__(self, other: "Members") -> exp.Expression:  # type: ignore[override]
        return exp.Not(this=self._same(other))

    __hash__ = None  # type: ignore[assignment]


class Number:
    """An exact rational: numerator / denominator, the denominator positive (None means 1)."""

    def __init__(self, numerator: Dec, denominator: Dec | None = None):
        self.numerator, self.denominator = numerator, denominator

    @staticmethod
    def of(value: Fraction) -> "Number":
        """A constant, as one decimal literal or (when its expansion does not end) a quotient."""
        if is_finite_decimal(value):
            return Number(decimal_literal(value))
        return Number(decimal_literal(Fraction(value.numerator)), decimal_literal(Fraction(value.denominator)))

    __hash__ = None  # type: ignore[assignment]

    def like(self, numerator: Dec, denominator: Dec | None) -> "Number":
        """A number of the same kind (a Day stays a Day) held by other expressions."""
        return type(self)(numerator, denominator)

    def known(self) -> exp.Expression:
        """TRUE when the value is known."""
        return exp.Not(this=exp.Is(this=paren(self.numerator.sql), expression=exp.Null()))

    def is_zero(self) -> exp.Expression:
        """TRUE when the value is zero (NULL when unknown)."""
        return exp.EQ(this=self.numerator.sql, expression=exp.Literal.number(0))

    def _over(self, other: "Number") -> tuple[Dec, Dec]:
        """Both numerators over the common denominator (each times the other's denominator)."""
        return (_times(self.numerator, other.denominator), _times(other.numerator, self.denominator))

    def __add__(self, other: "Number") -> "Number":
        left, right = self._over(other)
        return Number(left + right, _product(self.denominator, other.denominator))

    def __sub__(self, other: "Number") -> "Number":
        left, right = self._over(other)
        return Number(left - right, _product(self.denominator, other.denominator))

    def __mul__(self, other: "Number") -> "Number":
        return Number(self.numerator * other.numerator, _product(self.denominator, other.denominator))

    def __truediv__(self, other: "Number") -> "Number":
        """self / other, the sign moved to the numerator; a zero divisor is the caller's to report.

        The numerator is NULL when the divisor is unknown (a NULL numerator is what `known()` and
        `is_zero()` read as unknown), hence a CASE with both signs tested rather than IF(d < 0, ...),
        whose NULL test would fall to the positive branch."""
        numerator = _times(self.numerator, other.denominator)
        magnitude = Dec(exp.Abs(this=other.numerator.sql), other.numerator.precision, other.numerator.scale)
        zero = exp.Literal.number(0)
        signed = Dec(exp.Case(ifs=[
            exp.If(this=exp.LT(this=other.numerator.sql, expression=zero), true=numerator.negated().sql),
            exp.If(this=exp.GTE(this=other.numerator.sql, expression=zero), true=numerator.sql)]),
            numerator.precision, numerator.scale)
        return Number(signed, _times(magnitude, self.denominator))

    def __neg__(self) -> "Number":
        return Number(self.numerator.negated(), self.denominator)

    def _compare(self, other: "Number", kind: type) -> exp.Expression:
        left, right = self._over(other)
        return kind(this=left.sql, expression=right.sql)

    def __eq__(self, other: "Number") -> exp.Expression:  # type: ignore[override]
        return self._compare(other, exp.EQ)

    def __ne__(self, other: "Number") -> exp.Expression:  # type: ignore[override]
        return self._compare(other, exp.NEQ)

    def __lt__(self, other: "Number") -> exp.Expression:
        return self._compare(other, exp.LT)

    def __le__(self, other: "Number") -> exp.Expression:
        return self._compare(other, exp.LTE)

    def __gt__(self, other: "Number") -> exp.Expression:
        return self._compare(other, exp.GT)

    def __ge__(self, other: "Number") -> exp.Expression:
        return self._compare(other, exp.GTE)


class Day(Number):
    """A date as its day number (0001-01-01 is day 1; see sql/dates.py): `day - day` is a number of
    days, `day + days` a day again."""


def _times(value: Dec, factor: Dec | None) -> Dec:
    """value * factor, or value itself when the factor is 1 (None)."""
    return value if factor is None else value * factor


def _product(a: Dec | None, b: Dec | None) -> Dec | None:
    """The product of two denominators (None is 1)."""
    if a is None or b is None:
        return a if b is None else b
    return a * b
