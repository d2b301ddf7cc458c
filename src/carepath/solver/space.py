"""Stage 4, the solver encoding: the facts of a case as z3 constants, shared by the encodings of one question.

`check` and `cases` encode one pathway in a space of its own. `diff` encodes two versions in one
space, so that a model is one case read by both: a fact gets one presence flag and one value
whichever version declares it, and an enumeration value one index in both. An integer fact in one
version and a number in the other share a real value (the integer version also asks for a whole
number). A set fact holds one bit per value name of either version (the first version's values in
order, then the names only the second adds), and each version reads its own values from those bits
by name (`own_bits`), so reordering, adding or removing a value never mixes two values up. Facts of
other differing kinds cannot be compared and are refused.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import z3

from ..syntax import ast

KINDS = {ast.BooleanType: "boolean", ast.EnumType: "enumeration", ast.IntegerType: "integer", ast.NumberType: "number",
         ast.DateType: "date", ast.SetType: "set"}
WIDER = {frozenset({"integer", "number"}): "number"}


class Incomparable(ValueError):
    """Two versions declare a fact with kinds of value that one case cannot give both (boolean and number)."""

    def __init__(self, fact: str, message: str):
        super().__init__(message)
        self.fact = fact


@dataclass
class FactSpace:
    """One z3 context and solver, the enumeration indexes, and each fact's presence flag and value.

    `shared`: the space holds several encodings, so each keeps its case constraints (domains, presence
    of required facts, requires) as named literals instead of asserting them."""

    ctx: z3.Context
    solver: z3.Solver
    enum_index: dict[str, int]
    types: dict[str, ast.Type]
    shared: bool = False
    present: dict[str, z3.BoolRef] = field(default_factory=dict)
    value: dict[str, z3.ExprRef] = field(default_factory=dict)

    @classmethod
    def of(cls, pathways: list, timeout_ms: int) -> "FactSpace":
        """The space for the facts of these pathways (shared when there are several)."""
        ctx = z3.Context()
        solver = z3.Solver(ctx=ctx)
        solver.set("timeout", timeout_ms)
        solver.set("smt.relevancy", 0)
        types = _fact_types(pathways)
        space = cls(ctx, solver, _enum_index(pathways), types, shared=len(pathways) > 1)
        for name, type_ in types.items():
            space.present[name] = z3.Bool(f"present!{name}", ctx)
            space.value[name] = variable(f"fact!{name}", type_, ctx)
        return space


def _fact_types(pathways: list) -> dict[str, ast.Type]:
    """Each fact's type across the pathways (the wider of integer and number); Incomparable otherwise."""
    types: dict[str, ast.Type] = {}
    for pathway in pathways:
        for name, fact in pathway.facts.items():
            known = types.setdefault(name, fact.type)
            kinds = frozenset({KINDS[type(known)], KINDS[type(fact.type)]})
            if kinds == {"set"}:
                types[name] = ast.SetType(tuple(dict.fromkeys(known.values + fact.type.values)))
                continue
            if len(kinds) == 1:
                continue
            if kinds not in WIDER:
                raise Incomparable(name, f"fact `{name}` is {KINDS[type(known)]} in one version and "
                                   f"{KINDS[type(fact.type)]} in the other; one case cannot give both")
            types[name] = fact.type if KINDS[type(fact.type)] == WIDER[kinds] else known
    return types


def _enum_index(pathways: list) -> dict[str, int]:
    """One solver integer per enumeration value name, shared by every enumeration (source order)."""
    types = [d.type for p in pathways for d in list(p.facts.values()) + list(p.derived.values())]
    names = [v for t in types if isinstance(t, ast.EnumType) for v in t.values]
    return {name: index for index, name in enumerate(dict.fromkeys(names))}


def own_bits(value: z3.BitVecRef, shared: ast.SetType, declared: ast.SetType) -> z3.BitVecRef:
    """A set fact's bits in the space (one per value of `shared`) as one version declares them: bit i
    is the version's value i, taken by name."""
    if declared.values == shared.values:
        return value
    bits = [z3.Extract(index, index, value) for index in (shared.values.index(v) for v in declared.values)]
    return bits[0] if len(bits) == 1 else z3.Concat(*reversed(bits))  # Concat puts its first part highest


def undeclared_bits(value: z3.BitVecRef, shared: ast.SetType, declared: ast.SetType) -> list[z3.BoolRef]:
    """The constraints that a set holds no value the version does not declare."""
    zero = z3.BitVecVal(0, 1, value.ctx)
    return [z3.Extract(index, index, value) == zero for index, name in enumerate(shared.values)
            if name not in declared.values]


def variable(name: str, type_: ast.Type, ctx: z3.Context) -> z3.ExprRef:
    """A solver constant of the sort that holds values of a declared type."""
    if isinstance(type_, ast.BooleanType):
        return z3.Bool(name, ctx)
    if isinstance(type_, ast.SetType):  # bit i: the set holds the type's value i
        return z3.BitVec(name, len(type_.values), ctx)
    return z3.Real(name, ctx) if isinstance(type_, ast.NumberType) else z3.Int(name, ctx)
