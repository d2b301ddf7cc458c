"""Stage 5, diff: which valid cases two versions of a pathway answer differently, asked of the solver.

Both versions are encoded over one FactSpace, so one model is one case read by both. The solver is
asked for a valid case whose result differs (status, the recommendation codes emitted, or the
urgency of one); each answer is a region (the pair of routes and results), described by the
guards along both routes, and blocked before the next question, up to `limit` regions. Cases valid
in one version only are their own kind of difference. The policy (docs/review.md):

- a fact declared by one version only is free: the case may give any value in that version's
  domain (or omit it where that version allows), and the other version ignores it;
- a code in one version only is gained or lost like any other;
- a changed fact declaration or `require` shows as cases valid in one version only;
- texts, sources, cautions and invariants do not change what a case gets; they are listed as
  changes without a behavioural difference.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import z3

from ..errors import PathwayError, error
from ..solver import TIMEOUT_MS, Encoding, Undecided, topological_order
from ..solver.logic import And, Not, Or, Same
from ..solver.space import FactSpace, Incomparable
from ..syntax import ast
from ..syntax.printer import show, show_type
from ..syntax.units import derived_with_units, with_units
from ..syntax.words import define, derived_read, say
from .declarations import declaration_changes

LIMIT = 20
ROUTINE = "routine"  # the urgency of a recommendation whose step names none, as the engine reports it
STATUSES = ("complete", "needs_input", "defect")
BEHAVIOUR, OLD_ONLY, NEW_ONLY = "behaviour", "valid_in_old_only", "valid_in_new_only"


@dataclass(frozen=True)
class Condition:
    """One condition of a region, in DSL and in words, and the versions whose route it comes from."""

    dsl: str
    words: str
    versions: str  # "both", "old" or "new"


@dataclass(frozen=True)
class Definition:
    """A derived value a region's conditions read, as one version (or both alike) defines it, in words."""

    name: str
    words: tuple[str, ...]
    versions: str


@dataclass(frozen=True)
class Outcome:
    """What one version gives the region's cases: status, codes with their urgency, route."""

    status: str
    codes: tuple[tuple[str, str], ...] = ()
    route: tuple[str, ...] = ()


@dataclass(frozen=True)
class Region:
    """Cases one version answers differently from the other (or accepts and the other rejects)."""

    kind: str
    conditions: tuple[Condition, ...]
    old: Outcome
    new: Outcome
    witness: dict[str, Any]
    witness_old: dict[str, Any]
    witness_new: dict[str, Any]
    definitions: tuple[Definition, ...] = ()

    @property
    def gained(self) -> list[str]:
        """Codes the new version emits and the old does not."""
        return sorted({c for c, _ in self.new.codes} - {c for c, _ in self.old.codes})

    @property
    def lost(self) -> list[str]:
        """Codes the old version emits and the new does not."""
        return sorted({c for c, _ in self.old.codes} - {c for c, _ in self.new.codes})

    @property
    def urgency_changed(self) -> list[tuple[str, str, str]]:
        """(code, old urgency, new urgency) for codes both emit at different urgencies."""
        old, new = _urgencies(self.old), _urgencies(self.new)
        return [(code, old[code], new[code]) for code in sorted(old.keys() & new.keys()) if old[code] != new[code]]


@dataclass(frozen=True)
class Comparison:
    """The answer of diff: the regions found, questions left undecided, and declaration changes."""

    old: Any
    new: Any
    regions: tuple[Region, ...]
    undecided: tuple[str, ...] = ()
    truncated: bool = False
    changes: tuple[str, ...] = field(default=())

    @property
    def same(self) -> bool:
        """Proven: every valid case gets the same result from both versions."""
        return not self.regions and not self.undecided


def compare(old, new, limit: int = LIMIT, timeout_ms: int = TIMEOUT_MS) -> Comparison:
    """Compare two loaded pathways on every valid case; at most `limit` regions of each kind."""
    try:
        space = FactSpace.of([old, new], timeout_ms)
    except Incomparable as exc:
        raise PathwayError(error(str(exc), new.facts[exc.fact].span, kind="diff",
                                 hint="rename the fact in the new version, so that the two are compared as "
                                      "one removed and one added")) from None
    sides = (Side(old, Encoding(old, space=space, prefix="old/")), Side(new, Encoding(new, space=space, prefix="new/")))
    search = Search(*sides, limit)
    regions = search.validity(0) + search.validity(1) + search.behaviour()
    return Comparison(old, new, tuple(regions), tuple(search.undecided), search.truncated,
                      tuple(declaration_changes(old, new)))


