"""Benchmark baseline: a pathway turned into a plain Python if/else function, the floor to beat.

The source is generated here, from a trusted pathway, and compiled only by the benchmark: nothing
in src/ ever compiles text. The function assumes what the benchmark's cases guarantee: every
required fact is present (so it reads them as `case["x"]`); optional facts may be absent, and only
expressions that read them pay for three-valued logic (None stands for UNKNOWN).
"""
from __future__ import annotations

from graphlib import TopologicalSorter
from typing import Any, Callable

from carepath import program
from carepath.syntax import ast

HELPERS = '''
def _and(values):
    return False if False in values else (None if None in values else True)


def _or(values):
    return True if True in values else (None if None in values else False)
'''

_PY_OP = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=", "+": "+", "-": "-", "*": "*", "/": "/"}


def baseline(pathway, full: bool) -> Callable[[dict[str, Any]], Any]:
    """The compiled if/else function: codes and needs, or (full) the same JSON as `Result.to_json()`."""
    namespace: dict[str, Any] = {}
    exec(compile(python_source(pathway, full), f"<if/else {pathway.name}>", "exec"), namespace)  # noqa: S102
    return namespace["run"]


def python_source(pathway, full: bool) -> str:
    """Python source of `run(case)` for the pathway."""
    return _Writer(pathway, full).source()


