"""Stage 4, derived-value checks: a derived value's cases are checked like a decision's branches (z3).

A derived value is computed when a run first reads it, so each question is asked over the cases
that compute it: its cases overlap (without `first match`), none holds (a gap), one never holds
or is always pre-empted, or the value leaves its declared range.
"""
from __future__ import annotations

import z3

from ..errors import ERROR, Diagnostic
from ..model.resolve import name_span
from ..syntax.printer import number
from .decisions import Choice, contradictory, overlapping, shadowed, uncovered


def derived_gaps(context) -> list[Diagnostic]:
    """A derived value without `otherwise` computed where every case is decided false."""
    return uncovered(context, _computed(context), "derived_gap", "no case of `{}` holds for this case, so it has "
                     "no value", "add `otherwise -> VALUE`")


def overlapping_cases(context) -> list[Diagnostic]:
    """Two cases of a derived value without `first match` that both hold where it is computed."""
    return overlapping(context, _computed(context), "derived_overlap")


def contradictory_cases(context) -> list[Diagnostic]:
    """A case of a derived value that can never hold where it is computed."""
    return contradictory(context, _computed(context), "derived_contradictory")


def shadowed_cases(context) -> list[Diagnostic]:
    """Under `first match`, a case that earlier cases always pre-empt."""
    return shadowed(context, _computed(context), "derived_shadowed", "case_take")


def out_of_range(context) -> list[Diagnostic]:
    """A derived value that some run computes outside its declared range."""
    found = []
    encoding = context.encoding
    for name, value in context.pathway.derived.items():
        type_ = value.type
        if getattr(type_, "low", None) is None or context.possible(("evaluated", name)) is False:
            continue
        body = encoding.derived_body[name]
        outside = z3.Or(body.value < encoding.term_number(type_.low), body.value > encoding.term_number(type_.high))
        literal = encoding.literal(z3.And(encoding.evaluated[name], body.defined, z3.Not(body.fault), outside))
        if context.ask(literal, why=f"whether `{name}` can leave its range", span=name_span(value)):
            found.append(Diagnostic(
                ERROR, f"`{name}` is computed outside its declared range {number(type_.low)}..{number(type_.high)} "
                       "for this case", name_span(value), kind="derived_range", witness=encoding.witness(),
                hint="correct the cases or the formula, or widen the declared range"))
    return found


def _computed(context) -> list[Choice]:
    """Derived values with guarded cases that some run computes (or that the solver cannot rule out)."""
    return [Choice(name, "case", value.cases, value.first_match, value, "case_holds")
            for name, value in context.pathway.derived.items()
            if any(c.guard is not None for c in value.cases) and context.possible(("evaluated", name)) is not False]
