"""Stage 4, scenarios: every missing fact that could still change the advice for a case (`run --needs-all`).

A run stops at the first node it cannot decide and names what that node needs. To ask for
everything at once, the solver is asked, for each missing fact `f`, whether two valid cases exist
that extend the given one (any other missing fact given or left missing, every `require` kept)
and differ only in `f`, missing in one and given in the other, whose runs end differently: a
recommendation (code and urgency) emitted by one and not the other, or another status (complete,
needs_input, or stopped by a pathway defect). The pathway is encoded twice over two sets of fact constants in one solver, the second
tied to the first on every fact but the one asked about, so each fact is one question. A model
gives a witness value. A question the solver cannot decide within the limit is reported as
undecided at the fact's declaration, never silently left out. Unlike `needs`, a fact given here
also changes `is missing` tests: a fact the pathway handles as absent is listed when giving it
would change the advice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from ..errors import WARNING, Diagnostic
from ..model import Pathway


@dataclass(frozen=True)
class NeedsAll:
    """The facts still worth asking for, sorted, each with a value that changes the advice; and the
    facts the solver could not decide about (then the list may be short: `exhausted` is false)."""

    facts: tuple[str, ...]
    witnesses: tuple[Any, ...] = ()  # per fact, a value that changes the advice (for some other values)
    units: tuple[str | None, ...] = ()  # each fact's declared unit, for the text line
    undecided: tuple[tuple[str, Diagnostic], ...] = ()  # (fact, the located warning)

    @property
    def exhausted(self) -> bool:
        """Whether every missing fact was decided (the list is then exact)."""
        return not self.undecided

    def text(self) -> str:
        """The lines `run --needs-all` adds to the text summary, each fact with its unit, then any undecided."""
        units = self.units or (None,) * len(self.facts)
        shown = [f"{name} ({unit})" if unit else name for name, unit in zip(self.facts, units)]
        short = " (incomplete: the solver could not decide about the facts below)" if self.undecided else ""
        lines = [f"\nevery fact that could still change the advice: {', '.join(shown) or 'none'}{short}\n"]
        lines += [f"{d.span.location()}: warning: {d.message}\n" for _, d in self.undecided]
        return "".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The `needs_all` object of `run --needs-all --json`."""
        units = {name: unit for name, unit in zip(self.facts, self.units) if unit}
        return {"facts": list(self.facts), "complete": self.exhausted,
                "witnesses": {name: _json_value(value) for name, value in zip(self.facts, self.witnesses)},
                "undecided": [{"fact": fact, "location": d.span.location(), "message": d.message}
                              for fact, d in self.undecided],
                "units": units}


def needs_all(pathway: Pathway, case: Mapping[str, Any], timeout_ms: int | None = None) -> NeedsAll:
    """The missing facts that could change some recommendation (or whether the run completes), asked of the solver."""
    from .. import program
    from ..solver import TIMEOUT_MS

    compiled = program(pathway)
    given = compiled.rules.validate(case)
    compiled.rules.check_requires(dict(given), None)
    read = compiled.scope.facts_behind(_read_anywhere(pathway))
    asked = [name for name in read if name not in given]
    if not asked:
        return NeedsAll(())
    pair = _Pair(pathway, given, TIMEOUT_MS if timeout_ms is None else timeout_ms)
    found, witnesses, undecided = [], [], []
    for name in asked:
        answer = pair.ask(name)
        if isinstance(answer, Diagnostic):
            undecided.append((name, answer))
        elif answer is not _IRRELEVANT:
            found.append(name)
            witnesses.append(answer)
    return NeedsAll(tuple(found), tuple(witnesses), tuple(pathway.facts[f].unit for f in found), tuple(undecided))


_IRRELEVANT = object()


