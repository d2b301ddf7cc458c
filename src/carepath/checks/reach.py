"""Stage 4, reach checks: steps no case reaches, runs that may stop for input, undecided derived values."""
from __future__ import annotations

import z3

from ..errors import ERROR, WARNING, Diagnostic
from ..model.resolve import name_span
from ..syntax import ast
from .decisions import related_conflicts
from .structure import node_kind


def unreachable_nodes(context) -> list[Diagnostic]:
    """Nodes the graph connects to the start, but whose reach condition no valid case satisfies."""
    found = []
    for name, node in context.pathway.nodes.items():
        if name in context.connected and not context.arrives(name):
            core = context.explainer.explain(context.explainer.reach[name])
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
        if encoding.check(encoding.literal(_stops(context, node)), why=f"whether `{name}` may stop for input"):
            found.append(_needs_input(context, node, encoding.model()))
    return found


def derived_gaps(context) -> list[Diagnostic]:
    """A derived value without `otherwise` whose every case is decided false: undecided with all facts given."""
    found = []
    encoding = context.encoding
    for name, value in context.pathway.derived.items():
        if value.cases[-1].guard is None:
            continue
        every_fails = z3.And([lit for case in value.cases for lit in encoding.term(case.guard).fails()])
        if encoding.check(encoding.literal(every_fails), why=f"whether `{name}` can match no case"):
            found.append(Diagnostic(ERROR, f"no case of `{name}` holds for this case, so it has no value",
                                    name_span(value), kind="derived_gap", witness=encoding.witness(),
                                    hint="add `otherwise -> VALUE`"))
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
    stuck = [z3.And(z3.Not(t.defined), missing) for t, missing in terms]
    if isinstance(node, ast.Decision) and not node.first_match:
        return z3.And(encoding.reach[node.name], *[z3.Not(z3.And(t.holds())) for t, _ in terms], z3.Or(stuck))
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
