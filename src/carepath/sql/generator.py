"""Stage 3 in SQL: a whole pathway as one query, a chain of CTEs that each add columns to the row.

Facts are read and checked first, then each derived value gets its column (in dependency order),
then every guard and `require`; then, one depth of the graph at a time, whether the run is at
each node (`at`), where it goes next, and whether it stops there for input. The last select
gathers the status, the codes in order, the facts needed, the route and the errors. A run visits
its nodes in a topological order of the graph, so a list in that order, kept where the run was,
is the run's own order.
"""
from __future__ import annotations

import graphlib
import itertools
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from sqlglot import exp

from ..expr import Scope
from ..model.resolve import successors, topological_order
from ..syntax import ast
from ..syntax.printer import show
from .intervals import derived_bounds
from .inputs import column_kind, fact_value, needs_reading, read_fact, read_wide
from .relevance import Relevance, Searched
from .terms import Names, Term, choose, error_if, first_error, is_false, is_null, is_true, message
from .values import Dec, Number, all_of, any_of, cast_to

# What each emitted recommendation reports, one array column per entry, in emission order. The
# run result reports codes; a field it gains (a recommendation's urgency, say) is one more entry,
# whose value must be a string for every recommendation (a NULL would read as not emitted).
RECOMMENDATION_FIELDS: dict[str, Callable[[ast.Step, ast.Recommendation], str]] = {
    "codes": lambda step, rec: rec.code,
    "urgencies": lambda step, rec: rec.urgency or step.urgency or "routine",
}
RESULT_COLUMNS = ("status", *RECOMMENDATION_FIELDS, "needs", "route", "require_violated", "errors")
MAX_GUARDS_COMBINED = 3  # a step with more guarded recommendations flattens one list each (2**n WHENs)


def column(name: str) -> exp.Column:
    """A quoted column reference."""
    return exp.column(exp.to_identifier(name, quoted=True))


class Chain:
    """CTEs each selecting everything before it plus new columns."""

    def __init__(self, source: exp.Expression):
        self.source = source
        self.ctes: list[exp.CTE] = []

    def add(self, columns: Iterable[tuple[str, exp.Expression]]) -> None:
        """One more CTE with these (name, expression) columns."""
        columns = list(columns)
        if not columns:
            return
        previous = self.source if not self.ctes else exp.to_table(self.ctes[-1].alias, quoted=True)
        # copy=False throughout: sqlglot's builders copy their arguments by default, which made
        # building pathway.dsl's query quadratic in its size (0.9 s).
        select = exp.select(exp.Star(), *(exp.alias_(value, name, quoted=True, copy=False) for name, value in columns),
                            copy=False)
        name = f"carepath_{len(self.ctes) + 1}"
        self.ctes.append(exp.CTE(this=select.from_(previous, copy=False), alias=exp.TableAlias(
            this=exp.to_identifier(name, quoted=True))))

    def select(self, columns: list[tuple[str, exp.Expression]]) -> exp.Select:
        """The final select of these columns over the last CTE."""
        query = exp.select(*(exp.alias_(value, name, quoted=True, copy=False) for name, value in columns), copy=False)
        query = query.from_(exp.to_table(self.ctes[-1].alias, quoted=True) if self.ctes else self.source, copy=False)
        for cte in self.ctes:
            query = query.with_(cte.alias, as_=cte.this, copy=False)
        return query


@dataclass(frozen=True)
class Guard:
    """A guard as columns: its value (NULL when undecided), its error, and the facts behind it."""

    value: exp.Expression
    error: exp.Expression | None
    facts: tuple[str, ...]


def build_query(pathway, source: exp.Expression, keep: Iterable[str] = (), absent: Iterable[str] = (),
                types: Mapping[str, exp.DataType] | None = None) -> exp.Select:
    """The query giving each row of `source` its result; `keep` columns are passed through,
    `absent` fact columns, which the source lacks, are missing in every row, and `types` (the
    source's column types, when known) spare conversions."""
    return _Builder(pathway, source, set(absent), types or {}).build(list(keep))