class _Pair:
    """The pathway encoded twice in one solver: the case as given (extended), and the same case with one fact changed."""

    def __init__(self, pathway: Pathway, given: Mapping[str, Any], timeout_ms: int):
        import z3

        from ..solver import Encoding
        from ..solver.logic import And, Not, Or, Same
        from ..solver.space import FactSpace, variable

        self.pathway, self.timeout_ms = pathway, timeout_ms
        first = FactSpace.of([pathway], timeout_ms)
        first.shared = True  # keep each encoding's case constraints as literals; both are asserted below
        ctx = first.ctx
        second = FactSpace(ctx, first.solver, first.enum_index, first.types, shared=True,
                           present={n: z3.Bool(f"changed/present!{n}", ctx) for n in first.types},
                           value={n: variable(f"changed/fact!{n}", t, ctx) for n, t in first.types.items()})
        self.before = Encoding(pathway, space=first, prefix="given/")
        self.after = Encoding(pathway, space=second, prefix="changed/")
        self.spaces = first, second
        for encoding in (self.before, self.after):
            encoding._assert(And(list(encoding.fact_valid.values()) + [encoding.requires_valid]))
        for name, value in given.items():
            self.before._assert(And(first.present[name], Same(first.value[name], self._constant(name, value))))
        self.keep = {}
        for name in first.types:
            keep = self.before.bool(f"keep!{name}")
            self.before._assert(Or(Not(keep), And(Same(first.present[name], second.present[name]),
                                                  Same(first.value[name], second.value[name]))))
            self.keep[name] = keep
        self.differs = self.before.named("differs", Or([_xor(a, b) for a, b in self._outcomes()]))

    def ask(self, name: str) -> Any:
        """A value of `name` that changes the advice for some extension; _IRRELEVANT; or the undecided warning."""
        from ..solver import Undecided
        from ..solver.logic import Not

        first, second = self.spaces
        kept = [keep for other, keep in self.keep.items() if other != name]
        why = f"whether `{name}` could still change the advice"
        try:
            if not self.before.check(self.differs, Not(first.present[name]), second.present[name], *kept,
                                     why=why, partial=True):
                return _IRRELEVANT
        except Undecided as exc:
            return _undecided(exc, self.pathway.facts[name], self.timeout_ms)
        model = self.before.model()
        return self.after._python(model.eval(second.value[name], model_completion=True), first.types[name])

    def _outcomes(self) -> list[tuple[Any, Any]]:
        """(before, after) literals of each thing a run's result can differ in: its status (complete,
        needs_input, or stopped by a defect) and each (code, urgency) it emits."""
        from ..comparison import Side

        before, after = Side(self.pathway, self.before), Side(self.pathway, self.after)
        found = [(before.statuses[s], after.statuses[s]) for s in ("complete", "needs_input")]
        return found + [(before.emitted[pair], after.emitted[pair]) for pair in before.emitted]

    def _constant(self, name: str, value: Any):
        """A case's value as a constant of the solver (numbers exact, enumeration values by index,
        dates as day numbers, sets as bits)."""
        import z3

        from ..solver.terms import number_value
        from ..syntax import ast

        type_, ctx = self.pathway.facts[name].type, self.before.ctx
        if isinstance(type_, ast.BooleanType):
            return z3.BoolVal(value, ctx)
        if isinstance(type_, ast.EnumType):
            return z3.IntVal(self.before.enum_index[value], ctx)
        if isinstance(type_, ast.DateType):
            return z3.IntVal(value.toordinal(), ctx)
        if isinstance(type_, ast.SetType):
            bits = sum(1 << i for i, v in enumerate(type_.values) if v in value)
            return z3.BitVecVal(bits, len(type_.values), ctx)
        return number_value(value, ctx)


def _xor(a, b):
    """`a` and `b` differ (two Booleans of one context)."""
    import z3

    return z3.Xor(a, b)


def _undecided(exc, fact, timeout_ms: int) -> Diagnostic:
    """The located warning for a fact the solver could not decide about."""
    reason = exc.reason.lower()
    limit = f"within the {timeout_ms / 1000:g} s limit" if "timeout" in reason or "canceled" in reason \
        else f"({exc.reason})"
    return Diagnostic(WARNING, f"the solver could not decide whether `{fact.name}` could still change the advice "
                               f"{limit}; it is not listed", fact.span, kind="undecided",
                      hint="raise the limit with --timeout SECONDS")


def _json_value(value: Any) -> Any:
    """A witness value for JSON: dates as ISO text, sets as sorted lists, numbers exact."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    return value


def _read_anywhere(pathway: Pathway) -> list[str]:
    """Every name a guard of a decision or a recommendation reads."""
    from ..syntax import ast

    return [ref.name for node in pathway.nodes.values() for _, guard in ast.node_guards(node)
            for ref in ast.refs(guard)]
