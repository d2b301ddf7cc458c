"""Stage 1, syntax: the one canonical printer, AST back to DSL text, for labels, messages and round trips."""
from __future__ import annotations

from datetime import date
from functools import singledispatch
from typing import Any, Mapping

from ..expr.numbers import Number, show_number
from . import ast
from .units import Measured

OTHERWISE = "otherwise"
# Binding strength of each construct; a child binding more loosely than its slot is parenthesised.
_IF, _OR, _AND, _NOT, _COMPARE, _SUM, _PRODUCT, _UNARY, _ATOM = range(0, 9)


def show(expr: ast.Expr) -> str:
    """An expression in DSL syntax with only the parentheses its meaning needs."""
    return _print(expr)[0]


def show_branch(guard: ast.Expr | None) -> str:
    """A branch as runs, graphs and coverage name it: its guard in DSL syntax, or `otherwise`."""
    return OTHERWISE if guard is None else show(guard)


def number(value: Number) -> str:
    """A number as the grammar writes it (digits and a decimal point, no exponent); exact."""
    return show_number(value)


def show_facts(values: Mapping[str, Any], units: Mapping[str, str] | None = None) -> str:
    """Fact values as one DSL condition that holds for them: `n == 4 and fever and pain is severe`;
    a missing value (None) as `x is missing`; with `units`, each number followed by its fact's unit
    (`age == 65 years`, text for people only)."""
    units = units or {}
    return " and ".join(_fact_condition(name, value, units.get(name)) for name, value in values.items()) or "true"


def _fact_condition(name: str, value: Any, unit: str | None = None) -> str:
    """One fact's value as a DSL condition (a number with its unit, when it has one)."""
    if value is None:
        return f"{name} is missing"
    if isinstance(value, bool):
        return name if value else f"not {name}"
    if isinstance(value, str):
        return f"{name} is {value}"
    if isinstance(value, date):  # the DSL has no date literal: the day as a case gives it
        return f"{name} is {value.isoformat()}"
    if isinstance(value, frozenset):
        return f"number of {name} == 0" if not value else f"{name} is {{{', '.join(sorted(value))}}}"
    return f"{name} == {number(value)}" + (f" {unit}" if unit else "")


def show_type(type_: ast.Type) -> str:
    """A declared type in DSL syntax."""
    if isinstance(type_, ast.EnumType):
        return " | ".join(type_.values)
    if isinstance(type_, ast.BooleanType):
        return "boolean"
    if isinstance(type_, ast.DateType):
        return "date"
    if isinstance(type_, ast.SetType):
        return "set of " + " | ".join(type_.values)
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
def _(expr: ast.Duration):
    return f"{number(expr.amount)} {expr.unit}", _ATOM


@_print.register
def _(expr: Measured):
    return f"{number(expr.value)} {expr.unit}", _ATOM


@_print.register
def _(expr: ast.Neg):
    return "-" + _wrap(expr.operand, _UNARY), _UNARY


@_print.register
def _(expr: ast.Arith):
    strength = _SUM if ast.sums(expr.operators[0]) else _PRODUCT
    parts = [_wrap(expr.operands[0], strength)]
    for op, operand in zip(expr.operators, expr.operands[1:]):
        parts += (op, _wrap(operand, strength + 1))
    return " ".join(parts), strength


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
    operand = _wrap(expr.operand, _SUM)
    if isinstance(expr.operand, ast.NumberOf) and expr.operand.items is None:
        operand = f"({operand})"  # `number of x in {...}` would count those values instead
    return f"{operand} {word} {{{items}}}", _COMPARE


@_print.register
def _(expr: ast.Has):
    items = ", ".join(item.name for item in expr.items)
    tail = expr.items[0].name if expr.mode == "one" else f"{expr.mode} of {{{items}}}"
    return f"{_wrap(expr.operand, _SUM)} has {tail}", _COMPARE


@_print.register
def _(expr: ast.NumberOf):
    items = "" if expr.items is None else " in {" + ", ".join(item.name for item in expr.items) + "}"
    return f"number of {expr.operand.name}{items}", _ATOM


@_print.register
def _(expr: ast.Not):
    return "not " + _wrap(expr.operand, _NOT), _NOT


@_print.register
def _(expr: ast.And):
    return " and ".join(_wrap(op, _NOT) for op in expr.operands), _AND


@_print.register
def _(expr: ast.Or):
    return " or ".join(_wrap(op, _AND) for op in expr.operands), _OR


@_print.register
def _(expr: ast.IfThenElse):
    return f"if {show(expr.condition)} then {show(expr.then)} else {show(expr.otherwise)}", _IF


@_print.register
def _(expr: ast.Count):
    return "count(" + ", ".join(show(op) for op in expr.operands) + ")", _ATOM


@_print.register
def _(expr: ast.Points):
    return "; ".join(show_criterion(c) for c in expr.criteria), _IF


def show_criterion(criterion: ast.Criterion) -> str:
    """`points N when GUARD`, one line of a score."""
    return f"points {number(criterion.points)} when {show(criterion.guard)}"


# --- whole documents -------------------------------------------------------------------------

INDENT = "  "


def print_document(doc: ast.Document) -> str:
    """A whole pathway as canonical DSL text; parsing the text gives back an equal document."""
    groups = [_header(doc.header), [_source(s) for s in doc.sources], [_fact(f) for f in doc.facts],
              [f"require {show(r.condition)}" for r in doc.requires]]
    groups.extend(_derived(d) for d in doc.derived)
    groups.append([f"start {s.name}" for s in doc.starts])
    groups.extend(_nodes(doc.nodes))
    groups.append([show_invariant(i) for i in doc.invariants])
    groups.append([_accept(a) for a in doc.accepts])
    return "\n\n".join("\n".join(group) for group in groups if group) + "\n"


