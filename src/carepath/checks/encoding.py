"""Stage 4, checking: the pathway encoded once for one incremental z3 solver.

Every expression becomes a pair (defined, value), the solver's copy of the runtime's Kleene logic:
`defined` is false exactly where the executor computes UNKNOWN. Facts get a presence flag (required
facts are assumed present) and a value in their declared range; each node's reach condition is
named by a Boolean `reach!NODE`, defined in topological order from the edges into it, so a query
about any node is one call with assumptions, never one per path.

The checks ask one encoding whose declarations are plain assertions. Only when a finding needs
explaining is a second, `explaining` encoding built (once per check run): there every declaration
(a fact's domain, a `require`, a derived value, a guard) sits behind its own switch literal, so an
unsat core over the switches names the declarations that conflict. Keeping the switches out of
the encoding that answers the questions halves the cost of each question.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import singledispatch
from typing import Any

import z3

from ..errors import Span
from ..expr import ARITHMETIC, COMPARISONS
from ..model.resolve import topological_order
from ..syntax import ast
from ..syntax.printer import show, show_type

TIMEOUT_MS = 10_000


class Undecided(Exception):
    """The solver gave up on a question (a timeout, or arithmetic it cannot decide)."""


@dataclass(frozen=True)
class Term:
    """An expression for the solver: whether the runtime can decide it, and its value when it can."""

    defined: z3.BoolRef
    value: z3.ExprRef

    def holds(self) -> list[z3.BoolRef]:
        """Literals saying the expression is decided and true."""
        return [self.defined, self.value]

    def fails(self) -> list[z3.BoolRef]:
        """Literals saying the expression is decided and false."""
        return [self.defined, z3.Not(self.value)]


@dataclass(frozen=True)
class Tracked:
    """A declaration an unsat core can name: its switch, what it says, and where it is written."""

    switch: z3.BoolRef
    message: str
    span: Span | None


class Encoding:
    """The pathway's facts, requires, derived values, guards and reach conditions in one solver."""

    def __init__(self, pathway, explaining: bool = False):
        self.pathway = pathway
        self.explaining = explaining
        self.ctx = z3.Context()
        self.true = z3.BoolVal(True, self.ctx)
        self.solver = z3.Solver(ctx=self.ctx)
        self.solver.set("timeout", TIMEOUT_MS)
        self.solver.set("smt.relevancy", 0)
        self.calls = 0
        self.tracked: list[Tracked] = []
        self.enum_index = _enum_index(pathway)
        self.present: dict[str, z3.BoolRef] = {}
        self.value: dict[str, z3.ExprRef] = {}
        self.derived: dict[str, Term] = {}
        self.guards: dict[tuple[str, int], Term] = {}
        self.reach: dict[str, z3.BoolRef] = {}
        self.take: dict[tuple[str, int], z3.BoolRef] = {}
        self.emitted: dict[str, list[z3.BoolRef]] = {}
        self.finished: list[z3.BoolRef] = []
        self._pending: dict[str, list[z3.BoolRef]] = {}
        self._emits: dict[str, z3.BoolRef] = {}
        self._names = 0
        self._declare()

    # --- building ---------------------------------------------------------------------------
    def _declare(self) -> None:
        """Encode the whole pathway, declarations first, then the nodes in topological order."""
        for fact in self.pathway.facts.values():
            self._fact(fact)
        for value in self.pathway.derived.values():
            self.derived[value.name] = Term(self.bool(f"defined!{value.name}"),
                                            _variable(f"derived!{value.name}", value.type, self.ctx))
        for require in self.pathway.document.requires:
            term = self.term(require.condition)
            self._track(z3.Implies(term.defined, term.value), f"`require {show(require.condition)}`", require.span)
        for value in self.pathway.derived.values():
            self._derive(value)
        for name in topological_order(self.pathway.nodes):
            self._node(self.pathway.nodes[name])
        self.done = self.literal(z3.Or(self.finished, self.ctx))

    def _track(self, constraint: z3.BoolRef, message: str, span: Span | None) -> None:
        """Assert a declaration, behind its own switch when explaining."""
        if not self.explaining:
            self.solver.add(constraint)
            return
        switch = self.bool(f"track!{len(self.tracked)}")
        self.solver.add(z3.Implies(switch, constraint))
        self.tracked.append(Tracked(switch, message, span))

    def _fact(self, fact: ast.Fact) -> None:
        """A presence flag and a value within the declared domain; required facts are present."""
        present, value = self.bool(f"present!{fact.name}"), _variable(f"fact!{fact.name}", fact.type, self.ctx)
        self.present[fact.name], self.value[fact.name] = present, value
        constraints = _domain(value, fact.type, self.enum_index) + ([] if fact.optional else [present])
        if constraints:
            kind = "optional " if fact.optional else "required "
            self._track(z3.And(constraints), f"`{fact.name}` is {kind}{show_type(fact.type)}", fact.span)

    def _derive(self, value: ast.Derived) -> None:
        """A derived value: the first case whose guard holds, undecided where the runtime's is."""
        result: Term | None = None
        for case in reversed(value.cases):
            outcome = self.term(case.outcome)
            if case.guard is None:
                result = outcome
                continue
            guard = self.term(case.guard)
            later = result or Term(z3.BoolVal(False, self.ctx), outcome.value)
            result = Term(z3.And(guard.defined, z3.If(guard.value, outcome.defined, later.defined)),
                          z3.If(guard.value, outcome.value, later.value))
        named = self.derived[value.name]
        self._track(z3.And(named.defined == result.defined, named.value == result.value),
                    f"`{value.name}` is derived here", value.span)

    def _guard(self, node: str, index: int, expr: ast.Expr, message: str, span: Span | None) -> Term:
        """A guard named by two Booleans, defined behind its own switch."""
        term = self.term(expr)
        named = Term(self.bool(f"defined!{node}!{index}"), self.bool(f"holds!{node}!{index}"))
        self._track(z3.And(named.defined == term.defined, named.value == term.value), message, span)
        self.guards[node, index] = named
        return named

    def _node(self, node: ast.Node) -> None:
        """Name the node's reach condition, then the conditions of the edges out of it."""
        arrivals = self._pending.pop(node.name, [])
        if node.name == self.pathway.start:
            arrivals.append(self.true)
        reach = self.bool(f"reach!{node.name}")
        self.solver.add(reach == z3.Or(arrivals, self.ctx))
        self.reach[node.name] = reach
        exits = self._decision(node) if isinstance(node, ast.Decision) else self._step(node)
        for index, (target, condition) in enumerate(exits):
            take = self.bool(f"take!{node.name}!{index}")
            self.solver.add(take == z3.And(reach, condition))
            self.take[node.name, index] = take
            if target is None:
                self.finished.append(take)
            else:
                self._pending.setdefault(target, []).append(take)

    def _decision(self, node: ast.Decision) -> list[tuple[str, z3.BoolRef]]:
        """(target, condition) per branch: the first true guard (first decided-false ones before it)."""
        terms = [None if b.guard is None else
                 self._guard(node.name, i, b.guard, f"branch `when {show(b.guard)}` of `{node.name}`", b.span)
                 for i, b in enumerate(node.branches)]
        guarded = [t for t in terms if t is not None]
        every_fails = z3.And([z3.And(t.fails()) for t in guarded])
        exits = []
        for index, (branch, term) in enumerate(zip(node.branches, terms)):
            if term is None:
                exits.append((branch.target, every_fails))
                continue
            earlier = [z3.And(t.fails()) if node.first_match else z3.Not(z3.And(t.holds())) for t in guarded[:index]]
            exits.append((branch.target, z3.And(*earlier, *term.holds())))
        return exits

    def _step(self, node: ast.Step) -> list[tuple[str | None, z3.BoolRef]]:
        """The step's one exit, taken when every recommendation guard is decided."""
        reach = self.reach[node.name]
        decided: list[z3.BoolRef] = []
        for index, rec in enumerate(node.recommendations):
            if rec.guard is None:
                self.emitted.setdefault(rec.code, []).append(z3.And(reach, *decided))
                continue
            term = self._guard(node.name, index, rec.guard,
                               f"`{rec.code}` is recommended when `{show(rec.guard)}`", rec.guard.span)
            self.emitted.setdefault(rec.code, []).append(z3.And(reach, *decided, *term.holds()))
            decided.append(term.defined)
        return [(node.next, z3.And(decided, self.ctx))]

    def literal(self, formula: z3.BoolRef) -> z3.BoolRef:
        """A fresh Boolean that implies `formula`, usable as an assumption."""
        self._names += 1
        name = self.bool(f"query!{self._names}")
        self.solver.add(z3.Implies(name, formula))
        return name

    def emits(self, code: str) -> z3.BoolRef:
        """A literal true exactly when a run emits `code` (named on first use)."""
        if code not in self._emits:
            named = self.bool(f"emits!{code}")
            self.solver.add(named == z3.Or(self.emitted.get(code, []), self.ctx))
            self._emits[code] = named
        return self._emits[code]

    def bool(self, name: str) -> z3.BoolRef:
        """A named Boolean constant in this encoding's own z3 context."""
        return z3.Bool(name, self.ctx)

    def term(self, expr: ast.Expr) -> Term:
        """The solver's reading of an expression."""
        return _term(expr, self)

    # --- asking -----------------------------------------------------------------------------
    def check(self, *literals: z3.BoolRef, why: str = "a question") -> bool:
        """Whether some valid case makes every literal hold; raise Undecided if z3 gives up.

        Only a finding needs the case itself: ask `model()` or `witness()` right after, because
        building a model of the whole pathway costs several times more than the check.
        """
        self.calls += 1
        result = self.solver.check(*literals)
        if result == z3.unknown:
            raise Undecided(f"{why}: {self.solver.reason_unknown()}")
        return result == z3.sat

    def model(self) -> z3.ModelRef:
        """The model of the last satisfiable check."""
        return self.solver.model()

    def explain(self, *literals: z3.BoolRef) -> list[Tracked]:
        """The declarations that together rule the literals out: an unsat core, minimised."""
        kept = self._core(literals, self.tracked)
        for item in list(kept or []):
            trial = [t for t in kept if t is not item]
            if self._core(literals, trial) is not None:
                kept = trial
        return kept or []

    def _core(self, literals, tracked: list[Tracked]) -> list[Tracked] | None:
        """The tracked declarations in an unsat core of literals plus those switches, or None if sat."""
        self.calls += 1
        if self.solver.check(*literals, *(t.switch for t in tracked)) != z3.unsat:
            return None
        names = {str(c) for c in self.solver.unsat_core()}
        return [t for t in tracked if str(t.switch) in names]

    def witness(self, model: z3.ModelRef | None = None) -> dict[str, Any]:
        """A model (by default the last check's) as a case: every required fact, optional ones when present."""
        model = model or self.model()
        case: dict[str, Any] = {}
        for name, fact in self.pathway.facts.items():
            if fact.optional and not z3.is_true(model.eval(self.present[name], model_completion=True)):
                continue
            case[name] = self._python(model.eval(self.value[name], model_completion=True), fact.type)
        return case

    def _python(self, value: z3.ExprRef, type_: ast.Type) -> Any:
        """A model value as the JSON value a case gives: bool, int, float or enumeration name."""
        if isinstance(type_, ast.BooleanType):
            return z3.is_true(value)
        if isinstance(type_, ast.EnumType):
            return self.enum_names[value.as_long()]
        if isinstance(type_, ast.IntegerType):
            return value.as_long()
        if not z3.is_rational_value(value):
            value = value.approx(12)
        fraction = Fraction(value.numerator_as_long(), value.denominator_as_long())
        return int(fraction) if fraction.denominator == 1 else float(fraction)

    @property
    def enum_names(self) -> dict[int, str]:
        """Enumeration values by their solver index."""
        return {index: name for name, index in self.enum_index.items()}


