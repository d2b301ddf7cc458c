"""Stage 1, syntax: Lark's parse tree turned into the frozen AST, one method per grammar rule."""
from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction
from typing import Callable

from lark import Token, Tree

from ..errors import Diagnostic, PathwayError, SourceFile, Span, error
from ..expr.numbers import NotANumber, Number, normal, parse_decimal
from . import ast
from .printer import show


_ESCAPE = re.compile(r"\\(.)")


def _unquote(token: Token) -> str:
    """The text of a STRING token without its quotes; `\\"` and `\\\\` stand for `"` and `\\`."""
    return _ESCAPE.sub(lambda m: m.group(1) if m.group(1) in '"\\' else m.group(0), str(token)[1:-1])


def _number(token: Token, span: Span) -> Number:
    """The exact value of a number literal (`12.5` is 25/2); one too long to be meant is a located error."""
    try:
        return parse_decimal(str(token))
    except NotANumber as exc:
        raise PathwayError(error(str(exc), span, kind="syntax")) from None


def _symbols(outcome: ast.Expr, values: tuple[str, ...]) -> ast.Expr:
    """The outcomes of an `if ... then ... else` of an enumeration: a bare name that is one of its values
    is that value (other names stay references to facts or derived values)."""
    if isinstance(outcome, ast.Ref) and outcome.name in values:
        return ast.Symbol(outcome.name, span=outcome.span)
    if isinstance(outcome, ast.IfThenElse):
        return replace(outcome, then=_symbols(outcome.then, values), otherwise=_symbols(outcome.otherwise, values))
    return outcome


def score_type(points: ast.Points) -> ast.Type:
    """A score's inferred type: from the sum of its negative points to the sum of its positive ones."""
    values = [c.points for c in points.criteria]
    low, high = normal(Fraction(sum(v for v in values if v < 0))), normal(Fraction(sum(v for v in values if v > 0)))
    if all(isinstance(v, int) for v in values):
        return ast.IntegerType(low, high)
    return ast.NumberType(low, high)


# How to write a too-deep expression flatter, by the construct found at the limit.
_SHALLOWER = {
    "if_then_else": "write a long `if ... else if` chain as a derived value with one `when` case per condition",
    "not_": "`not not x` is `x`: drop pairs of `not`",
    "neg": "`- - x` is `x`: drop pairs of minus signs",
    None: "split it into derived values",
}


def _path(tree: Tree, target: Tree) -> list[str]:
    """The rule names from the root down to `target` (searched without recursion)."""
    stack: list[tuple[Tree, tuple]] = [(tree, ())]
    while stack:
        node, above = stack.pop()
        if node is target:
            path = []
            while above:
                path.append(above[0])
                above = above[1]
            return path
        stack.extend((child, (node.data, above)) for child in node.children if type(child) is Tree)
    return []