class _Builder:
    """One pathway's query, built column by column."""

    def __init__(self, pathway, source: exp.Expression, absent: set[str], types: Mapping[str, exp.DataType]):
        self.pathway = pathway
        self.types = types
        self.scope = Scope(pathway.facts, pathway.derived)
        self.chain = Chain(source)
        self.absent = absent
        self.names = Names({}, {}, self.scope)
        self.guards: dict[tuple[str, int], Guard] = {}
        self.requires: list[Guard] = []
        self.order = topological_order(pathway.nodes)
        self.depths = _depths(pathway, self.order)

    def build(self, keep: list[str]) -> exp.Select:
        """Every CTE, then the result columns."""
        input_error = self._facts()
        self._derived()
        self._guards()
        self.searched = Searched(self.pathway, self.names)
        self.chain.add(self.searched.columns())
        node_errors = self._nodes()
        return self._result(keep, input_error, node_errors)

    # --- facts and derived values ------------------------------------------------------------
    def _facts(self) -> exp.Expression | None:
        """The typed fact columns and the first problem of the row's values."""
        columns, problems, kinds = [], [], {name: column_kind(self.types.get(name)) for name in self.pathway.facts}
        raw = {name: exp.Null() if name in self.absent else column(name) for name in self.pathway.facts}
        # Converting a column wide is the dear part of reading it: once, in its own CTE.
        self.chain.add((f"wide:{name}", read_wide(fact, raw[name])) for name, fact in self.pathway.facts.items()
                       if needs_reading(fact, kinds[name]))
        for name, fact in self.pathway.facts.items():
            wide = column(f"wide:{name}") if needs_reading(fact, kinds[name]) else None
            read = read_fact(fact, raw[name], kinds[name], wide)
            columns.append((f"fact:{name}", read.value))
            problems.append(read.problem)
            self.names.facts[name] = fact_value(fact, column(f"fact:{name}"))
        if problems:
            columns.append(("input:error", first_error(*problems)))
        self.chain.add(columns)
        return column("input:error") if problems else None

    def _derived(self) -> None:
        """Columns (a value, or numerator and denominator; an error where one can occur) per derived
        value, one CTE per level of dependency."""
        derived = self.pathway.derived
        uses = {name: {r.name for e in ast.case_expressions(value) for r in ast.refs(e) if r.name in derived}
                for name, value in derived.items()}
        level: dict[str, int] = {}
        for name in graphlib.TopologicalSorter(uses).static_order():
            level[name] = 1 + max((level[u] for u in uses[name]), default=0)
        for depth in sorted(set(level.values())):
            columns: list[tuple[str, exp.Expression]] = []
            for name in (n for n in derived if level[n] == depth):
                gap = message(f"no case of derived value `{name}` holds for this case", derived[name].span)
                term = choose([(None if c.guard is None else self.names.compile(c.guard), self.names.compile(c.outcome))
                               for c in derived[name].cases], gap)
                if name in self.scope.bounded and isinstance(term.value, Number):  # read by interval comparisons
                    self.names.bounds[name] = tuple(_materialise(f"derived:{name}:{end}", Term(value), columns).value
                                                    for end, value in zip(("low", "high"),
                                                                          derived_bounds(name, term, self.names)))
                self.names.derived[name] = _materialise(f"derived:{name}", term, columns)
            self.chain.add(columns)

    # --- guards and requires ---------------------------------------------------------------
    def _guards(self) -> None:
        """A value column (and an error column where one can occur) per guard and per require."""
        columns = []

        def add(key: str, expr: ast.Expr) -> Guard:
            term = self.names.compile(expr)
            columns.append((key, term.value.sql))
            if term.error is not None:
                columns.append((f"{key}:error", term.error))
            facts = tuple(self.scope.facts_behind(self.scope.reads(expr)))
            return Guard(column(key), column(f"{key}:error") if term.error is not None else None, facts)

        self.requires = [add(f"require:{i}", r.condition) for i, r in enumerate(self.pathway.document.requires)]
        for name in self.order:
            for index, expr in ast.node_guards(self.pathway.nodes[name]):
                self.guards[name, index] = add(f"guard:{name}:{index}", expr)
        self.chain.add(columns)

    # --- the walk ------------------------------------------------------------------------------
    def _nodes(self) -> list[exp.Expression]:
        """`at`, `next`, `stop` and `error` columns per node, one CTE per depth of the graph (the
        `at` test is repeated inside the others of its node rather than read from a column)."""
        depths = self.depths
        into: dict[str, list[str]] = {name: [] for name in self.order}
        for name in self.order:
            for target in dict.fromkeys(successors(self.pathway.nodes[name])):
                into[target].append(name)
        errors = []
        for depth in sorted(set(depths.values())):
            columns = []
            for name in (n for n in self.order if depths[n] == depth):
                arrives = self._arrives(name, into[name])
                walk = _Walk(self, name, arrives)
                columns += [(f"at:{name}", arrives), (f"next:{name}", walk.next), (f"stop:{name}", walk.stop)]
                if walk.error is not None:
                    columns.append((f"error:{name}", walk.error))
                    errors.append(column(f"error:{name}"))
            self.chain.add(columns)
        return errors

    def _arrives(self, name: str, sources: list[str]) -> exp.Expression:
        """Whether the run reaches a node: it is the start, or a node before it went there (each
        `next` column holds the position of the node it goes to, in the topological order)."""
        if name == self.pathway.start:
            return exp.true()
        if not sources:
            return exp.false()
        number = exp.Literal.number(self.order.index(name))
        arrivals = [exp.EQ(this=column(f"next:{s}"), expression=number) for s in sources]
        joined = arrivals[0]
        for arrival in arrivals[1:]:
            joined = exp.Or(this=joined, expression=arrival)
        return is_true(joined)

    # --- the result ------------------------------------------------------------------------------
    def _result(self, keep: list[str], input_error, node_errors: list[exp.Expression]) -> exp.Select:
        """The result columns, computed in one last CTE and then selected."""
        broken = [is_false(r.value) for r in self.requires]
        violated = any_of(broken) if broken else exp.false()
        broken_messages = [exp.If(this=test, true=message(f"the case breaks `require {show(r.condition)}`", r.span))
                           for test, r in zip(broken, self.pathway.document.requires)]
        errors = first_error(input_error, *(r.error for r in self.requires),
                             exp.Case(ifs=broken_messages) if broken_messages else None, *node_errors)
        stopped = any_of([column(f"stop:{n}") for n in self.order])
        self.chain.add([("result:errors", errors or cast_to(exp.Null(), "VARCHAR")),
                        ("result:violated", violated), ("result:stopped", stopped)])
        # A CASE computes its branch only for the rows that take it: the lists only for rows
        # without errors, the needs only for rows that stopped.
        failed = exp.Not(this=is_null(column("result:errors")))
        needs = exp.Case(ifs=[exp.If(this=column("result:stopped"), true=self._needs())], default=_strings([]))
        lists = {**self._recommendations(), "needs": needs, "route": self._route()}
        self.chain.add([(f"result:{name}", _unless_failed(failed, value)) for name, value in lists.items()])
        status = exp.Case(ifs=[exp.If(this=failed, true=exp.Literal.string("error")),
                               exp.If(this=column("result:stopped"), true=exp.Literal.string("needs_input"))],
                          default=exp.Literal.string("complete"))
        return self.chain.select([(name, column(name)) for name in keep] + [("status", status)] + [
            (name, column(f"result:{name}")) for name in lists] + [
            ("require_violated", column("result:violated")), ("errors", column("result:errors"))])

    def _recommendations(self) -> dict[str, exp.Expression]:
        """Per RECOMMENDATION_FIELDS entry, the emitted recommendations' values in order: per depth
        of the graph, the list of the one step the run visited there (a CASE computes only that
        step's list), then the lists flattened."""
        lists: dict[str, list[exp.Expression]] = {field: [] for field in RECOMMENDATION_FIELDS}
        for layer in self._layers():
            steps = [name for name in layer if isinstance(self.pathway.nodes[name], ast.Step)]
            for field, get in RECOMMENDATION_FIELDS.items():
                ifs = [exp.If(this=column(f"at:{name}"), true=self._emitted_list(name, get)) for name in steps]
                if ifs:
                    lists[field].append(exp.Case(ifs=ifs, default=_strings([])))
        return {field: exp.Flatten(this=exp.Array(expressions=parts)) if parts else _strings([])
                for field, parts in lists.items()}

    def _emitted_list(self, name: str, get) -> exp.Expression:
        """A visited step's values of one field, for the recommendations it emits: with a few guards,
        one CASE over the guards that hold (most first), each giving its whole list, which DuckDB
        builds about a fifth faster than it flattens one small list per recommendation."""
        node, walk = self.pathway.nodes[name], _Walk(self, name, exp.true())
        recs = list(enumerate(node.recommendations))
        if len(walk.guards) > MAX_GUARDS_COMBINED:
            return _kept([(walk.emitted(i), get(node, rec)) for i, rec in recs])
        ifs = [exp.If(this=all_of([is_true(walk.guards[i].value) for i in held]),
                      true=_strings([get(node, rec) for i, rec in recs if i not in walk.guards or i in held]))
               for size in range(len(walk.guards), 0, -1) for held in itertools.combinations(walk.guards, size)]
        always = _strings([get(node, rec) for i, rec in recs if i not in walk.guards])
        return exp.Case(ifs=ifs, default=always) if ifs else always

    def _layers(self) -> list[list[str]]:
        """The nodes by depth: a run visits at most one node of each."""
        return [[n for n in self.order if self.depths[n] == depth] for depth in sorted(set(self.depths.values()))]

    def _needs(self) -> exp.Expression:
        """The facts the run stopped for, sorted: missing, and behind a guard left undecided."""
        wanted: dict[str, list[exp.Expression]] = {name: [] for name in sorted(self.pathway.facts)}
        relevance = Relevance(self.scope, self.names)
        for name in self.order:
            searched = self.searched.needs(name)
            if searched is not None:  # the executor's table of this node's stops
                for fact, test in searched.items():
                    wanted[fact].append(exp.And(this=column(f"stop:{name}"), expression=test))
                continue
            walk = _Walk(self, name)
            exprs = dict(ast.node_guards(self.pathway.nodes[name]))
            for index, guard in walk.guarded():
                for fact in guard.facts:
                    wanted[fact].append(all_of([column(f"stop:{name}"), walk.waits_on(index),
                                              relevance.needs(exprs[index], fact)]))
        return _kept([(exp.And(this=is_null(column(f"fact:{fact}")), expression=any_of(tests)), fact)
                      for fact, tests in wanted.items() if tests])

    def _route(self) -> exp.Expression:
        """The nodes the run visited, in order: the one it visited at each depth, if any."""
        return exp.Flatten(this=exp.Array(expressions=[
            exp.Case(ifs=[exp.If(this=column(f"at:{n}"), true=_strings([n])) for n in layer], default=_strings([]))
            for layer in self._layers()]))


