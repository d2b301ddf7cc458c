"""Stage 4, the solver encoding: the pathway's meaning as z3 terms, for `check`, `cases` and `diff`.

The executor (carepath.expr) and this encoding are the two readings of one AST, side by side over
one operator table (expr.ARITHMETIC, expr.COMPARISONS). Every expression becomes a Term:
`defined` is false exactly where the executor computes UNKNOWN, `value` is its value, and `fault`
holds exactly where evaluating it stops the run with a pathway defect (a division by zero, a
derived value with no case or outside its range). Numbers are exact on both sides: z3 Ints and
Reals, literals as the fractions they are written as. Terms are built in the executor's
evaluation order (left to right, Kleene short-circuit, a derived value only when read), and each
division remembers the condition under which the executor evaluates it.

Facts get a presence flag (required facts are assumed present) and a value in their declared
range; each node's reach condition is named by a Boolean `reach!NODE`, defined in topological
order from the edges into it, so a query about any node is one call with assumptions.

The checks ask one encoding whose declarations are plain assertions. Only when a finding needs
explaining is a second, `explaining` encoding built: there every declaration sits behind its own
switch literal, so an unsat core over the switches names the declarations that conflict.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

import z3

from ..errors import Span
from ..expr import interval_names
from ..expr.dates import FIRST_DAY, LAST_DAY
from ..expr.numbers import finite_decimal, normal
from ..model.resolve import topological_order
from ..syntax import ast
from ..syntax.printer import show, show_type
from .logic import And, Not, Or, Same
from .space import FactSpace, own_bits, undeclared_bits, variable
from .terms import Division, Term, number_value, term

TIMEOUT_MS = 5_000
WITNESS_DIGITS = (1, 2, 3, 6, 12, 24)  # decimal places tried when a model's number has no finite decimal


class Undecided(Exception):
    """The solver gave up on a question (a timeout, or arithmetic it cannot decide)."""

    def __init__(self, why: str, reason: str):
        super().__init__(f"{why}: {reason}")
        self.why, self.reason = why, reason


@dataclass(frozen=True)
class Tracked:
    """A declaration an unsat core can name: its switch, what it says, and where it is written."""

    switch: z3.BoolRef
    message: str
    span: Span | None


class Encoding:
    """The pathway's facts, requires, derived values, guards and reach conditions in one solver."""

    def __init__(self, pathway, explaining: bool = False, timeout_ms: int = TIMEOUT_MS,
                 space: FactSpace | None = None, prefix: str = ""):
        """`space`: the facts' constants, shared with other encodings (diff); `prefix` then keeps this
        encoding's own names (reach, guards, derived values) apart from theirs."""
        self.pathway = pathway
        self.explaining = explaining
        self.timeout_ms = timeout_ms
        self.space = space or FactSpace.of([pathway], timeout_ms)
        self.prefix = prefix
        self.ctx, self.solver = self.space.ctx, self.space.solver
        self._bool_sort = z3.BoolSort(self.ctx)
        self.true, self.false = z3.BoolVal(True, self.ctx), z3.BoolVal(False, self.ctx)
        self.calls = 0
        self.tracked: list[Tracked] = []
        self.enum_index = self.space.enum_index
        self.bounded = interval_names(pathway.derived)
        self.present: dict[str, z3.BoolRef] = self.space.present
        self.value: dict[str, z3.ExprRef] = self.space.value
        self.fact_valid: dict[str, z3.BoolRef] = {}
        self.set_bits: dict[str, z3.BitVecRef] = {}  # each set fact's value as this version declares its values
        self.requires_valid = self.true
        self.derived: dict[str, Term] = {}
        self.evaluated: dict[str, z3.BoolRef] = {}
        self.derived_body: dict[str, Term] = {}
        self.case_guards: dict[tuple[str, int], Term] = {}
        self.case_take: dict[tuple[str, int], z3.BoolRef] = {}
        self.guards: dict[tuple[str, int], Term] = {}
        self.reach: dict[str, z3.BoolRef] = {}
        self.take: dict[tuple[str, int], z3.BoolRef] = {}
        self.emitted: dict[str, list[z3.BoolRef]] = {}
        self.emissions: list[tuple[ast.Step, ast.Recommendation, z3.BoolRef]] = []
        self.waits: dict[str, z3.BoolRef] = {}
        self.finished: list[z3.BoolRef] = []
        self.divisions: list[Division] = []
        self._reads: dict[str, list[z3.BoolRef]] = {}
        self._pending: dict[str, list[z3.BoolRef]] = {}
        self._emits: dict[str, z3.BoolRef] = {}
        self._names = 0
        self._last: tuple = ()
        self.given = self.bool("given!required")
        self._declare()

    # --- building ---------------------------------------------------------------------------
    def _declare(self) -> None:
        """Encode the whole pathway, declarations first, then the nodes in topological order."""
        for fact in self.pathway.facts.values():
            self._fact(fact)
        for value in self.pathway.derived.values():
            name = value.name
            self.derived[name] = Term(self.bool(f"defined!{name}"),
                                      variable(f"{self.prefix}derived!{name}", value.type, self.ctx),
                                      self.bool(f"fault!{name}"))
            self.evaluated[name] = self.bool(f"evaluated!{name}")
        self.valid = self._requires()
        for value in self.pathway.derived.values():
            self._derive(value)
        for name in topological_order(self.pathway.nodes):
            self._node(self.pathway.nodes[name])
        for name, evaluated in self.evaluated.items():
            self._assert(Same(evaluated, Or(self._reads.get(name, []) + [self.false])))
        self.done = self.named("done", Or(self.finished, self.ctx))

    def _requires(self) -> z3.BoolRef:
        """Each `require`, evaluated in order for every case: a valid case evaluates them all without a
        defect and none is false. Returns the literal saying no require stops the case with a defect."""
        clean: list[z3.BoolRef] = []
        holds: list[z3.BoolRef] = []
        for require in self.pathway.document.requires:
            term = self.term(require.condition, And(clean + [self.true]))
            holds.append(z3.Implies(And(term.defined, Not(term.fault)), term.value))
            if not self.space.shared:
                self._track(holds[-1], f"`require {show(require.condition)}`", require.span)
            clean.append(Not(term.fault))
        if self.space.shared:
            self.requires_valid = self.named("valid!requires", And(holds + [self.true]))
        return self.named("requires!clean", And(clean)) if clean else self.true

    def _track(self, constraint: z3.BoolRef, message: str, span: Span | None) -> None:
        """Assert a declaration, behind its own switch when explaining."""
        if not self.explaining:
            self._assert(constraint)
            return
        switch = self.bool(f"track!{len(self.tracked)}")
        self.solver.add(z3.Implies(switch, constraint))
        self.tracked.append(Tracked(switch, message, span))

    def _fact(self, fact: ast.Fact) -> None:
        """A presence flag and a value within the declared domain; required facts are present unless
        a question is asked with `partial=True` (then any fact may be missing, as in a real case)."""
        present, value = self.present[fact.name], self.value[fact.name]
        given = [] if fact.optional else [z3.Implies(self.given, present)]
        constraints = _domain(value, fact.type, self.enum_index) + given
        if isinstance(fact.type, ast.SetType):  # in a shared space, the bits of values of the other version only
            constraints += undeclared_bits(value, self.space.types[fact.name], fact.type)
            self.set_bits[fact.name] = own_bits(value, self.space.types[fact.name], fact.type)
        if isinstance(fact.type, ast.IntegerType) and z3.is_real(value):  # a number in another version
            constraints.append(z3.IsInt(value))
        if self.space.shared:
            self.fact_valid[fact.name] = self.named(f"valid!{fact.name}", And(constraints + [self.true]))
        elif constraints:
            kind = "optional " if fact.optional else "required "
            self._track(And(constraints), f"`{fact.name}` is {kind}{show_type(fact.type)}", fact.span)

    def _derive(self, value: ast.Derived) -> None:
        """A derived value as the executor computes it when first read: the first case whose guard
        holds; UNKNOWN at an undecided guard; a defect when no case holds or the value leaves its range."""
        name, when = value.name, self.evaluated[value.name]
        outcomes, earlier = [], self.true
        for index, case in enumerate(value.cases):
            if case.guard is None:
                outcomes.append((self.true, self.term(case.outcome, And(when, earlier))))
                break
            guard = self.term(case.guard, And(when, earlier))
            named = self._named_guard(f"case!{name}!{index}", guard,
                                      f"case `when {show(case.guard)}` of `{name}`", case.span)
            self.case_guards[name, index] = named
            self.case_take[name, index] = self.literal(And(when, earlier, *named.holds()))
            outcomes.append((named, self.term(case.outcome, And(when, earlier, *named.holds()))))
            earlier = And(earlier, *named.fails())
        body = self._choose(outcomes)
        out_of_range = _outside(body.value, value.type, self.ctx)
        self.derived_body[name] = body
        named = self.derived[name]
        fault = Or(body.fault, And(body.defined, out_of_range)) if out_of_range is not None else body.fault
        self._track(And(named.defined == And(body.defined, Not(fault)), named.value == body.value,
                           named.fault == fault), f"`{name}` is derived here", value.span)

    def _choose(self, outcomes: list) -> Term:
        """The Term of a chain of (guard, outcome) cases: a gap (every guard false) is a fault."""
        guard, last = outcomes[-1]
        if guard is self.true:
            result = last
        else:
            result = Term(self.false, last.value, self.true)
            outcomes = outcomes + [(None, result)]
        for guard, outcome in reversed(outcomes[:-1]):
            result = Term(And(guard.defined, z3.If(guard.value, outcome.defined, result.defined)),
                          z3.If(guard.value, outcome.value, result.value),
                          Or(guard.fault, And(guard.defined, z3.If(guard.value, outcome.fault, result.fault))))
        return result

    def _named_guard(self, key: str, term: Term, message: str, span: Span | None) -> Term:
        """A guard named by three Booleans, defined behind its own switch."""
        named = Term(self.bool(f"defined!{key}"), self.bool(f"holds!{key}"), self.bool(f"fault!{key}"))
        self._track(And(Same(named.defined, term.defined), Same(named.value, term.value),
                        Same(named.fault, term.fault)),
                    message, span)
        return named

    def _guard(self, node: str, index: int, expr: ast.Expr, when: z3.BoolRef, message: str,
               span: Span | None) -> Term:
        """A node's guard, evaluated under `when`, named and remembered."""
        named = self._named_guard(f"{node}!{index}", self.term(expr, when), message, span)
        self.guards[node, index] = named
        return named

    def _node(self, node: ast.Node) -> None:
        """Name the node's reach condition, then the conditions of the edges out of it."""
        arrivals = self._pending.pop(node.name, [])
        if node.name == self.pathway.start:
            arrivals.append(self.valid)
        reach = self.bool(f"reach!{node.name}")
        self._assert(Same(reach, Or(arrivals, self.ctx)))
        self.reach[node.name] = reach
        exits = self._decision(node) if isinstance(node, ast.Decision) else self._step(node)
        for index, (target, condition) in enumerate(exits):
            take = self.bool(f"take!{node.name}!{index}")
            self._assert(Same(take, And(reach, condition)))
            self.take[node.name, index] = take
            if target is None:
                self.finished.append(take)
            else:
                self._pending.setdefault(target, []).append(take)

    def _decision(self, node: ast.Decision) -> list[tuple[str, z3.BoolRef]]:
        """(target, condition) per branch, guards evaluated in order until one holds (under `first match`,
        until one is not decided false)."""
        reach, passed, exits, every_fails = self.reach[node.name], [], [], []
        for index, branch in enumerate(node.branches):
            if branch.guard is None:
                exits.append((branch.target, And(every_fails + [self.true])))
                continue
            term = self._guard(node.name, index, branch.guard, And(reach, *passed),
                               f"branch `when {show(branch.guard)}` of `{node.name}`", branch.span)
            exits.append((branch.target, And(*passed, *term.holds())))
            passed.append(And(term.fails()) if node.first_match else
                          And(Not(term.fault), Not(And(term.defined, term.value))))
            every_fails.append(And(term.fails()))
        return exits

    def _step(self, node: ast.Step) -> list[tuple[str | None, z3.BoolRef]]:
        """Each recommendation emitted when reached and its own guard holds (decided advice is never
        withheld; guards are evaluated in order and a defect stops the run); the one exit taken when
        every guard is decided, else the run waits here."""
        reach = self.reach[node.name]
        clean: list[z3.BoolRef] = []
        defined: list[z3.BoolRef] = []
        for index, rec in enumerate(node.recommendations):
            if rec.guard is None:
                self._emit(node, rec, And(reach, *clean))
                self._cautions(rec, And(reach, *clean))
                continue
            term = self._guard(node.name, index, rec.guard, And(reach, *clean),
                               f"`{rec.code}` is recommended when `{show(rec.guard)}`", rec.guard.span)
            self._emit(node, rec, And(reach, *clean, *term.holds()))
            self._cautions(rec, And(reach, *clean, *term.holds()))
            clean.append(Not(term.fault))
            defined.append(term.defined)
        self.waits[node.name] = And(reach, *clean, Not(And(defined, self.ctx)))
        return [(node.next, And(defined + clean, self.ctx))]

    def _emit(self, node: ast.Step, rec: ast.Recommendation, condition: z3.BoolRef) -> None:
        """Note the condition under which a run emits a recommendation."""
        self.emitted.setdefault(rec.code, []).append(condition)
        self.emissions.append((node, rec, condition))

    def named(self, name: str, formula: z3.BoolRef) -> z3.BoolRef:
        """A Boolean equivalent to `formula` (a literal that can be assumed true or false)."""
        named = self.bool(name)
        self._assert(Same(named, formula))
        return named

    def _cautions(self, rec: ast.Recommendation, emitted: z3.BoolRef) -> None:
        """The conditions of a recommendation's cautions, evaluated when it is emitted (only their divisions
        and the derived values they read matter to the checks: a caution never stops a run)."""
        for caution in rec.cautions:
            if caution.guard is not None:
                self.term(caution.guard, emitted)

    def _assert(self, formula: z3.BoolRef) -> None:
        """Add a constraint to the solver (Solver.add without its per-argument checks)."""
        z3.Z3_solver_assert(self.ctx.ref(), self.solver.solver, formula.as_ast())

    def literal(self, formula: z3.BoolRef) -> z3.BoolRef:
        """A fresh Boolean that implies `formula`, usable as an assumption."""
        self._names += 1
        name = self.bool(f"query!{self._names}")
        self._assert(Or(Not(name), formula))
        return name

    def emits(self, code: str) -> z3.BoolRef:
        """A literal true exactly when a run emits `code` (named on first use)."""
        if code not in self._emits:
            named = self.bool(f"emits!{code}")
            self.solver.add(named == Or(self.emitted.get(code, []), self.ctx))
            self._emits[code] = named
        return self._emits[code]

    def term_number(self, value: int | Fraction) -> z3.ArithRef:
        """A number as a solver constant of this encoding."""
        return number_value(value, self.ctx)

    def bool(self, name: str) -> z3.BoolRef:
        """A named Boolean constant in this encoding's own z3 context (z3.Bool without its checks)."""
        symbol = z3.to_symbol(self.prefix + name, self.ctx)
        return z3.BoolRef(z3.Z3_mk_const(self.ctx.ref(), symbol, self._bool_sort.ast), self.ctx)

    def term(self, expr: ast.Expr, when: z3.BoolRef | None = None) -> Term:
        """The solver's reading of an expression that a run evaluates under `when` (None: never, as in an
        invariant's condition, which only describes runs)."""
        return term(expr, self, when)

    def read(self, name: str, when: z3.BoolRef | None) -> None:
        """Note that a derived value is read (so computed, if not yet) under `when`."""
        if when is not None:
            self._reads.setdefault(name, []).append(when)

    # --- asking -----------------------------------------------------------------------------
    def check(self, *literals: z3.BoolRef, why: str = "a question", partial: bool = False) -> bool:
        """Whether some valid case makes every literal hold; raise Undecided if z3 gives up.

        By default the case gives every required fact; `partial=True` lets any fact be missing, so
        runs that stop for input are asked about too. Only a finding needs the case itself: ask
        `witness()` right after, because building a model of the whole pathway costs several times
        more than the check.
        """
        self.calls += 1
        literals = literals if partial else (self.given, *literals)
        self._last = literals
        result = self.solver.check(*literals)
        if result == z3.unknown:
            raise Undecided(why, self.solver.reason_unknown())
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
        if self.solver.check(self.given, *literals, *(t.switch for t in tracked)) != z3.unsat:
            return None
        names = {str(c) for c in self.solver.unsat_core()}
        return [t for t in tracked if str(t.switch) in names]

    def witness(self, model: z3.ModelRef | None = None) -> dict[str, Any]:
        """A model (by default the last check's) as a case: every fact the model gives (all required
        ones unless the question was partial).

        A case is written in decimals, so a number the solver chose without a finite decimal (1/3)
        is replaced, where the last question allows, by a nearby decimal that answers it the same."""
        if model is None:
            model = self.decimal_model()
        case: dict[str, Any] = {}
        for name, type_ in self.space.types.items():
            if not z3.is_true(model.eval(self.present[name], model_completion=True)):
                continue
            case[name] = self._python(model.eval(self.value[name], model_completion=True), type_)
        return case

    def decimal_model(self) -> z3.ModelRef:
        """The last check's model, with each number fact pinned to a short decimal where the question
        still holds (a case is written in decimals)."""
        model = self.model()
        pins: list[z3.BoolRef] = []
        for name, type_ in self.space.types.items():
            if not isinstance(type_, ast.NumberType):
                continue
            value = _fraction(model.eval(self.value[name], model_completion=True))
            if finite_decimal(value):
                pins.append(self.value[name] == number_value(value, self.ctx))
                continue
            for digits in WITNESS_DIGITS:
                near = Fraction(round(value * 10 ** digits), 10 ** digits)
                pin = self.value[name] == number_value(near, self.ctx)
                if self.solver.check(*self._last, *pins, pin) == z3.sat:
                    pins.append(pin)
                    model = self.solver.model()
                    break
        return model

    def _python(self, value: z3.ExprRef, type_: ast.Type) -> Any:
        """A model value as a case gives it: bool, int, Fraction or enumeration name."""
        if isinstance(type_, ast.BooleanType):
            return z3.is_true(value)
        if isinstance(type_, ast.EnumType):
            return self.enum_names[value.as_long()]
        if isinstance(type_, ast.IntegerType):
            return value.as_long()
        if isinstance(type_, ast.DateType):
            return date.fromordinal(value.as_long())
        if isinstance(type_, ast.SetType):
            bits = value.as_long()
            return frozenset(name for index, name in enumerate(type_.values) if bits >> index & 1)
        return normal(_fraction(value))

    @property
    def enum_names(self) -> dict[int, str]:
        """Enumeration values by their solver index."""
        return {index: name for name, index in self.enum_index.items()}