class Side:
    """One version in the shared space: its encoding, validity, status and emissions as literals."""

    def __init__(self, pathway, encoding: Encoding):
        self.pathway, self.encoding = pathway, encoding
        self.order = topological_order(pathway.nodes)  # node names in a run's order
        enc = encoding
        waiting = list(enc.waits.values()) + [self._waits(node) for node in pathway.nodes.values()
                                              if isinstance(node, ast.Decision)]
        self.statuses = {"complete": enc.done, "needs_input": enc.named("status!needs_input", Or(waiting + [enc.false]))}
        self.statuses["defect"] = enc.named("status!defect", And(Not(enc.done), Not(self.statuses["needs_input"])))
        self.requires = [(r, enc.term(r.condition)) for r in pathway.document.requires]
        # Named before any question, so that every model gives them their value.
        self.emitted = {pair: self._emits(pair) for pair in sorted(self.pairs())}

    def _waits(self, node: ast.Decision) -> z3.BoolRef:
        """The run stops for input at a decision: under `first match`, the first guard not decided false
        is undecided; otherwise no guard holds, none stops the run with a defect, and one is undecided."""
        enc = self.encoding
        terms = [enc.guards[node.name, i] for i, b in enumerate(node.branches) if b.guard is not None]
        undecided = [And(Not(t.defined), Not(t.fault)) for t in terms]
        if node.first_match:
            stops = [And(*[And(*t.fails()) for t in terms[:k]], undecided[k]) for k in range(len(terms))]
            return And(enc.reach[node.name], Or(stops + [enc.false]))
        quiet = [And(Not(t.fault), Not(And(t.defined, t.value))) for t in terms]
        return And(enc.reach[node.name], *quiet, Or(undecided + [enc.false]))

    def _emits(self, pair: tuple[str, str]) -> z3.BoolRef:
        """A literal: a run's result has this code at this urgency (a run stopped by a defect has no result)."""
        conditions = [c for step, rec, c in self.encoding.emissions if (rec.code, urgency(step, rec)) == pair]
        return self.encoding.named(f"emits!{pair[0]}!{pair[1]}",
                                   And(Or(conditions + [self.encoding.false]), Not(self.statuses["defect"])))

    def pairs(self) -> set[tuple[str, str]]:
        """Every (code, urgency) this version can emit."""
        return {(rec.code, urgency(step, rec)) for step, rec, _ in self.encoding.emissions}

    def own(self, facts) -> list[z3.BoolRef]:
        """The validity literals of these facts of this version."""
        return [self.encoding.fact_valid[name] for name in facts]

    def valid(self) -> z3.BoolRef:
        """The case is valid for this version: every fact in its domain, required ones given, requires hold."""
        return And(self.encoding.given, *self.own(self.pathway.facts), self.encoding.requires_valid)

    def outcome(self, model: z3.ModelRef) -> Outcome:
        """The status, emitted codes and route the model's case gets."""
        status = next(s for s, literal in self.statuses.items() if _true(model, literal))
        codes = tuple(sorted(p for p, literal in self.emitted.items() if _true(model, literal)))
        return Outcome(status, codes, tuple(n for n in self.order if _true(model, self.encoding.reach[n])))

    def route_conditions(self, model: z3.ModelRef, codes: set[str]) -> list[tuple[str, str, ast.Expr]]:
        """(dsl, words) of the guards that lead the model's case along its route, and of the guards of
        the changed codes at the steps it reaches."""
        found: list[tuple[str, str, ast.Expr]] = []
        for name in self.order:
            if not _true(model, self.encoding.reach[name]):
                continue
            node = self.pathway.nodes[name]
            if isinstance(node, ast.Decision):
                found += self._branch_conditions(node, model)
            else:
                found += self._recommendation_conditions(node, model, codes)
        return found

    def _branch_conditions(self, node: ast.Decision, model) -> list[tuple[str, str, ast.Expr]]:
        """The guards of a decision's taken branch (and, where they matter, of those before it)."""
        taken = next((i for i in range(len(node.branches)) if _true(model, self.encoding.take[node.name, i])), None)
        items = []
        for index, branch in enumerate(node.branches):
            if branch.guard is None:
                continue
            guard = self.encoding.guards[node.name, index]
            if taken is None and not _true(model, guard.defined):
                items.append(_unknown(branch.guard, self.pathway.units))
            elif index == taken:
                items.append(_phrase(branch.guard, True, self.pathway.units))
            elif taken is not None and (node.first_match and index < taken or node.branches[taken].guard is None):
                items.append(_phrase(branch.guard, False, self.pathway.units))
        return items

    def _recommendation_conditions(self, node: ast.Step, model, codes: set[str]) -> list[tuple[str, str, ast.Expr]]:
        """The guards of the step's recommendations: of changed codes, and any the case cannot decide."""
        items = []
        for index, rec in enumerate(node.recommendations):
            if rec.guard is None:
                continue
            guard = self.encoding.guards[node.name, index]
            if not _true(model, guard.defined):
                items.append(_unknown(rec.guard, self.pathway.units))
            elif rec.code in codes:
                items.append(_phrase(rec.guard, _true(model, guard.value), self.pathway.units))
        return items

    def broken(self, model: z3.ModelRef, facts) -> list[tuple[str, str]]:
        """The declarations of this version the model's case breaks (facts among `facts`, and requires)."""
        items = [(f"`{name}` is {'optional' if self.pathway.facts[name].optional else 'required'} "
                  f"{show_type(self.pathway.facts[name].type)}", f"{name} does not fit its declaration")
                 for name in facts if not _true(model, self.encoding.fact_valid[name])]
        for require, term in self.requires:
            if _true(model, And(term.defined, Not(term.fault), Not(term.value))):
                words = say(with_units(require.condition, self.pathway.units))
                items.append((f"require {show(require.condition)}", f"the case breaks: {words}"))
        return items

    def require_literals(self) -> list[z3.BoolRef]:
        """One literal per require: the case breaks it."""
        return [And(t.defined, Not(t.fault), Not(t.value)) for _, t in self.requires]


