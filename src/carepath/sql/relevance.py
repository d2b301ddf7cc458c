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
        return _any(self._undecided_and_needs(part, fact) for part in ast.children(expr))

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
        """TRUE where the expression's value is unknown."""
        return exp.Not(this=exp.Paren(this=self.names.compile(expr).value.known()))

    def _behind(self, expr: ast.Expr) -> set[str]:
        """The facts behind an expression, following derived values."""
        return set(self.scope.facts_behind(self.scope.reads(expr)))


def _any(tests) -> exp.Expression:
    """OR of the conditions that can hold (a literal FALSE is left out), FALSE for none."""
    return any_of([t for t in tests if not (isinstance(t, exp.Boolean) and not t.this)])
