"""Stage 3, execution: a pathway compiled once into closures, walked for each case."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ..errors import PathwayDefect, SourceFile, error
from ..expr import UNKNOWN, Scope
from ..syntax import ast
from ..syntax.printer import show
from .cases import check_requires, validate

COMPLETE = "complete"
NEEDS_INPUT = "needs_input"


@dataclass(frozen=True)
class Emitted:
    """A recommendation a run emits, with its sources resolved to file names or titles."""

    code: str
    text: str
    step: str
    sources: tuple[str, ...]
    cautions: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The shape of `carepath run --json`."""
        return {"code": self.code, "text": self.text, "step": self.step, "sources": list(self.sources),
                "cautions": [{"text": text, "sources": list(sources)} for text, sources in self.cautions]}


@dataclass(frozen=True)
class Visit:
    """One node on the path: what was taken there and the facts that decided it."""

    node: str
    took: str | None
    facts: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The shape of one `path` entry."""
        return {"node": self.node, "took": self.took, "facts": dict(self.facts)}


@dataclass(frozen=True)
class Result:
    """The outcome of running one case."""

    pathway: str
    version: str | None
    status: str
    needs: tuple[str, ...] = ()
    recommendations: tuple[Emitted, ...] = ()
    path: tuple[Visit, ...] = ()

    @property
    def codes(self) -> list[str]:
        """The emitted recommendation codes, in order."""
        return [r.code for r in self.recommendations]

    def to_json(self) -> dict[str, Any]:
        """The run result exactly as documented in docs/dsl.md."""
        return {"pathway": {"name": self.pathway, "version": self.version}, "status": self.status,
                "needs": list(self.needs), "recommendations": [r.to_json() for r in self.recommendations],
                "path": [v.to_json() for v in self.path]}


@dataclass
class _Walk:
    """The mutable state of one run."""

    env: dict[str, Any]
    path: list[Visit] = field(default_factory=list)
    emitted: list[Emitted] = field(default_factory=list)
    needs: tuple[str, ...] = ()


class _Guard:
    """A compiled guard with its DSL text, and the names and facts behind it for the trace."""

    def __init__(self, scope: Scope, expr: ast.Expr):
        self.test = scope.compile(expr)
        self.text = show(expr)
        self.facts = scope.facts_behind(scope.reads(expr))
        self.shown = sorted(set(scope.reads(expr)) | set(self.facts))
        self.value_of = {n: scope.compile(ast.Ref(n)) for n in self.shown}

    def missing(self, env: dict[str, Any]) -> list[str]:
        """The facts behind this guard that the case lacks."""
        return [f for f in self.facts if f not in env]


class Program:
    """A pathway compiled for running: one closure per node, built once, run for many cases."""

    def __init__(self, pathway):
        self.pathway = pathway
        self.scope = Scope(pathway.facts, pathway.derived)
        self.steps: dict[str, Callable[[_Walk], str | None]] = {
            name: (self._decision(node) if isinstance(node, ast.Decision) else self._step(node))
            for name, node in pathway.nodes.items()}

    def run(self, case: Mapping[str, Any], source: SourceFile | None = None) -> Result:
        """Validate a case, then walk from the start node until a stop or a missing fact."""
        facts = validate(self.pathway, case, source)
        check_requires(self.pathway, self.scope, facts, source)
        walk = _Walk(dict(facts))
        node: str | None = self.pathway.start
        while node is not None:
            node = self.steps[node](walk)
        status = NEEDS_INPUT if walk.needs else COMPLETE
        return Result(self.pathway.name, self.pathway.version, status, walk.needs,
                      tuple(walk.emitted), tuple(walk.path))

    def _decision(self, node: ast.Decision) -> Callable[[_Walk], str | None]:
        """A closure choosing a decision's branch (first match, or the one that holds)."""
        branches = [(None if b.guard is None else _Guard(self.scope, b.guard), b.target) for b in node.branches]
        branches_read = [g for g, _ in branches if g is not None]
        name, first_match = node.name, node.first_match

        def decide(walk: _Walk) -> str | None:
            undecided: list[_Guard] = []
            for guard, target in branches:
                if guard is None:
                    if undecided:
                        break
                    walk.path.append(Visit(name, "otherwise", _facts(walk.env, branches_read)))
                    return target
                held = guard.test(walk.env)
                if held is UNKNOWN:
                    undecided.append(guard)
                    if first_match:
                        break
                elif held:
                    walk.path.append(Visit(name, guard.text, _facts(walk.env, branches_read)))
                    return target
            if undecided:
                return _stop_for(walk, name, undecided, branches_read)
            raise PathwayDefect(error(f"no branch of decision `{name}` holds for this case "
                                      f"(facts: {_facts(walk.env, branches_read)})", node.span, kind="gap"))

        return decide

    def _step(self, node: ast.Step) -> Callable[[_Walk], str | None]:
        """A closure emitting a step's recommendations, then naming the next node."""
        recs = [(None if r.guard is None else _Guard(self.scope, r.guard), self._emitted(node.name, r))
                for r in node.recommendations]
        guards = [g for g, _ in recs if g is not None]
        name, nxt = node.name, node.next
        took = f"-> {nxt}" if nxt else "stop"

        def step(walk: _Walk) -> str | None:
            for guard, emitted in recs:
                held = True if guard is None else guard.test(walk.env)
                if held is UNKNOWN:
                    return _stop_for(walk, name, [guard], guards)
                if held:
                    walk.emitted.append(emitted)
            walk.path.append(Visit(name, took, _facts(walk.env, guards)))
            return nxt

        return step

    def _emitted(self, step: str, rec: ast.Recommendation) -> Emitted:
        """A recommendation as a run reports it, sources resolved."""
        cautions = tuple((c.text, self._sources(c.citations)) for c in rec.cautions)
        return Emitted(rec.code, rec.text, step, self._sources(rec.citations), cautions)

    def _sources(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """Source aliases replaced by what they name."""
        return tuple(self.pathway.sources[n].reference for n in names)


def _facts(env: dict[str, Any], guards: list[_Guard]) -> dict[str, Any]:
    """Every name the guards read and every fact behind them, with values (None if missing), sorted."""
    names = sorted({n for g in guards for n in g.shown})
    values = {n: g.value_of[n](env) for g in guards for n in g.shown}
    return {n: None if values[n] is UNKNOWN else values[n] for n in names}


def _stop_for(walk: _Walk, node: str, undecided: list[_Guard], read: list[_Guard]) -> None:
    """End the run with needs_input, naming every fact the undecided guards need."""
    walk.needs = tuple(sorted({f for g in undecided for f in g.missing(walk.env)}))
    walk.path.append(Visit(node, None, _facts(walk.env, read)))