class Search:
    """The questions to the solver, each answer blocked before the next."""

    def __init__(self, old: Side, new: Side, limit: int):
        self.sides, self.limit = (old, new), limit
        self.undecided: list[str] = []
        self.truncated = False
        self.blocked = 0  # regions blocked so far, each by its own literal
        self.shared = [n for n in old.pathway.facts if n in new.pathway.facts]
        only = [old.own(n for n in old.pathway.facts if n not in new.pathway.facts),
                new.own(n for n in new.pathway.facts if n not in old.pathway.facts)]
        self.free = only[0] + only[1]  # a fact one version does not declare: any value the other allows

    def _ask(self, literals: list[z3.BoolRef], blocks: list[z3.BoolRef], why: str) -> z3.ModelRef | None:
        """A model of the literals and blocks, or None; an undecided question is noted and ends the search."""
        encoding = self.sides[0].encoding
        try:
            if not encoding.check(*literals, *blocks, why=why, partial=True):
                return None
        except Undecided as exc:
            self.undecided.append(f"{exc.why}: the solver could not decide ({exc.reason})")
            return None
        return encoding.decimal_model()

    def _enumerate(self, literals: list[z3.BoolRef], why: str, describe) -> list[Region]:
        """Regions answering the question, each blocked by its signature, up to the limit."""
        regions, blocks = [], []
        encoding = self.sides[0].encoding
        while True:
            model = self._ask(literals, blocks, why)
            if model is None:
                return regions
            if len(regions) == self.limit:
                self.truncated = True
                return regions
            region, signature = describe(model)
            regions.append(region)
            self.blocked += 1
            blocks.append(encoding.named(f"block!{self.blocked}", Not(And(signature))))

    def behaviour(self) -> list[Region]:
        """Regions of cases valid in both versions that get a different status, codes or urgency."""
        old, new = self.sides
        emitted = old.emitted, new.emitted
        differ = Or([Not(Same(old.statuses[s], new.statuses[s])) for s in STATUSES] +
                    [Not(Same(emitted[0].get(p, old.encoding.false), emitted[1].get(p, new.encoding.false)))
                     for p in sorted(emitted[0].keys() | emitted[1].keys())])
        literals = [old.valid(), new.valid(), old.encoding.named("differ", differ)]
        return self._enumerate(literals, "a case both versions answer differently", self._behaviour_region)

    def _behaviour_region(self, model) -> tuple[Region, list[z3.BoolRef]]:
        """The region of the model's case: both routes and results, and the guards that lead there."""
        old, new = self.sides
        outcomes = old.outcome(model), new.outcome(model)
        changed = {c for c, _ in set(outcomes[0].codes) ^ set(outcomes[1].codes)}
        merged = _merge(old.route_conditions(model, changed), new.route_conditions(model, changed))
        parting = {item: versions for item, versions in merged.items() if versions != "both"}
        conditions = tuple(Condition(dsl, words, versions) for (dsl, words, _), versions in parting.items())
        definitions = _definitions(parting, old.pathway, new.pathway)
        return self._region(BEHAVIOUR, conditions, outcomes, model, definitions), self._change(model)

    def _change(self, model) -> list[z3.BoolRef]:
        """Literals fixing what changes for the model's case (both statuses, each code gained or lost at
        its urgency), and nothing else: every case with the same change is one region."""
        old, new = self.sides
        fixed = [lit if _true(model, lit) else Not(lit) for lit in list(old.statuses.values()) + list(new.statuses.values())]
        emitted = old.emitted, new.emitted
        for pair in sorted(emitted[0].keys() | emitted[1].keys()):
            before, after = emitted[0].get(pair, old.encoding.false), emitted[1].get(pair, new.encoding.false)
            if _true(model, before) == _true(model, after):
                fixed.append(Same(before, after))
            else:
                fixed += [before if _true(model, before) else Not(before), after if _true(model, after) else Not(after)]
        return fixed

    def validity(self, accepting: int) -> list[Region]:
        """Regions of cases the one version accepts and the other rejects (the facts one version
        alone declares kept within their domain)."""
        accept, reject = self.sides[accepting], self.sides[1 - accepting]
        rejected = Not(And(reject.own(self.shared) + [reject.encoding.requires_valid]))
        literals = [accept.valid(), reject.encoding.given, *self.free, reject.encoding.named(f"rejects!{accepting}", rejected)]
        kind = (OLD_ONLY, NEW_ONLY)[accepting]
        name = ("old", "new")[accepting]
        return self._enumerate(literals, f"a case valid in the {name} version only",
                               lambda model: self._validity_region(kind, accept, reject, model))

    def _validity_region(self, kind: str, accept: Side, reject: Side, model) -> tuple[Region, list[z3.BoolRef]]:
        """The region of cases breaking the same declarations of one version, with the other's result."""
        outcome = accept.outcome(model)
        versions = "new" if accept is self.sides[0] else "old"
        conditions = tuple(Condition(dsl, words, versions) for dsl, words in reject.broken(model, self.shared))
        outcomes = (outcome, Outcome("invalid")) if kind == OLD_ONLY else (Outcome("invalid"), outcome)
        literals = ([reject.encoding.fact_valid[n] for n in self.shared] + reject.require_literals()
                    + list(accept.statuses.values()) + list(accept.emitted.values()))
        return (self._region(kind, conditions, outcomes, model),
                [lit if _true(model, lit) else Not(lit) for lit in literals])

    def _region(self, kind: str, conditions, outcomes: tuple[Outcome, Outcome], model,
                definitions: tuple[Definition, ...] = ()) -> Region:
        """A region with its witness: the whole case, and the part each version declares."""
        old, new = self.sides
        case = old.encoding.witness(model)
        return Region(kind, tuple(conditions), outcomes[0], outcomes[1], case,
                      {k: v for k, v in case.items() if k in old.pathway.facts},
                      {k: v for k, v in case.items() if k in new.pathway.facts}, definitions)


