"""The one canonical printer: AST back to DSL text, for labels, messages and round trips."""
from __future__ import annotations

from functools import singledispatch

from . import ast

# Binding strength of each construct; a child binding more loosely than its slot is parenthesised.
_OR, _AND, _NOT, _COMPARE, _SUM, _PRODUCT, _UNARY, _ATOM = range(1, 9)


def show(expr: ast.Expr) -> str:
    """An expression in DSL syntax with only the parentheses its meaning needs."""
    return _print(expr)[0]


def number(value: int | float) -> str:
    """A number as the grammar writes it: digits, an optional fraction, no exponent."""
    if isinstance(value, int) or value != value or value in (float("inf"), float("-inf")):
        return str(value)
    text = f"{value:.15f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def show_type(type_: ast.Type) -> str:
    """A declared type in DSL syntax."""
    if isinstance(type_, ast.EnumType):
        return " | ".join(type_.values)
    if isinstance(type_, ast.BooleanType):
        return "boolean"
    keyword = "integer" if isinstance(type_, ast.IntegerType) else "number"
    if type_.low is None:
        return keyword
    return f"{keyword} {number(type_.low)}..{number(type_.high)}"


def _wrap(expr: ast.Expr, slot: int) -> str:
    """Print a child, parenthesised when it binds more loosely than `slot` requires."""
    text, strength = _print(expr)
    return f"({text})" if strength < slot else text


@singledispatch
def _print(expr) -> tuple[str, int]:
    raise TypeError(f"not an expression: {expr!r}")


@_print.register
def _(expr: ast.Ref):
    return expr.name, _ATOM


@_print.register
def _(expr: ast.Symbol):
    return expr.name, _ATOM


@_print.register
def _(expr: ast.Literal):
    if isinstance(expr.value, bool):
        return ("true" if expr.value else "false"), _ATOM
    return number(expr.value), _ATOM


@_print.register
def _(expr: ast.Neg):
    return "-" + _wrap(expr.operand, _UNARY), _UNARY


@_print.register
def _(expr: ast.Arith):
    strength = _SUM if expr.op in "+-" else _PRODUCT
    return f"{_wrap(expr.left, strength)} {expr.op} {_wrap(expr.right, strength + 1)}", strength


@_print.register
def _(expr: ast.Compare):
    return f"{_wrap(expr.left, _SUM)} {expr.op} {_wrap(expr.right, _SUM)}", _COMPARE


@_print.register
def _(expr: ast.Presence):
    return f"{_wrap(expr.operand, _SUM)} is {'present' if expr.present else 'missing'}", _COMPARE


@_print.register
def _(expr: ast.IsValue):
    word = "is not" if expr.negated else "is"
    return f"{_wrap(expr.operand, _SUM)} {word} {expr.value.name}", _COMPARE


@_print.register
def _(expr: ast.InSet):
    items = ", ".join(_print(item)[0] for item in expr.items)
    word = "not in" if expr.negated else "in"
    return f"{_wrap(expr.operand, _SUM)} {word} {{{items}}}", _COMPARE


@_print.register
def _(expr: ast.Not):
    return "not " + _wrap(expr.operand, _NOT), _NOT


@_print.register
def _(expr: ast.And):
    return " and ".join(_wrap(op, _NOT) for op in expr.operands), _AND


@_print.register
def _(expr: ast.Or):
    return " or ".join(_wrap(op, _AND) for op in expr.operands), _OR
