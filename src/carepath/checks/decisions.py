"""Stage 4, decision checks: overlapping, missing, impossible and shadowed branches (z3).

A derived value with cases is a choice like a decision (its cases are its branches, `evaluated`
its reach), so the same functions check both; checks/derived.py applies them to derived values.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ERROR, WARNING, Diagnostic, Related, Span
from ..model.resolve import name_span
from ..syntax import ast
from ..syntax.printer import show


@dataclass(frozen=True)
class Choice:
    """A decision or a derived value with cases: ordered guarded parts, exclusive unless first match."""

    name: str
    noun: str  # "branch" or "case"
    parts: tuple  # Branch or Case, each with .guard and .span
    first_match: bool
    declaration: Any  # the Decision or Derived, whose name a finding points at
    question: str  # the kind of question that asks whether a part holds: "holds" or "case_holds"

    @property
    def span(self) -> Span | None:
        """Where the choice's name is written (found only when a finding needs it)."""
        return name_span(self.declaration)

    def guarded(self) -> list[tuple[int, Any]]:
        """(index, part) for every part with a guard (all but `otherwise`)."""
        return [(i, p) for i, p in enumerate(self.parts) if p.guard is not None]

    @property
    def nouns(self) -> str:
        """The plural: branches or cases."""
        return self.noun + ("es" if self.noun == "branch" else "s")

    def where(self) -> str:
        """Where the parts are chosen, in words: `d` is reached / `v` is computed."""
        return f"`{self.name}` is {'reached' if self.noun == 'branch' else 'computed'}"


def decision_choice(node: ast.Decision) -> Choice:
    """A decision as a choice."""
    return Choice(node.name, "branch", node.branches, node.first_match, node, "holds")


def overlapping(context, choices: list[Choice], kind: str) -> list[Diagnostic]:
    """Two parts of an exclusive choice that both hold for some case that reaches it."""
    found = []
    for choice in choices:
        if choice.first_match:
            continue
        guarded = choice.guarded()
        for later, (j, second) in enumerate(guarded):
            for i, first in guarded[:later]:
                if ask(context, choice, (i, True), (j, True)):
                    found.append(Diagnostic(
                        ERROR, f"{choice.nouns} `when {show(first.guard)}` and `when {show(second.guard)}` of "
                               f"`{choice.name}` both hold for this case", second.span, kind=kind,
                        related=(Related(f"the other {choice.noun}", first.span),),
                        witness=context.encoding.witness(),
                        hint="make the guards exclusive, or write `first match` if their order decides"))
    return found


def contradictory(context, choices: list[Choice], kind: str) -> list[Diagnostic]:
    """A guard that can never hold where its choice is made, with the declarations it conflicts with."""
    found = []
    for choice in choices:
        for i, part in choice.guarded():
            if context.possible((choice.question, choice.name, i)) is False:
                core = context.explain(*_literals(context.explainer, choice, (i, True)))
                found.append(Diagnostic(
                    ERROR, f"{choice.noun} `when {show(part.guard)}` of `{choice.name}` can never hold where "
                           f"{choice.where()}", part.span, kind=kind,
                    related=related_conflicts(core, part.span), hint=f"correct the guard, or delete the {choice.noun}"))
    return found


def shadowed(context, choices: list[Choice], kind: str, take: str) -> list[Diagnostic]:
    """Under `first match`, a part whose guard can hold but earlier parts always win first."""
    found = []
    for choice in choices:
        if not choice.first_match:
            continue
        for i, part in choice.guarded():
            if not context.possible((choice.question, choice.name, i)) or \
                    context.possible((take, choice.name, i)) is not False:
                continue
            taking = context.explainer.take[choice.name, i] if take == "take" else \
                context.explainer.case_take[choice.name, i]
            related = related_conflicts(context.explain(taking), part.span)
            ask(context, choice, (i, True))
            found.append(Diagnostic(
                WARNING, f"{choice.noun} `when {show(part.guard)}` of `{choice.name}` is never taken: earlier "
                         f"{choice.nouns} always hold, or stop the run, first", part.span, kind=kind,
                related=related, witness=context.encoding.witness(), hint=f"move the {choice.noun} up, or delete it"))
    return found


def ask(context, choice: Choice, *parts: tuple[int, bool]) -> bool | None:
    """Whether a case makes the choice where each part (index, wanted) holds (True) or fails (False)."""
    span = choice.parts[parts[-1][0]].span if parts else choice.span
    return context.ask(*_literals(context.encoding, choice, *parts),
                       why=f"a question about `{choice.name}`", span=span)


def _literals(encoding, choice: Choice, *parts: tuple[int, bool]) -> list:
    """The choice is made (reached or computed) and each part holds or fails."""
    decision = choice.question == "holds"
    literals = [encoding.reach[choice.name] if decision else encoding.evaluated[choice.name]]
    for index, wanted in parts:
        term = encoding.guards[choice.name, index] if decision else encoding.case_guards[choice.name, index]
        literals.extend(term.holds() if wanted else term.fails())
    return literals


def overlapping_branches(context) -> list[Diagnostic]:
    """Two branches of an exclusive decision that both hold for some case reaching it."""
    return overlapping(context, _reached(context), "overlap")


def gaps(context) -> list[Diagnostic]:
    """A case that reaches a decision without `otherwise` where every guard is false."""
    return uncovered(context, _reached(context), "gap", "no branch of `{}` holds for this case",
                     "add `otherwise -> STEP`, or widen a branch to cover the case")


def uncovered(context, choices: list[Choice], kind: str, message: str, hint: str) -> list[Diagnostic]:
    """Choices without `otherwise` where some case makes every guard decided false (`message` takes the name)."""
    found = []
    for choice in choices:
        if choice.parts[-1].guard is None:
            continue
        if ask(context, choice, *[(i, False) for i, _ in choice.guarded()]):
            found.append(Diagnostic(ERROR, message.format(choice.name), choice.span, kind=kind,
                                    witness=context.encoding.witness(), hint=hint))
    return found


def contradictory_branches(context) -> list[Diagnostic]:
    """A guard that can never hold where its decision is reached."""
    return contradictory(context, _reached(context), "contradictory")


def shadowed_branches(context) -> list[Diagnostic]:
    """Under `first match`, a branch whose guard can hold but earlier branches always win first."""
    return shadowed(context, _reached(context), "shadowed", "take")


def _reached(context) -> list[Choice]:
    """Decisions some case reaches (or that the solver cannot rule out)."""
    return [decision_choice(node) for node in context.pathway.nodes.values()
            if isinstance(node, ast.Decision) and context.arrives(node.name) is not False]


def related_conflicts(core, own) -> tuple[Related, ...]:
    """Unsat-core declarations as related locations, leaving out the finding's own construct."""
    return tuple(Related(f"in conflict: {item.message}", item.span) for item in core
                 if item.span is not None and item.span != own)