def urgency(step: ast.Step, rec: ast.Recommendation) -> str:
    """A recommendation's urgency as a run reports it: its own, its step's, or routine."""
    return rec.urgency or step.urgency or ROUTINE


def _urgencies(outcome: Outcome) -> dict[str, str]:
    """Each emitted code's urgency (several, joined, when one code is emitted at several)."""
    found: dict[str, list[str]] = {}
    for code, level in outcome.codes:
        found.setdefault(code, []).append(level)
    return {code: "/".join(levels) for code, levels in found.items()}


def _true(model: z3.ModelRef, literal: z3.BoolRef) -> bool:
    """Whether the model makes the literal true."""
    return z3.is_true(model.eval(literal, model_completion=True))


def _phrase(expr: ast.Expr, holds: bool, units: dict[str, str]) -> tuple[str, str, ast.Expr]:
    """A guard, or its negation, in DSL and in words with units (and the guard)."""
    if holds:
        return show(expr), say(with_units(expr, units)), expr
    return f"not ({show(expr)})", f"not: {say(with_units(expr, units))}", expr


def _unknown(expr: ast.Expr, units: dict[str, str]) -> tuple[str, str, ast.Expr]:
    """A guard the case cannot decide (a fact it needs is missing)."""
    return f"({show(expr)}) is unknown", f"cannot be decided: {say(with_units(expr, units))}", expr


def _merge(old: list[tuple], new: list[tuple]) -> dict[tuple, str]:
    """The conditions of both routes, each once, with the versions whose route has it."""
    merged: dict[tuple, str] = {}
    for item in old:
        merged.setdefault(item, "old")
    for item in new:
        merged[item] = "both" if merged.get(item) in ("old", "both") else "new"
    return merged


def _definitions(conditions: dict[tuple, str], old, new) -> tuple[Definition, ...]:
    """The derived values the conditions read, in words: once where both versions define them alike."""
    read = {}
    for version, pathway in (("old", old), ("new", new)):
        exprs = [item[2] for item, versions in conditions.items() if versions in (version, "both")]
        read[version] = {name: tuple(define(derived_with_units(pathway.derived[name], pathway.units)))
                         for name in derived_read(exprs, pathway.derived)}
    found = []
    for name in dict.fromkeys([*read["old"], *read["new"]]):
        before, after = read["old"].get(name), read["new"].get(name)
        if before == after:
            found.append(Definition(name, before, "both"))
            continue
        found += [Definition(name, words, version) for version, words in (("old", before), ("new", after)) if words]
    return tuple(found)
