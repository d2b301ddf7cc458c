"""Stage 4, invariant checks: the author's `never` and `always` properties, proven over every run (z3)."""
from __future__ import annotations

import z3

from ..errors import ERROR, Diagnostic
from ..syntax import ast
from ..syntax.printer import show, show_invariant


def violated_invariants(context) -> list[Diagnostic]:
    """Each invariant some valid case breaks, with that case."""
    found = []
    for invariant in context.pathway.document.invariants:
        literals, broken = _violation(context, invariant)
        written = show_invariant(invariant)
        if context.ask(*literals, why=f"whether `{written}` holds", span=invariant.span):
            found.append(Diagnostic(ERROR, f"invariant `{written}` is violated: {broken}",
                                    invariant.span, kind="invariant", witness=context.encoding.witness(),
                                    hint="change the pathway so the property holds, or correct the invariant"))
    return found


def _violation(context, invariant: ast.Invariant) -> tuple[list, str]:
    """Literals describing a run that breaks the invariant, and that run in words."""
    encoding = context.encoding
    emits = encoding.emits(invariant.code)
    if invariant.alternatives:  # one name, equal to "emits one of them", usable negated as an assumption
        emits = encoding.bool("emits!" + "|".join(invariant.codes))
        encoding.solver.add(emits == z3.Or([encoding.emits(code) for code in invariant.codes]))
    if invariant.kind == "never_with":
        both = f"this case emits both `{invariant.code}` and `{invariant.other}`"
        return [emits, encoding.emits(invariant.other)], both
    condition = encoding.term(invariant.condition).holds()
    when = f"`{show(invariant.condition)}` holds"
    if invariant.kind == "never":
        return [emits, *map(encoding.literal, condition)], f"this case emits `{invariant.code}` while {when}"
    return ([encoding.done, z3.Not(emits), *map(encoding.literal, condition)],
            f"this case completes without {' or '.join(f'`{c}`' for c in invariant.codes)} while {when}")
