"""Replaying a checker finding's witness case through the executor, to prove the finding is real."""
from __future__ import annotations

import carepath
from carepath.engine import NEEDS_INPUT, COMPLETE, PathwayDefect
from carepath.expr import Scope
from carepath.syntax import ast


def node_at(pathway, span) -> ast.Node:
    """The step or decision whose text contains a span."""
    return next(n for n in pathway.nodes.values() if n.span.line <= span.line <= n.span.end_line)


def value(pathway, expr: ast.Expr, case: dict):
    """An expression's runtime value for a case (UNKNOWN when it needs a missing fact)."""
    return Scope(pathway.facts, pathway.derived).compile(expr)(dict(case))


def branch_at(node: ast.Decision, span) -> int:
    """The index of the branch a span points at."""
    return next(i for i, b in enumerate(node.branches) if b.span == span)


def reproduces(pathway, finding) -> bool:
    """Whether running the finding's witness shows exactly what the finding claims."""
    case = finding.witness
    if finding.kind == "gap":
        try:
            carepath.run(pathway, case)
        except PathwayDefect as defect:
            return node_at(pathway, defect.diagnostics[0].span) is node_at(pathway, finding.span)
        return False
    if finding.kind in ("derived_gap", "derived_range", "division_by_zero"):
        return _defect(pathway, finding, case)
    if finding.kind == "shadowed":
        return _shadowed(pathway, finding, case)
    if finding.kind in ("derived_overlap", "derived_shadowed"):
        return _DERIVED[finding.kind](pathway, finding, case)
    if finding.kind == "overlap":
        return _overlap(pathway, finding, case)
    result = carepath.run(pathway, case)
    return _CHECKS[finding.kind](pathway, finding, case, result)


def _defect(pathway, finding, case) -> bool:
    """The run itself stops with this defect, at the finding's line."""
    try:
        carepath.run(pathway, case)
    except PathwayDefect as defect:
        found = defect.diagnostics[0]
        return found.kind == finding.kind and found.span.line == finding.span.line
    return False


def derived_at(pathway, span) -> ast.Derived:
    """The derived value whose text contains a span."""
    return next(d for d in pathway.derived.values() if d.span.line <= span.line <= d.span.end_line)


def _walk(pathway, case: dict) -> tuple[dict, list[str], PathwayDefect | None]:
    """A run node by node: its facts and computed values, the nodes it arrived at, and the defect that
    stopped it, if one did (a later defect does not undo what the run showed before it)."""
    program = carepath.program(pathway)
    env, trail = program.rules.validate(case), []
    at = pathway.start
    try:
        program.rules.check_requires(env, None)
        while isinstance(at, str):
            arrived = at
            at = program.steps[at](env, trail, [])
    except PathwayDefect as defect:
        return env, [n for n, _, _ in trail] + ([arrived] if isinstance(at, str) else []), defect
    return env, [n for n, _, _ in trail], None


def computed(pathway, name: str, case: dict) -> bool:
    """Whether a run of the case computes a derived value (even if the run fails later, or in it)."""
    env, _, defect = _walk(pathway, case)
    if name in env or defect is None:
        return name in env
    span, declared = defect.diagnostics[0].span, pathway.derived[name].span
    return declared.line <= span.line <= declared.end_line


def _derived_overlap(pathway, finding, case) -> bool:
    derived = derived_at(pathway, finding.span)
    guards = [c.guard for c in derived.cases if c.span in (finding.span, finding.related[0].span)]
    return len(guards) == 2 and computed(pathway, derived.name, case) and \
        all(value(pathway, g, case) is True for g in guards)


def _derived_shadowed(pathway, finding, case) -> bool:
    derived = derived_at(pathway, finding.span)
    index = next(i for i, c in enumerate(derived.cases) if c.span == finding.span)
    earlier = [c.guard for c in derived.cases[:index] if c.guard is not None]
    return value(pathway, derived.cases[index].guard, case) is True and \
        any(value(pathway, g, case) is True for g in earlier)