class _Walk:
    """What the run does at one node, in terms of its guard columns and its `at` column."""

    def __init__(self, builder: _Builder, name: str, at: exp.Expression | None = None):
        """The walk at a node; `at` tests that the run reaches it (by default, its column)."""
        self.node = builder.pathway.nodes[name]
        self.order = builder.order
        self.at = column(f"at:{name}") if at is None else exp.Paren(this=at)
        self.guards = {index: builder.guards[name, index] for index, _ in ast.node_guards(self.node)}
        self.decision = isinstance(self.node, ast.Decision)
        self.first_match = self.decision and self.node.first_match

    def guarded(self) -> list[tuple[int, Guard]]:
        """The node's guards in order, with their index among its branches or recommendations."""
        return list(self.guards.items())

    def _before(self, index: int, test) -> list[exp.Expression]:
        """`test` of each guard before `index`."""
        return [test(g.value) for i, g in self.guards.items() if i < index]

    def evaluated(self, index: int) -> exp.Expression:
        """Whether the run, at this node, evaluates guard `index`."""
        if self.decision and not self.first_match:
            earlier = [exp.Not(this=is_true(v)) for v in self._before(index, lambda v: v)]
        elif self.decision:
            earlier = self._before(index, is_false)
        else:  # a step evaluates every guard: its decided advice is never withheld
            earlier = []
        return all_of([self.at, *earlier])

    def undecided(self, index: int) -> exp.Expression:
        """Whether guard `index` is one the run stopped on (its facts are the needs)."""
        return exp.And(this=self.evaluated(index), expression=is_null(self.guards[index].value))

    def waits_on(self, index: int) -> exp.Expression:
        """Whether guard `index` is one whose facts a stop here needs: one the run stopped on, or, under
        `first match`, a later one left undecided with none decided true between."""
        if not self.first_match:
            return self.undecided(index)
        later = [all_of([self.undecided(i), *(exp.Not(this=is_true(self.guards[k].value)) for k in self.guards
                                             if i < k < index)]) for i in self.guards if i < index]
        return any_of([self.undecided(index), all_of([any_of(later), is_null(self.guards[index].value)])]) \
            if later else self.undecided(index)

    def emitted(self, index: int) -> exp.Expression:
        """Whether the run emits recommendation `index` of this step: reached and its own guard holds,
        whatever the step's other guards (a run that stops for input here keeps its decided advice)."""
        guard = self.guards.get(index)
        return all_of([self.at] + ([is_true(guard.value)] if guard else []))

    @property
    def next(self) -> exp.Expression:
        """The node the run goes to from here (NULL when it is not here or stops here)."""
        node, nothing = self.node, cast_to(exp.Null(), "INT")
        if not self.decision:
            target = self._number(node.next) if node.next else nothing
            passes = all_of([self.at] + [exp.Not(this=is_null(g.value)) for g in self.guards.values()])
            return exp.Case(ifs=[exp.If(this=passes, true=target)], default=nothing)
        ifs = [exp.If(this=exp.Not(this=self.at), true=nothing)]
        for index, branch in enumerate(node.branches):
            if branch.guard is None:
                continue
            value = self.guards[index].value
            if self.first_match:
                ifs.append(exp.If(this=is_null(value), true=nothing))
            ifs.append(exp.If(this=is_true(value), true=self._number(branch.target)))
        if not self.first_match and self.guards:
            ifs.append(exp.If(this=any_of([is_null(g.value) for g in self.guards.values()]), true=nothing))
        otherwise = [b.target for b in node.branches if b.guard is None]
        return exp.Case(ifs=ifs, default=self._number(otherwise[0]) if otherwise else nothing)

    def _number(self, name: str) -> exp.Expression:
        """A node as its position in the topological order (integers compare faster than names)."""
        return exp.Literal.number(self.order.index(name))

    @property
    def stop(self) -> exp.Expression:
        """Whether the run stops here for input."""
        if not self.guards:
            return exp.false()
        if self.decision and not self.first_match:  # any branch that holds wins over undecided ones
            values = [g.value for g in self.guards.values()]
            return all_of([self.at, exp.Not(this=any_of([is_true(v) for v in values])), any_of([is_null(v) for v in values])])
        return any_of([self.undecided(index) for index in self.guards])

    @property
    def error(self) -> exp.Expression | None:
        """The first error raised here: a guard's, or a decision's gap."""
        errors = [error_if(self.evaluated(i), g.error) for i, g in self.guards.items()]
        if self.decision and all(b.guard is not None for b in self.node.branches):
            none_holds = all_of([self.at] + [is_false(g.value) for g in self.guards.values()])
            gap = message(f"no branch of decision `{self.node.name}` holds for this case", self.node.span)
            errors.append(error_if(none_holds, gap))
        return first_error(*errors)


