"""Stage 4, decision checks: overlapping, missing, impossible and shadowed branches (z3)."""
from __future__ import annotations

from ..errors import ERROR, WARNING, Diagnostic, Related
from ..model.resolve import name_span
from ..syntax import ast
from ..syntax.printer import show


def overlapping_branches(context) -> list[Diagnostic]:
    """Two branches of an exclusive decision that both hold for some case reaching it."""
    found = []
    for node in _reached(context, exclusive=True):
        guarded = _guarded(node)
        for later, (j, second) in enumerate(guarded):
            for i, first in guarded[:later]:
                if _ask(context, node, i, j):
                    found.append(Diagnostic(
                        ERROR, f"branches `when {show(first.guard)}` and `when {show(second.guard)}` of `{node.name}` "
                               "both hold for this case", second.span, kind="overlap",
                        related=(Related("the other branch", first.span),),
                        witness=context.encoding.witness(),
                        hint="make the guards exclusive, or write `first match` if their order decides"))
    return found


def gaps(context) -> list[Diagnostic]:
    """A case that reaches a decision without `otherwise` where every guard is false."""
    found = []
    for node in _reached(context):
        if node.branches[-1].guard is None:
            continue
        if _ask(context, node, *[(i, False) for i, _ in _guarded(node)]):
            found.append(Diagnostic(ERROR, f"no branch of `{node.name}` holds for this case", name_span(node),
                                    kind="gap", witness=context.encoding.witness(),
                                    hint="add `otherwise -> STEP`, or widen a branch to cover the case"))
    return found


def contradictory_branches(context) -> list[Diagnostic]:
    """A guard that can never hold where its decision is reached, with the declarations it conflicts with."""
    found = []
    for node in _reached(context):
        for i, branch in _guarded(node):
            if not holds_somewhere(context, node, i):
                explainer = context.explainer
                core = explainer.explain(explainer.reach[node.name], *explainer.guards[node.name, i].holds())
                found.append(Diagnostic(
                    ERROR, f"branch `when {show(branch.guard)}` of `{node.name}` can never hold where "
                           f"`{node.name}` is reached", branch.span, kind="contradictory",
                    related=related_conflicts(core, branch.span), hint="correct the guard, or delete the branch"))
    return found


def shadowed_branches(context) -> list[Diagnostic]:
    """Under `first match`, a branch whose guard can hold but earlier branches always win first."""
    found = []
    encoding = context.encoding
    for node in _reached(context, exclusive=False):
        for i, branch in _guarded(node):
            if not holds_somewhere(context, node, i) or context.possible(("take", node.name, i)):
                continue
            related = related_conflicts(context.explainer.explain(context.explainer.take[node.name, i]), branch.span)
            _ask(context, node, i)
            found.append(Diagnostic(
                WARNING, f"branch `when {show(branch.guard)}` of `{node.name}` is never taken: earlier branches "
                         "always hold, or stop the run for input, first", branch.span, kind="shadowed",
                related=related, witness=encoding.witness(),
                hint="move the branch up, or delete it"))
    return found


def holds_somewhere(context, node: ast.Decision, index: int) -> bool:
    """Whether some case reaching `node` makes branch `index` hold."""
    return context.possible(("holds", node.name, index))


def _ask(context, node: ast.Decision, *branches) -> bool:
    """Whether a case reaches `node` where each branch index holds (or, given as (index, False), fails)."""
    encoding = context.encoding
    literals = [encoding.reach[node.name]]
    for branch in branches:
        index, wanted = branch if isinstance(branch, tuple) else (branch, True)
        term = encoding.guards[node.name, index]
        literals.extend(term.holds() if wanted else term.fails())
    return encoding.check(*literals, why=f"a question about `{node.name}`")


def _reached(context, exclusive: bool | None = None) -> list[ast.Decision]:
    """Decisions some case reaches, optionally only the exclusive or only the first-match ones."""
    return [node for node in context.pathway.nodes.values() if isinstance(node, ast.Decision)
            and (exclusive is None or node.first_match != exclusive) and context.arrives(node.name)]


def _guarded(node: ast.Decision) -> list[tuple[int, ast.Branch]]:
    """(index, branch) for every branch with a guard (all but `otherwise`)."""
    return [(i, b) for i, b in enumerate(node.branches) if b.guard is not None]


def related_conflicts(core, own) -> tuple[Related, ...]:
    """Unsat-core declarations as related locations, leaving out the finding's own construct."""
    return tuple(Related(f"in conflict: {item.message}", item.span) for item in core
                 if item.span is not None and item.span != own)
