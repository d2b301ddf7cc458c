"""Stage 3, execution: a pathway compiled once into closures, walked for each case."""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Callable, Mapping

from ..errors import PathwayDefect, SourceFile, error
from ..expr import UNKNOWN, Scope
from ..expr.relevance import ObservingScope, needed
from ..syntax import ast
from ..syntax.printer import OTHERWISE, show, show_facts
from .cases import CaseRules

COMPLETE = "complete"
NEEDS_INPUT = "needs_input"
ROUTINE = "routine"


@dataclass(frozen=True)
class Cited:
    """A citation as a run reports it: the source's reference and title, where in it, and a quote."""

    source: str
    reference: str
    title: str
    locator: str | None = None
    quote: str | None = None

    def to_json(self) -> dict[str, Any]:
        """One entry of a recommendation's or caution's `citations`."""
        return {"source": self.source, "reference": self.reference, "title": self.title,
                "locator": self.locator, "quote": self.quote}


@dataclass(frozen=True)
class Emitted:
    """A recommendation a run emits, with its sources resolved to their references (file names or
    citations) and its urgency, its own or its step's.

    Each caution is (text, sources, citations); `citations` add titles, locators and quotes."""

    code: str
    text: str
    step: str
    sources: tuple[str, ...]
    cautions: tuple[tuple[str, tuple[str, ...], tuple[Cited, ...]], ...] = ()
    citations: tuple[Cited, ...] = ()
    urgency: str = ROUTINE

    def to_json(self) -> dict[str, Any]:
        """The shape of `carepath run --json`."""
        return {"code": self.code, "text": self.text, "step": self.step, "urgency": self.urgency,
                "sources": list(self.sources), "citations": [c.to_json() for c in self.citations],
                "cautions": [{"text": text, "sources": list(sources), "citations": [c.to_json() for c in cited]}
                             for text, sources, cited in self.cautions]}

    @cached_property
    def json_text(self) -> bytes:
        """to_json as compact JSON, made once for each prebuilt recommendation (a batch writes it on
        every line that emits it; orjson refuses a lone surrogate, which the caller handles)."""
        import orjson

        return orjson.dumps(self.to_json())


@dataclass(frozen=True, init=False)
class Visit:
    """One node on the path: what was taken there and the facts that decided it."""

    node: str
    took: str | None
    facts: Mapping[str, Any]

    def __init__(self, node: str, took: str | None, facts: Mapping[str, Any]):
        self.__dict__.update(node=node, took=took, facts=facts)  # at once, as Result does

    def to_json(self) -> dict[str, Any]:
        """The shape of one `path` entry."""
        return {"node": self.node, "took": self.took, "facts": dict(self.facts)}


@dataclass(frozen=True, init=False)
class Result:
    """The outcome of running one case."""

    pathway: str
    version: str | None
    status: str
    needs: tuple[str, ...] = ()
    recommendations: tuple[Emitted, ...] = ()
    path: tuple[Visit, ...] = ()

    def __init__(self, pathway: str, version: str | None, status: str, needs: tuple[str, ...] = (),
                 recommendations: tuple[Emitted, ...] = (), path: tuple[Visit, ...] = ()):
        # A frozen dataclass's own __init__ sets each field through object.__setattr__, a
        # microsecond per result in a batch; filling __dict__ at once is the same to readers.
        self.__dict__.update(pathway=pathway, version=version, status=status, needs=needs,
                             recommendations=recommendations, path=path)

    @property
    def codes(self) -> list[str]:
        """The emitted recommendation codes, in order."""
        return [r.code for r in self.recommendations]

    def to_json(self) -> dict[str, Any]:
        """The run result exactly as documented in docs/dsl.md."""
        return {"pathway": {"name": self.pathway, "version": self.version}, "status": self.status,
                "needs": list(self.needs), "recommendations": [r.to_json() for r in self.recommendations],
                "path": [v.to_json() for v in self.path]}


class _Guard:
    """A compiled guard with its DSL text, and the names and facts behind it for the trace."""

    def __init__(self, scope: Scope, expr: ast.Expr):
        self.test = scope.compile(expr)
        self.scope, self.expr = scope, expr
        self.text = show(expr)
        self.facts = scope.facts_behind(scope.reads(expr))
        self.shown = sorted(set(scope.reads(expr)) | set(self.facts))

    def missing(self, env: dict[str, Any]) -> list[str]:
        """The missing facts that could still decide this guard (none of a part already decided)."""
        return needed(self.expr, self.scope, env)


