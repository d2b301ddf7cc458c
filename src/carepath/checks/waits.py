"""Stage 4, waiting checks: a guard that makes a run wait for a fact whose value cannot change what it does.

`x > 3 or x < 5` is true for every `x`, but with `x` missing Kleene's logic cannot see it: the
run stops and asks for `x`. At every node whose facts all have finite regions (engine.needs), each
combination of those facts (each also missing) where the run waits there is completed in every
way; when every completion gives the node the same outcome (branch, or codes emitted), the wait is
for nothing, and the finding shows it with a case the solver finds that reaches the node so, which
`carepath run` replays (it stops there with needs_input). Presence tests read the case as given.
Like `needs_input`, it looks at runs that give every required fact: the facts waited for are optional.
"""
from __future__ import annotations

from itertools import product

import z3

from ..errors import WARNING, Diagnostic
from ..syntax import ast
from ..syntax.printer import show

MAX_WITNESS_TRIES = 8  # combinations tried for a case that reaches the node, per node


def waits_for_nothing(context) -> list[Diagnostic]:
    """One finding per node where some run waits although every value of what it waits for gives one outcome."""
    from ..engine import Program
    from ..expr.relevance import node_facts

    pathway, found = context.pathway, []
    # Only an optional fact may be missing: only nodes that read one are compiled and examined.
    examined = {name for name, node in pathway.nodes.items() if ast.node_guards(node) and name in context.connected
                and any(pathway.facts[f].optional for f in node_facts(pathway, context.scope, node))}
    program = Program(pathway, nodes=examined) if examined else None
    for name, node in pathway.nodes.items():
        if name not in examined or program.exactness.facts(name) is None:
            continue
        for state in _idle_waits(program, name)[:MAX_WITNESS_TRIES]:
            witness = _reaching(context, program, name, state)
            if witness is not None:
                found.append(_finding(context, node, witness))
                break
    return found


def _idle_waits(program, node: str) -> list[dict]:
    """The combinations of the node's facts (missing ones left out) where the run waits at the node and every
    completion gives it one outcome, those with the fewest missing facts first."""
    exactness, regions = program.exactness, program.exactness.regions()
    names, facts = exactness.facts(node), program.pathway.facts
    found = []  # like needs_input, only runs that give every required fact: an optional one may be missing
    for key in product(*[range(0 if facts[n].optional else 1, len(regions[n].values) + 1) for n in names]):
        state = {n: regions[n].values[i - 1] for n, i in zip(names, key) if i}
        if _waits(program, node, state) and _one_outcome(exactness, node, state, [n for n in names if n not in state]):
            found.append(state)
    return sorted(found, key=lambda s: len(names) - len(s))


def _waits(program, node: str, state: dict) -> bool:
    """Whether a run with these facts (and no others) that reaches the node stops there for input."""
    from ..errors import CaseError, PathwayDefect

    try:
        program.rules.check_requires(dict(state), None)
        return isinstance(program.steps[node](dict(state), [], []), tuple)
    except (CaseError, PathwayDefect):
        return False


def _one_outcome(exactness, node: str, state: dict, missing: list[str]) -> bool:
    """Whether every valid completion of the missing facts gives the node one outcome (at least one is valid)."""
    regions, seen = exactness.regions(), set()
    for combo in product(*[regions[n].values for n in missing]):
        outcome = exactness.outcome(node, state, missing, combo)
        if outcome is not None:
            seen.add(outcome)
            if len(seen) > 1:
                return False
    return len(seen) == 1


def _reaching(context, program, node: str, state: dict) -> dict | None:
    """A case the solver finds that reaches the node with its facts as in `state` (any of them missing if so)."""
    encoding, regions, pins = context.encoding, program.exactness.regions(), []
    for name in program.exactness.facts(node):
        if name not in state:
            pins.append(z3.Not(encoding.present[name]))
            continue
        test = regions[name].tests[regions[name].values.index(state[name])]
        pins += [encoding.present[name], *encoding.term(test).holds()]
    literal = encoding.literal(z3.And(encoding.reach[node], *pins))
    if not context.ask(literal, why=f"whether some case reaches `{node}` waiting", span=None, partial=True):
        return None
    return encoding.witness()


def _finding(context, node: ast.Node, witness: dict) -> Diagnostic:
    """The warning at the first guard the run waits on, naming the facts it waits for (the witness run)."""
    from ..engine import Program

    result = Program(context.pathway).run(witness, trace=False)
    waiting = [expr for _, expr in ast.node_guards(node)
               if set(context.scope.facts_behind(context.scope.reads(expr))) & set(result.needs)]
    guard = waiting[0] if waiting else ast.node_guards(node)[0][1]
    facts = ", ".join(f"`{f}`" for f in result.needs)
    what = "branch" if isinstance(node, ast.Decision) else "advice"
    return Diagnostic(WARNING, f"a run may wait at `{node.name}` for {facts} although every value gives the same "
                               f"{what} (`{show(guard)}` does not depend on it, but cannot be decided without it)",
                      guard.span, kind="waits_for_nothing", witness=witness,
                      hint="rewrite the guard so that it is decided without the fact (`x > 3 or x < 5` is simply "
                           "true: drop it, or use `otherwise`)")