def _fraction(value: z3.ExprRef) -> Fraction:
    """A z3 numeral (or algebraic number, approximated) as a Fraction."""
    if not z3.is_rational_value(value):
        value = value.approx(24)
    return Fraction(value.numerator_as_long(), value.denominator_as_long())




def _domain(value: z3.ExprRef, type_: ast.Type, enum_index: dict[str, int]) -> list[z3.BoolRef]:
    """Constraints keeping a value inside its declared range or enumeration."""
    if isinstance(type_, ast.EnumType):
        return [Or([value == enum_index[v] for v in type_.values])]
    if isinstance(type_, ast.DateType):  # a day number of the calendar the executor knows
        return [z3.IntVal(FIRST_DAY, value.ctx) <= value, value <= z3.IntVal(LAST_DAY, value.ctx)]
    if isinstance(type_, (ast.IntegerType, ast.NumberType)) and type_.low is not None:
        return [number_value(type_.low, value.ctx) <= value, value <= number_value(type_.high, value.ctx)]
    return []


def _outside(value: z3.ExprRef, type_: ast.Type, ctx: z3.Context) -> z3.BoolRef | None:
    """The condition that a derived value lies outside its declared range (None: no range)."""
    if not isinstance(type_, (ast.IntegerType, ast.NumberType)) or type_.low is None:
        return None
    return Or(value < number_value(type_.low, ctx), value > number_value(type_.high, ctx))