def _overlap(pathway, finding, case) -> bool:
    """The run arrives at the decision (whatever happens after), and both guards hold there."""
    node = node_at(pathway, finding.span)
    guards = [node.branches[branch_at(node, s)].guard for s in (finding.span, finding.related[0].span)]
    return node.name in _walk(pathway, case)[1] and all(value(pathway, g, case) is True for g in guards)


def _shadowed(pathway, finding, case) -> bool:
    """The branch holds, yet the run takes an earlier one (or stops with a defect before it)."""
    node = node_at(pathway, finding.span)
    index = branch_at(node, finding.span)
    try:
        holds = value(pathway, node.branches[index].guard, case) is True
        result = carepath.run(pathway, case)
    except PathwayDefect:
        return True
    visit = next(v for v in result.path if v.node == node.name)
    labels = [show_guard(node, i) if b.guard is not None else "otherwise" for i, b in enumerate(node.branches)]
    stopped_first = visit.took is None  # the run stopped there for input before reaching the branch
    return holds and (stopped_first or labels.index(visit.took) < index)


def show_guard(node: ast.Decision, index: int) -> str:
    """The label a run's path gives a branch."""
    from carepath.syntax.printer import show

    return show(node.branches[index].guard)


def _needs_input(pathway, finding, case, result) -> bool:
    node = node_at(pathway, finding.span)
    return (result.status == NEEDS_INPUT and result.path[-1].node == node.name
            and all(f"`{fact}`" in finding.message for fact in result.needs))


def _invariant(pathway, finding, case, result) -> bool:
    invariant = next(i for i in pathway.document.invariants if i.span == finding.span)
    if invariant.kind == "never_with":
        return invariant.code in result.codes and invariant.other in result.codes
    holds = value(pathway, invariant.condition, case) is True
    if invariant.kind == "never":
        return holds and invariant.code in result.codes
    if not holds or invariant.code in result.codes:
        return False
    return result.status == COMPLETE or (result.status == NEEDS_INPUT and _stopped_in_step_recommending(
        pathway, result, invariant.code))


def _stopped_in_step_recommending(pathway, result, code: str) -> bool:
    """Whether a needs_input run stopped inside a step that recommends `code`."""
    node = pathway.nodes[result.path[-1].node]
    return isinstance(node, ast.Step) and any(r.code == code for r in node.recommendations)


def _waits_for_nothing(pathway, finding, case, result) -> bool:
    """The run stops at the finding's node for the facts it names, and every value of them gives one outcome there."""
    return _needs_input(pathway, finding, case, result) and len(_outcomes(pathway, case, result)) == 1


def _outcomes(pathway, case: dict, result) -> set:
    """The outcomes at the stopped node (branch taken and codes emitted, or the kind of defect met there)
    over every value of the facts it needs."""
    from itertools import product

    node, program, found = result.path[-1].node, carepath.program(pathway), set()
    domains = [_values(pathway.facts[name].type) for name in result.needs]
    for combo in product(*domains):
        env = program.rules.validate({**case, **dict(zip(result.needs, combo))})
        trail, emitted = [], []
        try:
            program.steps[node](env, trail, emitted)
        except PathwayDefect as exc:
            found.add(("defect", exc.diagnostics[0].kind))
            continue
        found.add((trail[-1][1], tuple(e.code for e in emitted)))
    return found


def _values(type_: ast.Type) -> list:
    """Every value of a small fact type (booleans, enumerations, integer ranges)."""
    if isinstance(type_, ast.BooleanType):
        return [False, True]
    if isinstance(type_, ast.EnumType):
        return list(type_.values)
    return list(range(int(type_.low), int(type_.high) + 1))


_CHECKS = {"needs_input": _needs_input, "invariant": _invariant, "waits_for_nothing": _waits_for_nothing}
_DERIVED = {"derived_overlap": _derived_overlap, "derived_shadowed": _derived_shadowed}


def outcome(pathway, case: dict):
    """What a version gives a case, as `diff` compares it: (status, sorted (code, urgency)), a defect
    with no codes, or None when the version rejects the case."""
    from carepath.errors import CaseError

    try:
        result = carepath.run(pathway, case)
    except CaseError:
        return None
    except PathwayDefect:
        return ("defect", ())
    return result.status, tuple(sorted((r.code, r.urgency) for r in result.recommendations))