def _enum_index(pathway) -> dict[str, int]:
    """One solver integer per enumeration value name, shared by every enumeration (source order)."""
    types = [d.type for d in list(pathway.facts.values()) + list(pathway.derived.values())]
    names = [v for t in types if isinstance(t, ast.EnumType) for v in t.values]
    return {name: index for index, name in enumerate(dict.fromkeys(names))}


def _variable(name: str, type_: ast.Type, ctx: z3.Context) -> z3.ExprRef:
    """A solver constant of the sort that holds values of a declared type."""
    if isinstance(type_, ast.BooleanType):
        return z3.Bool(name, ctx)
    return z3.Real(name, ctx) if isinstance(type_, ast.NumberType) else z3.Int(name, ctx)


def _domain(value: z3.ExprRef, type_: ast.Type, enum_index: dict[str, int]) -> list[z3.BoolRef]:
    """Constraints keeping a value inside its declared range or enumeration."""
    if isinstance(type_, ast.EnumType):
        return [z3.Or([value == enum_index[v] for v in type_.values])]
    if isinstance(type_, (ast.IntegerType, ast.NumberType)) and type_.low is not None:
        return [_number(type_.low, value.ctx) <= value, value <= _number(type_.high, value.ctx)]
    return []


def _number(value: int | float, ctx: z3.Context) -> z3.ArithRef:
    """A numeric literal, exactly as written (0.1 is one tenth, not the nearest double)."""
    if isinstance(value, int):
        return z3.IntVal(value, ctx)
    fraction = Fraction(repr(value))
    return z3.Q(fraction.numerator, fraction.denominator, ctx)


