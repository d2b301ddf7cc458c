"""Stage 4, sampling: concrete runs that settle the easy questions before the solver is asked.

Most questions a check asks are "can some case reach this node / make this branch hold / take
this branch?", and most answers are yes. A few dozen seeded random cases run through the executor
(microseconds each) show most of those yeses directly; only the questions they leave open go to
z3, whose calls cost milliseconds on large pathways. A yes from a real run is exact, since the run
is the runtime itself; every no still comes from the solver.
"""
from __future__ import annotations

import math
import random
from datetime import date
from fractions import Fraction

from ..errors import CarepathError
from ..expr import Scope
from ..expr.numbers import normal
from ..syntax import ast
from ..syntax.printer import show_branch

SAMPLES = 64
SEED = 20261123
PRESENT = 0.8


def settled(pathway, count: int = SAMPLES) -> set[tuple]:
    """("reach", node), ("holds", decision, index) and ("take", decision, index) that `count` runs show."""
    from .. import program

    compiled, scope, shown = program(pathway), Scope(pathway.facts, pathway.derived), set()
    decisions = {name: ([(i, scope.compile(b.guard)) for i, b in enumerate(node.branches) if b.guard is not None],
                        {label: i for i, label in reversed(list(enumerate(map(show_branch, (
                            b.guard for b in node.branches)))))})
                 for name, node in pathway.nodes.items() if isinstance(node, ast.Decision)}
    chance = random.Random(SEED)
    for _ in range(count):
        case = _case(pathway, chance)
        trail = _walk(compiled, case)
        scratch = dict(case)
        for node, took, _ in trail:
            shown.add(("reach", node))
            if node in decisions:
                guards, index = decisions[node]
                shown.update(("holds", node, i) for i, test in guards if _true(test, scratch))
                if took is not None:
                    shown.add(("take", node, index[took]))
    return shown


def _walk(compiled, case: dict) -> list[tuple]:
    """The (node, took, reader) trail of one run, as far as it goes (none for an invalid case)."""
    trail: list = []
    try:
        env = compiled.rules.validate(case)
        compiled.rules.check_requires(env, None)
        at = compiled.start
        while isinstance(at, str):
            at = compiled.steps[at](env, trail, [])
    except CarepathError:
        pass
    return trail


def _true(test, case: dict) -> bool:
    """Whether a guard, evaluated alone over the case, is true (a guard that stops with a defect is not)."""
    if test is None:
        return False
    try:
        return test(case) is True
    except CarepathError:
        return False


def _case(pathway, chance: random.Random) -> dict:
    """A random case: every required fact, each optional one usually, values within their domains."""
    return {name: _value(fact.type, chance) for name, fact in pathway.facts.items()
            if not fact.optional or chance.random() < PRESENT}


def _value(type_: ast.Type, chance: random.Random):
    """A random value of a declared type (unbounded numbers drawn from -10..100; numbers often whole,
    else with two decimals); ranges of any size, drawn exactly."""
    if isinstance(type_, ast.BooleanType):
        return chance.random() < 0.5
    if isinstance(type_, ast.EnumType):
        return chance.choice(type_.values)
    if isinstance(type_, ast.SetType):
        return frozenset(value for value in type_.values if chance.random() < 0.5)
    if isinstance(type_, ast.DateType):  # days around 2000-2030, where clinical dates fall
        return date.fromordinal(date(2000, 1, 1).toordinal() + chance.randrange(11_000))
    low, high = (type_.low, type_.high) if type_.low is not None else (-10, 100)
    first, last = math.ceil(low), math.floor(high)
    if first <= last and (isinstance(type_, ast.IntegerType) or chance.random() < 0.5):
        return first + chance.randrange(last - first + 1)
    first, last = math.ceil(low * 100), math.floor(high * 100)
    return normal(Fraction(first + chance.randrange(last - first + 1), 100)) if first <= last else low
