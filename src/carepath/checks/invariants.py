"""Stage 4, invariant checks: the author's `never` and `always` properties, proven over every run (z3).

Runs that stop for input count too (any fact may then be missing): a `never` holds for every run,
complete or not; an `always` holds for every complete run, and for every run that stops for input
inside a step that recommends its code, where the route is chosen and decided advice is emitted.
"""
from __future__ import annotations

import z3

from ..errors import ERROR, Diagnostic
from ..syntax import ast
from ..syntax.printer import show, show_invariant


def violated_invariants(context) -> list[Diagnostic]:
    """Each invariant some case breaks, with that case (the first way found)."""
    found = []
    for invariant in context.pathway.document.invariants:
        written = show_invariant(invariant)
        for literals, broken in _violations(context, invariant):
            if _breaks(context, literals, f"whether `{written}` holds", invariant.span):
                found.append(Diagnostic(ERROR, f"invariant `{written}` is violated: {broken}",
                                        invariant.span, kind="invariant", witness=context.encoding.witness(),
                                        hint="change the pathway so the property holds, or correct the invariant"))
                break
    return found


def _breaks(context, literals: list, why: str, span) -> bool:
    """Whether some case breaks it: first with every required fact given, so that a witness is a
    complete case wherever one exists, then with any fact missing (undecided counts as not broken,
    and is reported once for the span)."""
    return bool(context.ask(*literals, why=why, span=span) or context.ask(*literals, why=why, span=span, partial=True))


def _violations(context, invariant: ast.Invariant) -> list[tuple[list, str]]:
    """Each kind of run that would break the invariant: its literals, and that run in words."""
    encoding = context.encoding
    emits = encoding.emits(invariant.code)
    if invariant.alternatives:  # one name, equal to "emits one of them", usable negated as an assumption
        emits = encoding.bool("emits!" + "|".join(invariant.codes))
        encoding.solver.add(emits == z3.Or([encoding.emits(code) for code in invariant.codes]))
    if invariant.kind == "never_with":
        both = f"this case emits both `{invariant.code}` and `{invariant.other}`"
        return [([emits, encoding.emits(invariant.other)], both)]
    condition = [encoding.literal(c) for c in encoding.term(invariant.condition).holds()]
    when = f"`{show(invariant.condition)}` holds"
    if invariant.kind == "never":
        return [([emits, *condition], f"this case emits `{invariant.code}` while {when}")]
    codes = " or ".join(f"`{c}`" for c in invariant.codes)
    runs = [([encoding.done, z3.Not(emits), *condition], f"this case completes without {codes} while {when}")]
    for step in _recommending(context.pathway, invariant.codes):
        runs.append(([encoding.literal(encoding.waits[step]), z3.Not(emits), *condition],
                     f"this case stops for input in step `{step}` without {codes} while {when}"))
    return runs


def _recommending(pathway, codes: tuple[str, ...]) -> list[str]:
    """The steps that recommend one of `codes`, in source order."""
    return [name for name, node in pathway.nodes.items()
            if isinstance(node, ast.Step) and any(r.code in codes for r in node.recommendations)]
