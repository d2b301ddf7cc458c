"""Stage 4, scenarios: one scenario run through the executor and compared with what it expects."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from .. import program
from ..engine import Result
from ..engine.summary import path_lines
from ..errors import CarepathError
from ..model import Pathway
from ..syntax import ast
from ..syntax.printer import show
from .load import Expect, Scenario

PASSED = "passed"
FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    """A scenario's run (None when the case could not run) and every way it missed its expectations."""

    scenario: Scenario
    result: Result | None
    failures: tuple[str, ...]
    error: str | None = None
    units: Mapping[str, str] = field(default_factory=dict)  # the pathway's, for the values in the diff

    @property
    def status(self) -> str:
        """passed or failed."""
        return FAILED if self.failures else PASSED

    @property
    def location(self) -> str:
        """`file:line` of the scenario in its file."""
        span = self.scenario.span
        return f"{span.file}:{span.line}" if span else "<scenario>"

    def to_json(self) -> dict[str, Any]:
        """One entry of `carepath test --json`'s scenarios list."""
        return {"name": self.scenario.name, "status": self.status, "failures": list(self.failures)}

    def diff(self) -> str:
        """The failure report a clinician reads: what was expected, what happened, and why."""
        scenario = self.scenario
        lines = [f"FAILED: {scenario.name} ({self.location})"]
        if scenario.source:
            lines.append(f"  source: {scenario.source}")
        if scenario.quote:
            lines.append(f'  quote: "{scenario.quote}"')
        if self.error:
            lines.append("  the case cannot be run:")
            lines.extend(f"    {line}" for line in self.error.splitlines())
        else:
            lines.append("  expected vs emitted:")
            lines.extend(f"    {failure}" for failure in self.failures)
        if self.result is not None:
            lines.extend(_what_happened(self.result, self.units))
        return "\n".join(lines) + "\n"


def run_scenario(pathway: Pathway, scenario: Scenario) -> Outcome:
    """Run a scenario's facts; a case the executor rejects is the scenario's failure, not a crash."""
    try:
        result = program(pathway).run(scenario.facts)
    except CarepathError as exc:
        failures = tuple(f"the case cannot be run: {d.message}" for d in exc.diagnostics)
        return Outcome(scenario, None, failures, exc.format())
    failures = tuple(compare(pathway, scenario.expect, result)) + tuple(_wrong_values(pathway, scenario))
    return Outcome(scenario, result, failures, units=pathway.units)


def _wrong_values(pathway: Pathway, scenario: Scenario) -> Iterator[str]:
    """One line per pinned value (`expect: values:`) the case does not give, computed as a run reads it."""
    from ..expr import UNKNOWN
    from ..expr.numbers import show_value

    if not scenario.expect.values:
        return
    compiled = program(pathway)
    env = compiled.rules.validate(scenario.facts)
    for name, expected in scenario.expect.values:
        try:
            got = compiled.scope.compile(ast.Ref(name))(env)
        except CarepathError as exc:
            yield f"value: `{name}` cannot be computed: {exc.diagnostics[0].message}"
            continue
        got = None if got is UNKNOWN else got
        if got != expected or isinstance(got, bool) != isinstance(expected, bool):
            yield f"value: `{name}` expected {show_value(expected)}, got {show_value(got)}"


def compare(pathway: Pathway, expect: Expect, result: Result) -> Iterator[str]:
    """One line per expectation the result misses, naming the codes, facts or nodes involved."""
    if expect.status and result.status != expect.status:
        got = result.status + (f" (needs {', '.join(result.needs)})" if result.needs else "")
        yield f"status: expected {expect.status}, got {got}"
    codes = result.codes
    for code in expect.present:
        if code not in codes:
            yield f"missing: {code} (expected, not emitted: {_why_missing(pathway, code, result)})"
    for code in expect.absent:
        if code in codes:
            steps = sorted({e.step for e in result.recommendations if e.code == code})
            yield f"forbidden: {code} (emitted by step {_names(steps)}, expected absent)"
    for code, level in expect.urgency:
        given = [e.urgency for e in result.recommendations if e.code == code]
        if any(u != level for u in given) or not given:
            got = ", ".join(given) if given else "not emitted"
            yield f"urgency: expected {code} to be {level}, got {got}"
    if expect.needs is not None and set(expect.needs) != set(result.needs):
        yield f"needs: expected {_names(sorted(expect.needs))}, got {_names(result.needs)}"
    yield from _path_problem(expect.path, [visit.node for visit in result.path])


def _why_missing(pathway: Pathway, code: str, result: Result) -> str:
    """Why a code was not emitted: its step was not reached, or its guard was false there."""
    took = {visit.node: visit.took for visit in result.path}
    steps = [(step, rec) for step in pathway.nodes.values() if isinstance(step, ast.Step)
             for rec in step.recommendations if rec.code == code]
    for step, rec in steps:
        if step.name in took and took[step.name] is None:
            return f"the run stopped at step {step.name} for missing facts"
        if step.name in took and rec.guard is not None:
            return f"step {step.name} was reached, but `{show(rec.guard)}` is false"
    return f"step {_names(sorted({step.name for step, _ in steps}))} is not on the path"


def _path_problem(expected: tuple[str, ...], taken: list[str]) -> Iterator[str]:
    """Whether the expected nodes appear on the path in order; the first that does not, and why."""
    position = 0
    for node in expected:
        if node in taken[position:]:
            position = taken.index(node, position) + 1
            continue
        why = "is not on the path" if node not in taken else f"comes before `{taken[position - 1]}`"
        yield f"path: expected {' -> '.join(expected)} in this order, but `{node}` {why}"
        return


def _what_happened(result: Result, units: Mapping[str, str]) -> list[str]:
    """The run as it went: status, codes emitted in order, the path and the facts behind it."""
    needs = f" (needs {', '.join(result.needs)})" if result.needs else ""
    return [f"  status: {result.status}{needs}",
            f"  emitted, in order: {_names(result.codes)}",
            "  path taken, with the facts that decided each node:",
            *path_lines(result, "    ", units)]


def _names(names) -> str:
    """A list of names for a message, or `(none)`."""
    return ", ".join(names) if names else "(none)"