def _materialise(name: str, term: Term, columns: list[tuple[str, exp.Expression]]) -> Term:
    """A term computed once into `columns` (appended to), and the term that reads them."""
    value = term.value
    if isinstance(value, Number):
        columns.append((name, value.numerator.sql))
        read = Dec(column(name), value.numerator.precision, value.numerator.scale)
        denominator = None
        if value.denominator is not None:
            columns.append((f"{name}:den", value.denominator.sql))
            denominator = Dec(column(f"{name}:den"), value.denominator.precision, value.denominator.scale)
        shown = value.like(read, denominator)
    else:
        columns.append((name, value.sql))
        shown = value.like(column(name))
    if term.error is not None:
        columns.append((f"{name}:error", term.error))
    return Term(shown, column(f"{name}:error") if term.error is not None else None)


def _depths(pathway, order: list[str]) -> dict[str, int]:
    """Each node's longest distance from the start (unreachable nodes: 0), so that every node
    comes after all the nodes that lead to it."""
    depth = {name: 0 for name in order}
    for name in order:
        for target in successors(pathway.nodes[name]):
            depth[target] = max(depth[target], depth[name] + 1)
    return depth


def _text(value: str | None) -> exp.Expression:
    """A string literal, or a NULL string."""
    return cast_to(exp.Null(), "VARCHAR") if value is None else exp.Literal.string(value)


def _strings(values: list[str]) -> exp.Expression:
    """An array of string literals (typed, when empty)."""
    if not values:
        return cast_to(exp.Array(expressions=[]), "ARRAY<STRING>")
    return exp.Array(expressions=[exp.Literal.string(v) for v in values])


def _kept(items: list[tuple[exp.Expression, str]]) -> exp.Expression:
    """The strings whose condition holds, in order: one-element lists flattened, which DuckDB
    builds faster than it filters a list of NULLs."""
    if not items:
        return _strings([])
    return exp.Flatten(this=exp.Array(expressions=[
        exp.Case(ifs=[exp.If(this=test, true=_strings([value]))], default=_strings([])) for test, value in items]))


def _unless_failed(failed: exp.Expression, value: exp.Expression) -> exp.Expression:
    """A result column, NULL for a row in error."""
    return exp.Case(ifs=[exp.If(this=failed, true=exp.Null())], default=value)