class _Writer:
    """Emits the function: derived values first, then one block per join node, branches inlined."""

    def __init__(self, pathway, full: bool):
        self.pathway, self.full = pathway, full
        self.lines: list[str] = []
        self.temp = 0
        self.constants: list[str] = []
        self.emitted = {e.code + "@" + e.step: e for e in _all_emitted(pathway)}
        refs: dict[str, int] = {}
        for node in pathway.nodes.values():
            for target in _targets(node):
                refs[target] = refs.get(target, 0) + 1
        self.joins = {n for n in pathway.nodes if refs.get(n, 0) != 1} | {pathway.start}

    def source(self) -> str:
        """The whole module text."""
        self.line(0, "def run(case):")
        self.line(1, "path, recs = [], []" if self.full else "codes = []")
        for name in _derived_order(self.pathway):
            self.derived(name)
        self.line(1, f"at = {self.pathway.start!r}")
        order = [n for n in TopologicalSorter({n: [p for p in self.pathway.nodes if n in _targets(
            self.pathway.nodes[p])] for n in self.pathway.nodes}).static_order() if n in self.joins]
        for name in order:
            self.line(1, f"if at == {name!r}:")
            self.node(name, 2)
        header = [f"PATHWAY = {{'name': {self.pathway.name!r}, 'version': {self.pathway.version!r}}}"]
        return "\n".join(header + self.constants + [HELPERS] + self.lines) + "\n"

    def line(self, depth: int, text: str) -> None:
        """Append one indented line."""
        self.lines.append("    " * depth + text)

    # --- nodes -------------------------------------------------------------------------------
    def node(self, name: str, depth: int) -> None:
        """A node's code: a step's recommendations and jump, or a decision's if/elif chain."""
        node = self.pathway.nodes[name]
        if isinstance(node, ast.Step):
            self.step(node, depth)
        else:
            self.decision(node, depth)

    def goto(self, target: str | None, depth: int) -> None:
        """Continue at a node: inline it, or (a join node) name it for its block below."""
        if target is None:
            self.finish(depth, "()")
        elif target in self.joins:
            self.line(depth, f"at = {target!r}")
        else:
            self.node(target, depth)

    def finish(self, depth: int, needs: str) -> None:
        """Return the result: codes and needs (a set expression, or `()`), or the full JSON shape."""
        if needs != "()":
            needs = f"tuple(sorted({needs}))"
        if not self.full:
            self.line(depth, f"return codes, {needs}")
            return
        self.line(depth, f"needs = {needs}")
        self.line(depth, "return {'pathway': PATHWAY, 'status': 'needs_input' if needs else 'complete', "
                         "'needs': list(needs), 'recommendations': recs, 'path': path}")

    def visit(self, depth: int, name: str, took: str | None, guards: list[ast.Expr]) -> None:
        """Record a path entry with the facts the node's guards read (full mode only)."""
        if not self.full:
            return
        reads = {r.name for g in guards for r in ast.refs(g)}
        names = sorted(reads | set(program(self.pathway).scope.facts_behind(list(reads))))
        facts = ", ".join(f"{n!r}: {self.value(n)}" for n in names)
        self.line(depth, f"path.append({{'node': {name!r}, 'took': {took!r}, 'facts': {{{facts}}}}})")

    def step(self, node: ast.Step, depth: int) -> None:
        """Emit every decided recommendation (guarded or not), then stop for input if a guard
        was undecided, else jump or stop."""
        guards = [r.guard for r in node.recommendations if r.guard is not None]
        waits = False
        for rec in node.recommendations:
            add = self.add(node.name, rec)
            if rec.guard is None:
                self.line(depth, add)
                continue
            code, unknown = self.expr(rec.guard)
            if unknown:
                if not waits:
                    self.line(depth, "waiting = set()")
                    waits = True
                self.line(depth, f"if (t := {code}) is None:")
                self.line(depth + 1, f"waiting |= {self.needs([rec.guard])}")
                self.line(depth, "if t:")
            else:
                self.line(depth, f"if {code}:")
            self.line(depth + 1, add)
        if waits:
            self.line(depth, "if waiting:")
            self.visit(depth + 1, node.name, None, guards)
            self.finish(depth + 1, "waiting")
        self.visit(depth, node.name, f"-> {node.next}" if node.next else "stop", guards)
        self.goto(node.next, depth)

    def add(self, step: str, rec: ast.Recommendation) -> str:
        """The statement that emits one recommendation."""
        if not self.full:
            return f"codes.append({rec.code!r})"
        constant = f"REC_{len(self.constants)}"
        self.constants.append(f"{constant} = {self.emitted[rec.code + '@' + step].to_json()!r}")
        return f"recs.append({constant})"

    def decision(self, node: ast.Decision, depth: int) -> None:
        """An if/elif chain; three-valued guards record themselves to name the missing facts."""
        guards = [b.guard for b in node.branches if b.guard is not None]
        undecided: list[tuple[str, ast.Expr]] = []
        keyword = "if"
        for branch in node.branches:
            if branch.guard is None:
                break
            code, unknown = self.expr(branch.guard)
            if unknown:
                var = self.fresh()
                undecided.append((var, branch.guard))
                code = f"({var} := {code})"
                if node.first_match:
                    self.line(depth, f"{keyword} {code} is None:")
                    self.visit(depth + 1, node.name, None, guards)
                    self.finish(depth + 1, self.needs([branch.guard]))
                    keyword, code = "elif", var
            self.line(depth, f"{keyword} {code}:")
            self.visit(depth + 1, node.name, self.took(branch), guards)
            self.goto(branch.target, depth + 1)
            keyword = "elif"
        if undecided and not node.first_match:
            self.line(depth, f"elif {' or '.join(f'{v} is None' for v, _ in undecided)}:")
            self.visit(depth + 1, node.name, None, guards)
            self.finish(depth + 1, " | ".join(f"({self.needs([g])} if {v} is None else set())"
                                              for v, g in undecided))
        otherwise = node.branches[-1] if node.branches[-1].guard is None else None
        self.line(depth, "else:")
        if otherwise:
            self.visit(depth + 1, node.name, "otherwise", guards)
            self.goto(otherwise.target, depth + 1)
        else:
            self.line(depth + 1, f"raise ValueError('no branch of {node.name} holds')")

    @staticmethod
    def took(branch: ast.Branch) -> str:
        """The path entry's `took` for a branch, as the engine writes it."""
        from carepath.syntax.printer import show

        return show(branch.guard)

    def needs(self, guards: list[ast.Expr]) -> str:
        """An expression for the set of missing facts behind some guards."""
        behind = program(self.pathway).scope.facts_behind([r.name for g in guards for r in ast.refs(g)])
        return f"{{f for f in {tuple(behind)!r} if case.get(f) is None}}"

    # --- derived values and expressions ------------------------------------------------------
    def derived(self, name: str) -> None:
        """Compute a derived value into a local, first matching case wins, None when undecided."""
        var, depth = f"d_{name}", 1
        for case in self.pathway.derived[name].cases:
            outcome, _ = self.expr(case.outcome)
            if case.guard is None:
                self.line(depth, f"{var} = {outcome}")
                return
            guard, unknown = self.expr(case.guard)
            if unknown:
                self.line(depth, f"if (t := {guard}) is None:")
                self.line(depth + 1, f"{var} = None")
                self.line(depth, "elif t:")
            else:
                self.line(depth, f"if {guard}:")
            self.line(depth + 1, f"{var} = {outcome}")
            self.line(depth, "else:")
            depth += 1
        self.line(depth, f"{var} = None")

    def value(self, name: str) -> str:
        """How the function reads a fact or derived value (None when missing)."""
        if name in self.pathway.derived:
            return f"d_{name}"
        return f"case.get({name!r})" if self.pathway.facts[name].optional else f"case[{name!r}]"

    def unknowable(self, name: str) -> bool:
        """Whether a name may be UNKNOWN for the benchmark's cases."""
        if name in self.pathway.derived:
            return True
        return self.pathway.facts[name].optional

    def fresh(self) -> str:
        """A new temporary name."""
        self.temp += 1
        return f"t{self.temp}"

    def expr(self, expr: ast.Expr) -> tuple[str, bool]:
        """(Python expression, whether it may be UNKNOWN)."""
        return getattr(self, "_" + type(expr).__name__.lower())(expr)

    def _ref(self, expr: ast.Ref):
        return self.value(expr.name), self.unknowable(expr.name)

    def _symbol(self, expr: ast.Symbol):
        return repr(expr.name), False

    def _literal(self, expr: ast.Literal):
        return repr(expr.value), False

    def _strict(self, parts: list[ast.Expr], combine: Callable[[list[str]], str]) -> tuple[str, bool]:
        """An operation that is UNKNOWN when any operand is (those operands held in temporaries)."""
        codes = [self.expr(p) for p in parts]
        if not any(u for _, u in codes):
            return "(" + combine([c for c, _ in codes]) + ")", False
        names = [self.fresh() if u else c for c, u in codes]
        test = " or ".join(f"({n} := {c}) is None" for n, (c, u) in zip(names, codes) if u)
        return f"(None if {test} else {combine(names)})", True

    def _neg(self, expr: ast.Neg):
        return self._strict([expr.operand], lambda v: f"-{v[0]}")

    def _arith(self, expr: ast.Arith):
        operators = expr.operators
        return self._strict(list(expr.operands), lambda v: v[0] + "".join(
            f" {_PY_OP[op]} {operand}" for op, operand in zip(operators, v[1:])))

    def _compare(self, expr: ast.Compare):
        return self._strict([expr.left, expr.right], lambda v: f"{v[0]} {_PY_OP[expr.op]} {v[1]}")

    def _presence(self, expr: ast.Presence):
        operand = expr.operand
        code = f"case.get({operand.name!r})" if operand.name in self.pathway.facts else self.value(operand.name)
        return f"({code} {'is not' if expr.present else 'is'} None)", False

    def _isvalue(self, expr: ast.IsValue):
        op = "!=" if expr.negated else "=="
        return self._strict([expr.operand], lambda v: f"{v[0]} {op} {expr.value.name!r}")

    def _inset(self, expr: ast.InSet):
        items = tuple(i.name if isinstance(i, ast.Symbol) else i.value for i in expr.items)
        op = "not in" if expr.negated else "in"
        return self._strict([expr.operand], lambda v: f"{v[0]} {op} {items!r}")

    def _not(self, expr: ast.Not):
        return self._strict([expr.operand], lambda v: f"not {v[0]}")

    def _and(self, expr: ast.And):
        return self._logic(expr.operands, "and", "_and")

    def _or(self, expr: ast.Or):
        return self._logic(expr.operands, "or", "_or")

    def _logic(self, operands, word: str, helper: str) -> tuple[str, bool]:
        """Plain `and`/`or` when nothing can be UNKNOWN, else Kleene's logic through a helper."""
        codes = [self.expr(op) for op in operands]
        if not any(u for _, u in codes):
            return "(" + f" {word} ".join(c for c, _ in codes) + ")", False
        return f"{helper}(({', '.join(c for c, _ in codes)},))", True


def _targets(node: ast.Node) -> list[str]:
    """The nodes a node leads to."""
    if isinstance(node, ast.Decision):
        return [b.target for b in node.branches]
    return [node.next] if node.next else []


def _derived_order(pathway) -> list[str]:
    """Derived values, each after the ones it uses."""
    uses = {name: {r.name for c in value.cases for e in (c.guard, c.outcome) if e is not None
                   for r in ast.refs(e) if r.name in pathway.derived}
            for name, value in pathway.derived.items()}
    return list(TopologicalSorter(uses).static_order())


def _all_emitted(pathway):
    """Every recommendation as the engine reports it."""
    compiled = program(pathway)
    return [compiled._emitted(node, rec) for node in pathway.nodes.values()
            if isinstance(node, ast.Step) for rec in node.recommendations]
