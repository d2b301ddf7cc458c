"""Stage 4, reach checks: steps no case reaches, runs that may stop for input or divide by zero, and
requires that rule out a whole value of a fact."""
from __future__ import annotations

import z3

from ..errors import ERROR, WARNING, Diagnostic
from ..model.resolve import name_span
from ..syntax import ast
from ..syntax.printer import show
from .decisions import related_conflicts
from .structure import node_kind


def unreachable_nodes(context) -> list[Diagnostic]:
    """Nodes the graph connects to the start, but whose reach condition no valid case satisfies."""
    found = []
    for name, node in context.pathway.nodes.items():
        if name in context.connected and context.arrives(name) is False:
            core = context.explain(context.explainer.reach[name])
            found.append(Diagnostic(ERROR, f"no valid case reaches {node_kind(node)} `{name}`", name_span(node),
                                    kind="unreachable", related=related_conflicts(core, None),
                                    hint="the notes show the declarations that rule it out; correct them, "
                                         "or delete it"))
    return found


def possible_needs_input(context) -> list[Diagnostic]:
    """A reachable node where an optional fact may be missing while a guard there needs it."""
    found = []
    encoding = context.encoding
    for name, node in context.pathway.nodes.items():
        guards = _guards_reading_optional(context, node)
        if not guards or not context.arrives(name):
            continue
        if context.ask(encoding.literal(_stops(context, node)), why=f"whether `{name}` may stop for input",
                       span=name_span(node)):
            found.append(_needs_input(context, node, encoding.decimal_model()))
    return found


def divisions_by_zero(context) -> list[Diagnostic]:
    """A division that some valid case evaluates with a divisor of 0, where the run stops with a defect."""
    found = []
    encoding = context.encoding
    for division in encoding.divisions:
        expr, divisor = division.expr, show(division.divisor)
        if context.ask(division.by_zero, why=f"whether `{show(expr)}` can divide by zero", span=expr.span):
            found.append(Diagnostic(
                ERROR, f"`{show(expr)}` divides by zero for this case: `{divisor}` is 0", expr.span,
                kind="division_by_zero", witness=encoding.witness(),
                hint=f"test `{divisor} != 0` first (`when {divisor} == 0 -> ...` before it under "
                     "`first match`, or `... != 0 and ...` in the guard), or narrow the fact's range"))
    return found


def restricted_facts(context) -> list[Diagnostic]:
    """A value of a fact (true or false, an enumeration value, missing or present) that its domain allows
    but the requires rule out for every valid case: every proof silently assumes it away."""
    if not context.pathway.document.requires:
        return []
    found = []
    for fact in context.pathway.facts.values():
        for words, literal in _fact_values(context.encoding, fact):
            if context.ask(context.encoding.valid, literal, why=f"whether {words} in some valid case",
                           span=name_span(fact)) is False:
                core = context.explain(context.explainer.valid, _fact_values_in(context.explainer, fact)[words])
                found.append(Diagnostic(
                    WARNING, f"the requires rule out {words}: every valid case has it otherwise, so no check "
                             "considers such a patient", name_span(fact), kind="restricted_fact",
                    related=related_conflicts(core, fact.span),
                    hint="if such patients exist, correct the require (or make the fact optional); if not, "
                         "say so in the fact's type"))
    return found


def _fact_values(encoding, fact: ast.Fact) -> list[tuple[str, z3.BoolRef]]:
    """(words, literal) for each value of a fact a require could rule out."""
    return list(_fact_values_in(encoding, fact).items())


def _fact_values_in(encoding, fact: ast.Fact) -> dict[str, z3.BoolRef]:
    """The literals of a fact's whole values in one encoding, by their words."""
    name, present, value = fact.name, encoding.present[fact.name], encoding.value[fact.name]
    found: dict[str, z3.BoolRef] = {}
    if fact.optional:
        found[f"`{name}` missing"] = encoding.literal(z3.Not(present))
        found[f"`{name}` present"] = present
    if isinstance(fact.type, ast.BooleanType):
        found[f"`{name}` true"] = encoding.literal(z3.And(present, value))
        found[f"`{name}` false"] = encoding.literal(z3.And(present, z3.Not(value)))
    elif isinstance(fact.type, ast.EnumType):
        for item in fact.type.values:
            found[f"`{name}` {item}"] = encoding.literal(z3.And(present, value == encoding.enum_index[item]))
    return found


def _optional_behind(context, expr: ast.Expr) -> list[str]:
    """The optional facts an expression depends on, sorted."""
    facts = context.scope.facts_behind(context.scope.reads(expr))
    return [f for f in facts if context.pathway.facts[f].optional]


def _guards_reading_optional(context, node: ast.Node) -> list[tuple[int, ast.Expr]]:
    """The node's guards that depend on some optional fact."""
    return [(i, g) for i, g in ast.node_guards(node) if _optional_behind(context, g)]


def _missing(context, expr: ast.Expr) -> z3.BoolRef:
    """Some optional fact behind the expression is absent (required facts are assumed given)."""
    return z3.Or([z3.Not(context.encoding.present[f]) for f in _optional_behind(context, expr)], context.encoding.ctx)


def _stops(context, node: ast.Node) -> z3.BoolRef:
    """The run arrives at `node` and stops there for input, exactly as the executor would."""
    encoding = context.encoding
    terms = [(encoding.guards[node.name, i], _missing(context, g)) for i, g in ast.node_guards(node)]
    stuck = [z3.And(z3.Not(t.defined), z3.Not(t.fault), missing) for t, missing in terms]
    if isinstance(node, ast.Decision) and not node.first_match:
        # every guard is evaluated (none holds) without stopping the run with a defect
        clean = [z3.And(z3.Not(t.fault), z3.Not(z3.And(t.defined, t.value))) for t, _ in terms]
        return z3.And(encoding.reach[node.name], *clean, z3.Or(stuck))
    before = [z3.And(t.fails()) if isinstance(node, ast.Decision) else t.defined for t, _ in terms]
    return z3.And(encoding.reach[node.name], z3.Or([z3.And(*before[:k], stuck[k]) for k in range(len(terms))]))


def _needs_input(context, node: ast.Node, model) -> Diagnostic:
    """The finding, naming the facts the witness case lacks and pointing at where the first is read."""
    encoding = context.encoding
    witness = encoding.witness(model)
    undecided = [(i, g) for i, g in ast.node_guards(node)
                 if not z3.is_true(model.eval(encoding.guards[node.name, i].defined, model_completion=True))]
    stopping = undecided if isinstance(node, ast.Decision) and not node.first_match else undecided[:1]
    needs = sorted({f for _, g in stopping for f in _optional_behind(context, g) if f not in witness})
    shown = ", ".join(f"`{f}`" for f in needs)
    span = next((ref.span for _, g in stopping for ref in ast.refs(g)
                 if set(context.scope.facts_behind([ref.name])) & set(needs)), name_span(node))
    return Diagnostic(WARNING, f"the run may stop at `{node.name}` with needs_input: {shown} (optional) may be "
                               "missing here, and nothing before checks it", span, kind="needs_input",
                      witness=witness,
                      hint=f"branch on `{needs[0]} is present` first, or write the guard so it is decided without it")