class ToAst:
    """Builds AST nodes with spans into one source file: a method per rule, called (meta, children)."""

    def __init__(self, source: SourceFile, max_depth: int):
        self._file = source
        self._max_depth = max_depth

    def transform(self, tree: Tree):
        """The AST of a parse tree, built bottom-up without recursion; too deep a tree is refused.

        Lark's Transformer would also try a callback per token and rebuild a v_args wrapper per
        node; this walk costs about half of that, and checks the depth on the way down."""
        methods: dict[str, Callable] = {}
        built: list = []
        stack: list[tuple[Tree, int]] = [(tree, 1)]
        while stack:
            node, depth = stack.pop()
            if depth > 0:
                if depth > self._max_depth:
                    raise PathwayError(self._too_deep(tree, node))
                subtrees = [(c, depth + 1) for c in reversed(node.children) if type(c) is Tree]
                stack.append((node, -len(subtrees)))
                stack.extend(subtrees)
                continue
            children = node.children
            if depth:
                done = iter(built[depth:])
                del built[depth:]
                children = [next(done) if type(c) is Tree else c for c in children]
            method = methods.get(node.data) or methods.setdefault(node.data, getattr(self, node.data))
            built.append(method(node.meta, list(children)))
        return built[0]

    def _too_deep(self, tree: Tree, node: Tree) -> Diagnostic:
        """The error for an expression nested beyond what later (recursive) stages accept, with a hint for
        the construct that nests most on the way down to it."""
        meta = node.meta
        span = Span(self._file, meta.line, meta.column, meta.line, meta.column + 1)
        kinds = [data for data in _path(tree, node) if data in _SHALLOWER]
        hint = _SHALLOWER[max(set(kinds), key=kinds.count) if kinds else None]
        return error(f"expression nested more than {self._max_depth} levels deep: each `not`, minus sign, "
                     "`if ... then ... else` (so each `else if`) and each sub-expression in parentheses or "
                     "`count(...)` inside another is one level, while a sum, a product, `and` or `or` of any "
                     "length is one", span, kind="syntax", hint=hint)

    def _span(self, meta) -> Span:
        return Span(self._file, meta.line, meta.column, meta.end_line, meta.end_column)

    def _tok(self, token: Token) -> Span:
        return Span(self._file, token.line, token.column, token.end_line, token.end_column)

    # --- the file ---------------------------------------------------------------------------
    def start(self, meta, children):
        header, *items = children
        kinds = ("source", "fact", "require", "derived", "start", "node", "invariant", "accept")
        groups: dict[str, list] = {k: [] for k in kinds}
        section = None
        for kind, item in items:
            if kind == "section":
                section = item
                continue
            if kind == "node":
                item = replace(item, section=section)
            groups[kind].append(item)
        return ast.Document(header, tuple(groups["source"]), tuple(groups["fact"]), tuple(groups["require"]),
                           tuple(groups["derived"]), tuple(groups["start"]), tuple(groups["node"]),
                           tuple(groups["invariant"]), tuple(groups["accept"]),
                           span=self._span(meta) if not meta.empty else None)

    def header(self, meta, children):
        name, title, *fields = children
        values = dict(fields)
        return ast.Header(str(name), _unquote(title), values.get("version"), values.get("released"),
                          values.get("authors", ()), span=self._span(meta))

    def version(self, meta, children):
        return ("version", _unquote(children[0]))

    def released(self, meta, children):
        return ("released", str(children[0]))

    def authors(self, meta, children):
        return ("authors", tuple(_unquote(c) for c in children))

    # --- declarations -----------------------------------------------------------------------
    def source(self, meta, children):
        name, reference, *title = children
        return ("source", ast.Source(str(name), _unquote(reference), _unquote(title[0]) if title else None,
                                     span=self._span(meta)))

    def fact(self, meta, children):
        name, *rest = children
        optional = bool(rest) and isinstance(rest[0], Token) and rest[0].type == "OPTIONAL"
        rest = rest[1:] if optional else rest
        type_, rest = rest[0], rest[1:]
        unit = rest.pop(0)[1] if rest and isinstance(rest[0], tuple) else None
        description = _unquote(rest[0]) if rest else None
        return ("fact", ast.Fact(str(name), type_, optional, unit, description, span=self._span(meta)))

    def unit(self, meta, children):
        return ("unit", _unquote(children[0]))

    def require(self, meta, children):
        return ("require", ast.Require(children[0], span=self._span(meta)))

    def derive_expr(self, meta, children):
        name, type_, value, *citations = children
        if isinstance(type_, ast.EnumType) and isinstance(value, ast.IfThenElse):
            value = _symbols(value, type_.values)
        case = ast.Case(None, value, span=value.span)
        return ("derived", ast.Derived(str(name), type_, (case,), citations=citations[0] if citations else (),
                                       span=self._span(meta)))

    def derive_cases(self, meta, children):
        name, type_, *rest = children
        first_match = bool(rest) and isinstance(rest[0], Token)
        rest = rest[1:] if first_match else rest
        citations = rest.pop(0) if rest and isinstance(rest[0], tuple) else ()
        cases = tuple(self._enum_outcome(c, type_) for c in rest)
        return ("derived", ast.Derived(str(name), type_, cases, first_match, citations=citations,
                                       span=self._span(meta)))

    def constant(self, meta, children):
        name, value, *rest = children
        unit = rest.pop(0)[1] if rest and rest[0][0] == "unit" else None
        literal = ast.Literal(value, span=self._span(meta))
        type_ = ast.IntegerType() if isinstance(value, int) else ast.NumberType()
        return ("derived", ast.Derived(str(name), type_, (ast.Case(None, literal, span=literal.span),),
                                       citations=rest[0] if rest else (), constant=True, unit=unit,
                                       span=self._span(meta)))

    @staticmethod
    def _enum_outcome(case: ast.Case, type_: ast.Type) -> ast.Case:
        """In an enumeration-typed derive, a bare outcome name is a value, not a fact."""
        if isinstance(type_, ast.EnumType) and isinstance(case.outcome, ast.Ref):
            return replace(case, outcome=ast.Symbol(case.outcome.name, span=case.outcome.span))
        if isinstance(type_, ast.EnumType) and isinstance(case.outcome, ast.IfThenElse):
            return replace(case, outcome=_symbols(case.outcome, type_.values))
        return case

    def score(self, meta, children):
        name, *rest = children
        title = _unquote(rest.pop(0)) if isinstance(rest[0], Token) else None
        citations = rest.pop(0) if isinstance(rest[0], tuple) else ()
        points = ast.Points(tuple(rest), span=self._span(meta))
        return ("derived", ast.Derived(str(name), score_type(points), (ast.Case(None, points, span=points.span),),
                                       title=title, citations=citations, span=self._span(meta)))

    def criterion(self, meta, children):
        return ast.Criterion(children[0], children[1], span=self._span(meta))

    def when_value(self, meta, children):
        return ast.Case(children[0], children[1], span=self._span(meta))

    def otherwise_value(self, meta, children):
        return ast.Case(None, children[0], span=self._span(meta))

    def start_at(self, meta, children):
        return ("start", ast.Ref(str(children[0]), span=self._tok(children[0])))

    def section(self, meta, children):
        return ("section", _unquote(children[0]))

    # --- types ------------------------------------------------------------------------------
    def boolean_type(self, meta, children):
        return ast.BooleanType()

    def integer_type(self, meta, children):
        return ast.IntegerType(*(children[0] if children else (None, None)))

    def number_type(self, meta, children):
        return ast.NumberType(*(children[0] if children else (None, None)))

    def set_type(self, meta, children):
        return ast.SetType(tuple(str(c) for c in children))

    def date_type(self, meta, children):
        return ast.DateType()

    def enum_type(self, meta, children):
        return ast.EnumType(tuple(str(c) for c in children))

    def range(self, meta, children):
        return tuple(children)

    def signed_number(self, meta, children):
        value = _number(children[-1], self._tok(children[-1]))
        return -value if len(children) == 2 else value

    # --- nodes ------------------------------------------------------------------------------
    def decision(self, meta, children):
        name, title, *rest = children
        first_match = bool(rest) and isinstance(rest[0], Token)
        branches = tuple(rest[1:] if first_match else rest)
        return ("node", ast.Decision(str(name), _unquote(title), branches, first_match, span=self._span(meta)))

    def branch(self, meta, children):
        guard, target = children
        return ast.Branch(guard, str(target), target_span=self._tok(target), span=self._span(meta))

    def otherwise(self, meta, children):
        target = children[0]
        return ast.Branch(None, str(target), target_span=self._tok(target), span=self._span(meta))

    def step(self, meta, children):
        name, title, *rest = children
        urgency = str(rest.pop(0)) if rest and isinstance(rest[0], Token) and rest[0].type == "URGENCY" else None
        urgency = None if urgency == "routine" else urgency  # a step without a mark is routine
        end = rest.pop()
        next_name, next_span = end if end else (None, None)
        return ("node", ast.Step(str(name), _unquote(title), tuple(rest), next_name, urgency,
                                 next_span=next_span, span=self._span(meta)))

    def jump(self, meta, children):
        return (str(children[0]), self._tok(children[0]))

    def stop(self, meta, children):
        return None

    def recommendation(self, meta, children):
        code, text, *rest = children
        urgency = str(rest.pop(0)) if isinstance(rest[0], Token) and rest[0].type == "URGENCY" else None
        citations = rest.pop(0)
        guard = rest.pop(0) if rest and not isinstance(rest[0], ast.Caution) else None
        return ast.Recommendation(str(code), _unquote(text), citations, guard, tuple(rest), urgency,
                                  span=self._span(meta))

    def citation(self, meta, children):
        return tuple(children)

    def cited(self, meta, children):
        name, *details = children
        return ast.Citation(str(name), span=self._span(meta), **dict(details))

    def cite_locator(self, meta, children):
        return ("locator", _unquote(children[0]))

    def cite_quote(self, meta, children):
        return ("quote", _unquote(children[0]))

    def rec_when(self, meta, children):
        return children[0]

    def rec_unless(self, meta, children):
        return ast.Not(children[0], span=self._span(meta))

    def caution(self, meta, children):
        text, *rest = children
        guard = rest.pop(0) if rest and not isinstance(rest[0], tuple) else None
        return ast.Caution(_unquote(text), rest[0] if rest else (), guard, span=self._span(meta))

    def accept(self, meta, children):
        kind, *at, reason = children
        return ("accept", ast.Accept(str(kind), str(at[0]) if at else None, _unquote(reason), span=self._span(meta)))

    def never_when(self, meta, children):
        return ("invariant", ast.Invariant("never", str(children[0]), children[1], span=self._span(meta)))

    def always_when(self, meta, children):
        *codes, condition = children
        return ("invariant", ast.Invariant("always", str(codes[0]), condition,
                                           alternatives=tuple(str(c) for c in codes[1:]), span=self._span(meta)))

    def never_with(self, meta, children):
        return ("invariant", ast.Invariant("never_with", str(children[0]), other=str(children[1]),
                                           span=self._span(meta)))

    # --- expressions ------------------------------------------------------------------------
    def or_(self, meta, children):
        return ast.Or(tuple(children), span=self._span(meta))

    def and_(self, meta, children):
        return ast.And(tuple(children), span=self._span(meta))

    def not_(self, meta, children):
        return ast.Not(children[0], span=self._span(meta))

    def compare(self, meta, children):
        left, op, right = children
        return ast.Compare(str(op), left, right, span=self._span(meta))

    def is_missing(self, meta, children):
        return ast.Presence(children[0], False, span=self._span(meta))

    def is_present(self, meta, children):
        return ast.Presence(children[0], True, span=self._span(meta))

    def is_value(self, meta, children):
        return ast.IsValue(children[0], self._symbol(children[1]), span=self._span(meta))

    def is_not_value(self, meta, children):
        return ast.IsValue(children[0], self._symbol(children[1]), True, span=self._span(meta))

    def in_set(self, meta, children):
        return ast.InSet(children[0], children[1], span=self._span(meta))

    def not_in_set(self, meta, children):
        return ast.InSet(children[0], children[1], True, span=self._span(meta))

    def has_value(self, meta, children):
        return ast.Has(children[0], (self._symbol(children[1]),), span=self._span(meta))

    def has_any(self, meta, children):
        return ast.Has(children[0], self._symbols(children[1]), "any", span=self._span(meta))

    def has_all(self, meta, children):
        return ast.Has(children[0], self._symbols(children[1]), "all", span=self._span(meta))

    def number_of(self, meta, children):
        operand = ast.Ref(str(children[0]), span=self._tok(children[0]))
        items = self._symbols(children[1]) if len(children) > 1 else None
        return ast.NumberOf(operand, items, span=self._span(meta))

    def _symbols(self, items: tuple) -> tuple[ast.Symbol, ...]:
        """A value set's items for a set fact: names only (a number there is reported by the type check)."""
        return tuple(i if isinstance(i, ast.Symbol) else ast.Symbol(show(i), span=i.span) for i in items)

    def value_set(self, meta, children):
        return tuple(self._symbol(c) if isinstance(c, Token) else c for c in children)

    def _symbol(self, token: Token) -> ast.Symbol:
        return ast.Symbol(str(token), span=self._tok(token))

    def if_then_else(self, meta, children):
        return ast.IfThenElse(*children, span=self._span(meta))

    def count(self, meta, children):
        return ast.Count(tuple(children[1:]), span=self._span(meta))

    def arith(self, meta, children):
        return ast.arith(children[0::2], tuple(str(op) for op in children[1::2]), span=self._span(meta))

    def neg(self, meta, children):
        return ast.Neg(children[1], span=self._span(meta))

    def ref(self, meta, children):
        return ast.Ref(str(children[0]), span=self._span(meta))

    def number(self, meta, children):
        return ast.Literal(_number(children[0], self._span(meta)), span=self._span(meta))

    def duration(self, meta, children):
        amount, unit = children
        return ast.Duration(_number(amount, self._span(meta)), str(unit), span=self._span(meta))

    def true(self, meta, children):
        return ast.Literal(True, span=self._span(meta))

    def false(self, meta, children):
        return ast.Literal(False, span=self._span(meta))