def _real(term: z3.ArithRef) -> z3.ArithRef:
    """An arithmetic term as a real, so that `/` divides as the runtime does."""
    return z3.ToReal(term) if z3.is_int(term) else term


@singledispatch
def _term(expr, encoding: Encoding) -> Term:
    raise TypeError(f"not an expression: {expr!r}")


@_term.register
def _(expr: ast.Ref, encoding: Encoding) -> Term:
    if expr.name in encoding.derived:
        return encoding.derived[expr.name]
    return Term(encoding.present[expr.name], encoding.value[expr.name])


@_term.register
def _(expr: ast.Literal, encoding: Encoding) -> Term:
    value = expr.value
    constant = z3.BoolVal(value, encoding.ctx) if isinstance(value, bool) else _number(value, encoding.ctx)
    return Term(encoding.true, constant)


@_term.register
def _(expr: ast.Symbol, encoding: Encoding) -> Term:
    return Term(encoding.true, z3.IntVal(encoding.enum_index[expr.name], encoding.ctx))


@_term.register
def _(expr: ast.Neg, encoding: Encoding) -> Term:
    inner = _term(expr.operand, encoding)
    return Term(inner.defined, -inner.value)


@_term.register
def _(expr: ast.Arith, encoding: Encoding) -> Term:
    left, right = _term(expr.left, encoding), _term(expr.right, encoding)
    a, b = (_real(left.value), _real(right.value)) if expr.op == "/" else (left.value, right.value)
    return Term(z3.And(left.defined, right.defined), ARITHMETIC[expr.op](a, b))


