"""Stage 5, SQL: which missing facts could still change an undecided guard, as SQL conditions.

The SQL mirror of `expr.relevance` (the executor's `needs`), rule for rule: an undecided
expression needs the needs of its undecided parts; a missing fact needs itself; a derived value
needs what its chosen case needs, or, at its first undecided case, that guard's needs and every
fact behind the later cases; an undecided `if` needs its condition's needs and every fact behind
both outcomes, or, with the condition decided, what the chosen outcome needs.
"""
from __future__ import annotations

from sqlglot import exp

from ..expr import Scope
from ..syntax import ast
from .terms import Names, is_false, is_null, is_true
from .values import any_of


class Relevance:
    """Builds, per expression and fact, the condition that the fact could still change it."""

    def __init__(self, scope: Scope, names: Names):
        self.scope, self.names = scope, names

    def needs(self, expr: ast.Expr, fact: str) -> exp.Expression:
        """TRUE where `fact` could still change `expr`, given that `expr` is undecided."""
        if fact not in self._behind(expr):
            return exp.false()
        if isinstance(expr, ast.Ref):
            return exp.true() if expr.name == fact else self._derived(self.scope.derived_ast[expr.name], fact)
        if isinstance(expr, ast.IfThenElse):
            return self._if(expr, fact)
        parts = dict.fromkeys(ast.children(expr))  # once each: a sum may repeat a term thousands of times
        return _any(self._undecided_and_needs(part, fact) for part in parts)

    def _if(self, expr: ast.IfThenElse, fact: str) -> exp.Expression:
        """An undecided `if`: while its condition is undecided, the condition's needs and every fact
        behind either outcome (the run evaluated neither); else the chosen outcome's needs."""
        condition = self.names.compile(expr.condition).value.sql
        behind = fact in self._behind(expr.then) or fact in self._behind(expr.otherwise)
        return _any([exp.and_(is_null(condition), exp.true() if behind else self.needs(expr.condition, fact)),
                     exp.and_(is_true(condition), self._undecided_and_needs(expr.then, fact)),
                     exp.and_(is_false(condition), self._undecided_and_needs(expr.otherwise, fact))])

    def _undecided_and_needs(self, expr: ast.Expr, fact: str) -> exp.Expression:
        """`expr` is undecided and `fact` could still change it."""
        needs = self.needs(expr, fact)
        if isinstance(needs, exp.Boolean) and not needs.this:
            return needs
        return exp.and_(self._undecided(expr), needs)

    def _derived(self, value: ast.Derived, fact: str) -> exp.Expression:
        """A derived value's needs: its chosen case's outcome, or its first undecided case's guard and
        everything behind the cases from there on."""
        # The value is undecided (the caller's premise), so the outcome it takes is undecided too: no
        # test of the outcome itself (a score's whole sum) is repeated here.
        found, earlier = [], []
        for index, case in enumerate(value.cases):
            if case.guard is None:
                found.append(exp.and_(*earlier, self.needs(case.outcome, fact)))
                break
            guard = self.names.compile(case.guard).value.sql
            found.append(exp.and_(*earlier, is_true(guard), self.needs(case.outcome, fact)))
            later = [c.outcome for c in value.cases[index:]] + [c.guard for c in value.cases[index + 1:] if c.guard]
            behind = any(fact in self._behind(e) for e in later)
            found.append(exp.and_(*earlier, is_null(guard),
                                  exp.true() if behind else self.needs(case.guard, fact)))
            earlier.append(is_false(guard))
        return _any(found)

    def _undecided(self, expr: ast.Expr) -> exp.Expression:
        """TRUE where the expression's value is unknown (arithmetic: where an operand is, without computing it)."""
        if isinstance(expr, ast.Arith):
            return any_of([self._undecided(part) for part in dict.fromkeys(expr.operands)])
        if isinstance(expr, ast.Duration):  # written in the text: never unknown (and months have no SQL value)
            return exp.false()
        return exp.Not(this=exp.Paren(this=self.names.compile(expr).value.known()))

    def _behind(self, expr: ast.Expr) -> set[str]:
        """The facts behind an expression, following derived values."""
        return set(self.scope.facts_behind(self.scope.reads(expr)))


def _any(tests) -> exp.Expression:
    """OR of the conditions that can hold (a literal FALSE is left out), FALSE for none."""
    return any_of([t for t in tests if not (isinstance(t, exp.Boolean) and not t.this)])


class Searched:
    """The needs at nodes where the executor searches for witnesses (engine.needs): its table of every
    stop there, by the region of each of the node's facts, looked up through one key column per node."""

    def __init__(self, pathway, names: Names):
        from ..engine import Program

        self.exactness = Program(pathway).exactness
        self.pathway, self.names = pathway, names
        self.tables = {name: self.exactness.table(name) for name in pathway.nodes
                       if ast.node_guards(pathway.nodes[name]) and self.exactness.facts(name) is not None}

    def columns(self) -> list[tuple[str, exp.Expression]]:
        """A `key` column per searched node where a run can stop: its facts' regions as one number."""
        return [(f"key:{name}", self._key(name)) for name, table in self.tables.items() if table]

    def needs(self, node: str) -> dict[str, exp.Expression] | None:
        """Per fact, the condition that a run stopped at `node` needs it (None: the node is not searched)."""
        table = self.tables.get(node)
        if table is None:
            return None
        found: dict[str, list[int]] = {}
        for key, needs in table.items():
            for fact in needs:
                found.setdefault(fact, []).append(self._number(node, key))
        key = exp.column(exp.to_identifier(f"key:{node}", quoted=True))
        return {fact: exp.In(this=key, expressions=[exp.Literal.number(k) for k in sorted(keys)])
                for fact, keys in found.items()}

    def _key(self, node: str) -> exp.Expression:
        """Sum over the node's facts of (0 missing, else 1 + region index) times the fact's place value."""
        regions, total, place = self.exactness.regions(), None, 1
        for name in self.exactness.facts(node):
            missing = exp.Not(this=exp.Paren(this=self.names.compile(ast.Ref(name)).value.known()))
            tests = [exp.If(this=missing, true=exp.Literal.number(0))]
            tests += [exp.If(this=is_true(self.names.compile(test).value.sql), true=exp.Literal.number(i + 1))
                      for i, test in enumerate(regions[name].tests)]
            term = exp.Mul(this=exp.Paren(this=exp.Case(ifs=tests)), expression=exp.Literal.number(place))
            total = term if total is None else exp.Add(this=total, expression=term)
            place *= len(regions[name].values) + 1
        return total if total is not None else exp.Literal.number(0)

    def _number(self, node: str, key: tuple[int, ...]) -> int:
        """A table key as the number the key column computes."""
        regions, number, place = self.exactness.regions(), 0, 1
        for name, index in zip(self.exactness.facts(node), key):
            number += index * place
            place *= len(regions[name].values) + 1
        return number