def quote(text: str) -> str:
    """A string literal: the inverse of the transformer's unquoting (only `\\"` and `\\\\` escape)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _header(header: ast.Header) -> list[str]:
    """`pathway NAME "Title"` and its version, release date and authors."""
    lines = [f"pathway {header.name} {quote(header.title)}"]
    if header.version is not None:
        lines.append(f"{INDENT}version {quote(header.version)}")
    if header.released is not None:
        lines.append(f"{INDENT}released {header.released}")
    if header.authors:
        lines.append(f"{INDENT}authors " + ", ".join(quote(a) for a in header.authors))
    return lines


def _source(source: ast.Source) -> str:
    """`source NAME "reference" "title"`."""
    title = f" {quote(source.title)}" if source.title is not None else ""
    return f"source {source.name} {quote(source.reference)}{title}"


def _fact(fact: ast.Fact) -> str:
    """`fact NAME: optional TYPE unit "u" "description"`."""
    parts = [f"fact {fact.name}:", "optional" if fact.optional else "", show_type(fact.type),
             f"unit {quote(fact.unit)}" if fact.unit is not None else "",
             quote(fact.description) if fact.description is not None else ""]
    return " ".join(p for p in parts if p)


def _derived(value: ast.Derived) -> list[str]:
    """`derive NAME: TYPE = EXPR`, or its `when ... -> ...` cases."""
    if value.score is not None:
        title = f" {quote(value.title)}" if value.title is not None else ""
        lines = [f"score {value.name}{title}{_citation(value.citations)}"]
        return lines + [INDENT + show_criterion(c) for c in value.score.criteria]
    cited = _citation(value.citations)
    if value.constant:
        unit = f" unit {quote(value.unit)}" if value.unit is not None else ""
        return [f"constant {value.name} = {show(value.cases[0].outcome)}{unit}{cited}"]
    head = f"derive {value.name}: {show_type(value.type)}"
    only = value.cases[0] if len(value.cases) == 1 else None
    if only is not None and only.guard is None and not value.first_match:
        return [f"{head} = {show(only.outcome)}{cited}"]
    lines = [head + (" first match" if value.first_match else "") + cited]
    lines.extend(f"{INDENT}{_condition(c.guard)} -> {show(c.outcome)}" for c in value.cases)
    return lines


def _condition(guard: ast.Expr | None) -> str:
    """`when GUARD`, or `otherwise` for a missing guard."""
    return OTHERWISE if guard is None else f"when {show(guard)}"


def _nodes(nodes: tuple[ast.Node, ...]) -> list[list[str]]:
    """Decisions and steps in order, each section announced where it begins."""
    groups, section = [], None
    for node in nodes:
        if node.section is not None and node.section != section:
            groups.append([f"section {quote(node.section)}"])
        section = node.section
        groups.append(_decision(node) if isinstance(node, ast.Decision) else _step(node))
    return groups


def _decision(node: ast.Decision) -> list[str]:
    """`decide NAME "Title"` and its branches."""
    lines = [f"decide {node.name} {quote(node.title)}" + (" first match" if node.first_match else "")]
    lines.extend(f"{INDENT}{_condition(b.guard)} -> {b.target}" for b in node.branches)
    return lines


def _step(node: ast.Step) -> list[str]:
    """`step NAME "Title"`, its recommendations, and `-> NEXT` or `stop`."""
    lines = [f"step {node.name} {quote(node.title)}" + (f" {node.urgency}" if node.urgency else "")]
    for rec in node.recommendations:
        urgency = f" {rec.urgency}" if rec.urgency else ""
        lines.append(f"{INDENT}recommend {rec.code} {quote(rec.text)}{urgency}{_citation(rec.citations)}")
        if rec.guard is not None:
            lines.append(f"{INDENT * 2}when {show(rec.guard)}")
        lines.extend(f"{INDENT * 2}caution {quote(c.text)}{_caution_guard(c)}{_citation(c.citations)}"
                     for c in rec.cautions)
    lines.append(f"{INDENT}-> {node.next}" if node.next is not None else f"{INDENT}stop")
    return lines


def _caution_guard(caution: ast.Caution) -> str:
    """` when GUARD` of a conditional caution, or nothing."""
    return f" when {show(caution.guard)}" if caution.guard is not None else ""


def _citation(citations: tuple[ast.Citation, ...]) -> str:
    """`  cite a, b at "locator" quote "text"`, or nothing when there are no citations."""
    return f"  cite {', '.join(map(_cited, citations))}" if citations else ""


def _cited(citation: ast.Citation) -> str:
    """One cited source with its locator and quote."""
    text = citation.source
    if citation.locator is not None:
        text += f" at {quote(citation.locator)}"
    if citation.quote is not None:
        text += f" quote {quote(citation.quote)}"
    return text


def _accept(accept: ast.Accept) -> str:
    """`accept KIND at NAME "reason"`."""
    at = f" at {accept.at}" if accept.at is not None else ""
    return f"accept {accept.kind}{at} {quote(accept.reason)}"


def show_invariant(inv: ast.Invariant) -> str:
    """`never CODE when EXPR`, `always CODE when EXPR`, or `never CODE with CODE`."""
    if inv.kind == "never_with":
        return f"never {inv.code} with {inv.other}"
    return f"{inv.kind} {' or '.join((inv.code, *inv.alternatives))} when {show(inv.condition)}"