@_term.register
def _(expr: ast.Compare, encoding: Encoding) -> Term:
    left, right = _term(expr.left, encoding), _term(expr.right, encoding)
    return Term(z3.And(left.defined, right.defined), COMPARISONS[expr.op](left.value, right.value))


@_term.register
def _(expr: ast.Presence, encoding: Encoding) -> Term:
    inner = _term(expr.operand, encoding)
    return Term(encoding.true, inner.defined if expr.present else z3.Not(inner.defined))


@_term.register
def _(expr: ast.IsValue, encoding: Encoding) -> Term:
    inner = _term(expr.operand, encoding)
    equal = inner.value == encoding.enum_index[expr.value.name]
    return Term(inner.defined, z3.Not(equal) if expr.negated else equal)


@_term.register
def _(expr: ast.InSet, encoding: Encoding) -> Term:
    inner = _term(expr.operand, encoding)
    member = z3.Or([inner.value == _term(item, encoding).value for item in expr.items])
    return Term(inner.defined, z3.Not(member) if expr.negated else member)


@_term.register
def _(expr: ast.Not, encoding: Encoding) -> Term:
    inner = _term(expr.operand, encoding)
    return Term(inner.defined, z3.Not(inner.value))


@_term.register
def _(expr: ast.And, encoding: Encoding) -> Term:
    terms = [_term(op, encoding) for op in expr.operands]
    some_false = z3.Or([z3.And(t.defined, z3.Not(t.value)) for t in terms])
    return Term(z3.Or(some_false, z3.And([t.defined for t in terms])), z3.And([t.value for t in terms]))


@_term.register
def _(expr: ast.Or, encoding: Encoding) -> Term:
    terms = [_term(op, encoding) for op in expr.operands]
    some_true = z3.Or([z3.And(t.defined, t.value) for t in terms])
    return Term(z3.Or(some_true, z3.And([t.defined for t in terms])), z3.Or([t.value for t in terms]))