class _Reader:
    """Every name a node's guards read and every fact behind them, with values (None if missing), sorted.

    A derived value appears only once the run has computed it: the trace never computes a value
    the route did not need (it could divide by zero where the route is careful not to)."""

    def __init__(self, scope: Scope, guards: list[_Guard]):
        self.names = sorted({n for g in guards for n in g.shown})
        self.derived = frozenset(n for n in self.names if n in scope.derived)

    def __call__(self, env: dict[str, Any]) -> dict[str, Any]:
        values = dict(zip(self.names, map(env.get, self.names)))  # a validated fact is never UNKNOWN
        for name in self.derived:
            if name not in env:
                del values[name]
            elif values[name] is UNKNOWN:
                values[name] = None
        return values


# A compiled node: given the facts, the trail and the emitted list, it returns the next node's
# name, None at a stop, or the facts it needs (a tuple) when a guard cannot be decided.
_Node = Callable[[dict[str, Any], list, list[Emitted]], "str | tuple[str, ...] | None"]


class Program:
    """A pathway compiled for running: one closure per node, built once, run for many cases."""

    def __init__(self, pathway, observing: bool = False, nodes=None):
        """`observing`: the twin the needs search runs (presence tests read the case as given; its stops
        name candidates only); `nodes`: compile only these (a check that runs single nodes), else all."""
        from .needs import Exactness

        self.pathway = pathway
        self.scope = (ObservingScope if observing else Scope)(pathway.facts, pathway.derived)
        self.exactness = None if observing else Exactness(self)
        self.rules = CaseRules(pathway, self.scope)
        self.identity, self.start = (pathway.name, pathway.version), pathway.start
        self.steps: dict[str, _Node] = {
            name: (self._decision(node) if isinstance(node, ast.Decision) else self._step(node))
            for name, node in pathway.nodes.items() if nodes is None or name in nodes}

    def run(self, case: Mapping[str, Any], source: SourceFile | None = None, trace: bool = True) -> Result:
        """Validate a case, then walk it through the pathway (trace=False leaves the path out)."""
        env = self.rules.validate(case, source)
        self.rules.check_requires(env, source)
        return self.walk(env, trace)

    def walk(self, env: dict[str, Any], trace: bool = True) -> Result:
        """Walk validated facts from the start node until a stop or a missing fact.

        Derived values are memoised into `env` as they are computed."""
        needs, trail, emitted = self.route(env)
        path = tuple(Visit(n, took, read(env)) for n, took, read in trail) if trace else ()
        return Result(*self.identity, NEEDS_INPUT if needs else COMPLETE, needs, tuple(emitted), path)

    def route(self, env: dict[str, Any]) -> tuple[tuple[str, ...], list, list[Emitted]]:
        """The walk itself: the facts it stopped for (empty when complete), the trail of (node, took,
        reader) entries, each built once per branch, and the emitted recommendations."""
        steps, trail, emitted = self.steps, [], []
        at: str | tuple[str, ...] | None = self.start
        while isinstance(at, str):
            at = steps[at](env, trail, emitted)
        return at or (), trail, emitted

    def _decision(self, node: ast.Decision) -> _Node:
        """A closure choosing a decision's branch (first match, or the one that holds)."""
        guarded = [(_Guard(self.scope, b.guard), b.target) for b in node.branches if b.guard is not None]
        read = _Reader(self.scope, [guard for guard, _ in guarded])
        name, first_match = node.name, node.first_match
        # The grammar puts `otherwise` last; each trail entry is built once, here, not per case.
        tests = [(guard.test, guard, (name, guard.text, read), target) for guard, target in guarded]
        otherwise = [((name, OTHERWISE, read), b.target) for b in node.branches if b.guard is None]

        all_guards = [guard for guard, _ in guarded]

        def decide(env: dict[str, Any], trail: list, emitted: list[Emitted]) -> str | tuple[str, ...]:
            undecided: tuple[_Guard, ...] = ()
            for index, (test, guard, visit, target) in enumerate(tests):
                held = test(env)
                if held is UNKNOWN:
                    undecided += (guard,)
                    if first_match:  # the run waits here; a later branch may still be the one it takes
                        return self._stop(env, trail, name, undecided + _open_later(all_guards[index + 1:], env), read)
                elif held:
                    trail.append(visit)
                    return target
            if undecided:
                return self._stop(env, trail, name, undecided, read)
            if otherwise:
                visit, target = otherwise[0]
                trail.append(visit)
                return target
            raise PathwayDefect(error(f"no branch of decision `{name}` holds for this case, where "
                                      f"{show_facts(read(env), self.pathway.units)}", node.span, kind="gap"))

        return decide

    def _step(self, node: ast.Step) -> _Node:
        """A closure emitting a step's recommendations, then naming the next node."""
        recs = [(None if r.guard is None else _Guard(self.scope, r.guard), self._emitted(node, r))
                for r in node.recommendations]
        read = _Reader(self.scope, [g for g, _ in recs if g is not None])
        name, nxt = node.name, node.next
        visit = (name, f"-> {nxt}" if nxt else "stop", read)
        if all(guard is None and not isinstance(rec, _Cautioned) for guard, rec in recs):
            always = tuple(rec for _, rec in recs)

            def step_always(env: dict[str, Any], trail: list, emitted: list[Emitted]) -> str | None:
                emitted.extend(always)
                trail.append(visit)
                return nxt

            return step_always
        tests = [(None if guard is None else guard.test, guard, rec) for guard, rec in recs]

        def step(env: dict[str, Any], trail: list, emitted: list[Emitted]) -> str | tuple[str, ...] | None:
            undecided: tuple[_Guard, ...] = ()
            for test, guard, rec in tests:
                if test is not None:
                    held = test(env)
                    if held is UNKNOWN:
                        undecided += (guard,)
                        continue
                    if not held:
                        continue
                emitted.append(rec(env) if type(rec) is _Cautioned else rec)
            if undecided:
                # Decided advice is never withheld: the step emits it all, then the run stops here.
                return self._stop(env, trail, name, undecided, read)
            trail.append(visit)
            return nxt

        return step

    def _stop(self, env: dict[str, Any], trail: list, node: str, undecided: tuple["_Guard", ...],
              read: "_Reader") -> tuple[str, ...]:
        """End the run with needs_input: the trail's last entry, and every fact that could still change what
        the run does at the node (the undecided guards' candidates, narrowed by the witness search)."""
        trail.append((node, None, read))
        candidates = {f for g in undecided for f in g.missing(env)}
        if self.exactness is not None:  # never empty: a run that waits waits for something
            candidates = self.exactness.needed(node, env, candidates) or candidates
        return tuple(sorted(candidates))

    def _emitted(self, step: ast.Step, rec: ast.Recommendation) -> "Emitted | _Cautioned":
        """A recommendation as a run reports it: sources resolved, urgency its own or its step's (built
        per run when a caution has a condition)."""
        cautions = tuple((c.text, self._sources(c.citations), self._cited(c.citations)) for c in rec.cautions)
        emitted = Emitted(rec.code, rec.text, step.name, self._sources(rec.citations), cautions,
                          self._cited(rec.citations), rec.urgency or step.urgency or ROUTINE)
        if all(c.guard is None for c in rec.cautions):
            return emitted
        tests = [None if c.guard is None else (self.scope.compile(c.guard), show(c.guard)) for c in rec.cautions]
        return _Cautioned(emitted, tests)

    def _sources(self, citations: tuple[ast.Citation, ...]) -> tuple[str, ...]:
        """Source aliases replaced by what they name."""
        return tuple(self.pathway.sources[c.source].reference for c in citations)

    def _cited(self, citations: tuple[ast.Citation, ...]) -> tuple[Cited, ...]:
        """Citations resolved to their sources' references and titles."""
        return tuple(Cited(c.source, self.pathway.sources[c.source].reference, self.pathway.source_title(c.source),
                           c.locator, c.quote) for c in citations)


def _open_later(guards: list[_Guard], env: dict[str, Any]) -> tuple[_Guard, ...]:
    """Under `first match`, the guards after the one the run waits at that could still be taken: the undecided
    ones up to the first decided true (evaluated on a copy: the run itself does not evaluate them)."""
    scratch, found = dict(env), ()
    for guard in guards:
        try:
            held = guard.test(scratch)
        except PathwayDefect:
            held = UNKNOWN
        if held is UNKNOWN:
            found += (guard,)
        elif held:
            break
    return found


class _Cautioned:
    """A recommendation with conditional cautions: each is shown where its condition holds, and also where
    the case cannot tell yet (then with the condition, so the reader can judge); never where it is false."""

    def __init__(self, emitted: Emitted, tests: list):
        self.emitted, self.tests = emitted, tests

    def __call__(self, env: dict[str, Any]) -> Emitted:
        shown = []
        for caution, test in zip(self.emitted.cautions, self.tests):
            held = True if test is None else test[0](dict(env))
            if held is UNKNOWN:
                text, *cited = caution
                shown.append((f"{text} (applies when {test[1]}; not known for this case)", *cited))
            elif held:
                shown.append(caution)
        return replace(self.emitted, cautions=tuple(shown))


