"""Stage 1, syntax: guards and derived values in words, for readers who do not read the DSL."""
from __future__ import annotations

from dataclasses import replace
from functools import singledispatch
from typing import Iterable, Mapping

from . import ast
from .printer import number, show
from .units import Measured

_COMPARISONS = {">=": "is at least", "<=": "is at most", ">": "is more than", "<": "is less than",
                "==": "is", "!=": "is not"}
_ARITHMETIC = {"+": "+", "-": "\u2212", "*": "\u00d7", "/": "\u00f7"}


def say(expr: ast.Expr) -> str:
    """An expression as an English phrase: comparisons, sets and presence in words.

    Names stay as the DSL writes them (`fall_or_trauma`), so that one whose words contain `or`
    cannot be misread as two; their meanings are listed beside the phrase where it is shown."""
    return _say(expr)


def define(value: ast.Derived) -> list[str]:
    """A derived value's definition: one phrase, or one `outcome when phrase` line per case (after
    `the first that holds:` when the cases are tried in order)."""
    (first, *rest) = value.cases
    if first.guard is None and not rest:
        return [say(first.outcome)]
    lines = [f"{say(c.outcome)} {'when ' + say(c.guard) if c.guard is not None else 'otherwise'}"
             for c in value.cases]
    return ["the first that holds:", *lines] if value.first_match else lines


def derived_read(exprs: Iterable[ast.Expr], derived: Mapping[str, ast.Derived]) -> list[str]:
    """The derived values the expressions read, directly or through each other, in declaration order."""
    found: set[str] = set()
    stack = [ref.name for expr in exprs for ref in ast.refs(expr)]
    while stack:
        name = stack.pop()
        if name in derived and name not in found:
            found.add(name)
            stack.extend(ref.name for e in ast.case_expressions(derived[name]) for ref in ast.refs(e))
    return [name for name in derived if name in found]


def _group(expr: ast.Expr, parent: type) -> str:
    """A junction inside another junction, parenthesised so the grouping stays clear."""
    text = _say(expr)
    return f"({text})" if isinstance(expr, (ast.And, ast.Or)) and not isinstance(expr, parent) else text


def _value(expr: ast.Expr) -> str:
    """An operand of a comparison, a test or arithmetic: parenthesised unless it is a value or a sum."""
    text = _say(expr)
    return text if isinstance(expr, (ast.Ref, ast.Symbol, ast.Literal, ast.Duration, Measured, ast.Neg,
                                    ast.Arith)) else f"({text})"


def _choices(items: Iterable[str], last: str) -> str:
    """`a`, `a or b`, `a, b or c`."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


@singledispatch
def _say(expr) -> str:
    """An expression with no phrase of its own (scores, counts, dates, sets): its DSL text."""
    return show(expr)


@_say.register
def _(expr: ast.Ref) -> str:
    return expr.name


@_say.register
def _(expr: ast.Symbol) -> str:
    return expr.name


@_say.register
def _(expr: ast.Literal) -> str:
    if isinstance(expr.value, bool):
        return "true" if expr.value else "false"
    return number(expr.value)


@_say.register
def _(expr: ast.Neg) -> str:
    operand = expr.operand
    return f"\u2212{_say(operand)}" if isinstance(operand, (ast.Ref, ast.Literal)) else f"\u2212({_say(operand)})"


@_say.register
def _(expr: ast.Arith) -> str:
    parts = [_operand(expr.operands[0])]
    for op, operand in zip(expr.operators, expr.operands[1:]):
        parts += (_ARITHMETIC[op], _operand(operand))
    return " ".join(parts)


def _operand(expr: ast.Expr) -> str:
    """An operand of arithmetic: parenthesised when it is arithmetic of its own (the other level)."""
    return f"({_say(expr)})" if isinstance(expr, ast.Arith) else _value(expr)


@_say.register
def _(expr: ast.Compare) -> str:
    return f"{_value(expr.left)} {_COMPARISONS[expr.op]} {_value(expr.right)}"


@_say.register
def _(expr: ast.Presence) -> str:
    return f"{_value(expr.operand)} is {'recorded' if expr.present else 'not recorded'}"


@_say.register
def _(expr: ast.IsValue) -> str:
    return f"{_value(expr.operand)} is {'not ' if expr.negated else ''}{expr.value.name}"


@_say.register
def _(expr: ast.InSet) -> str:
    items = _choices((_say(item) for item in expr.items), "nor" if expr.negated else "or")
    return f"{_value(expr.operand)} is {'neither ' if expr.negated and len(expr.items) > 1 else ''}" \
           f"{'not ' if expr.negated and len(expr.items) == 1 else ''}{items}"


@_say.register
def _(expr: ast.Not) -> str:
    inner = expr.operand
    if isinstance(inner, (ast.IsValue, ast.InSet)):
        return _say(replace(inner, negated=not inner.negated))
    if isinstance(inner, ast.Presence):
        return _say(replace(inner, present=not inner.present))
    return f"not {_say(inner)}" if isinstance(inner, ast.Ref) else f"not ({_say(inner)})"


@_say.register
def _(expr: ast.And) -> str:
    return " and ".join(_group(e, ast.And) for e in expr.operands)


@_say.register
def _(expr: ast.Or) -> str:
    return " or ".join(_group(e, ast.Or) for e in expr.operands)
