"""Stage 2, resolution: every name bound and every expression typed before anything runs."""
from __future__ import annotations

import graphlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping

from ..errors import Diagnostic, PathwayError, Related, Span, did_you_mean, error, source_order
from ..syntax import MAX_DEPTH, ast
from ..syntax.printer import number
from .typecheck import TypeChecker, as_expr_type

KEYWORDS = frozenset(
    "pathway version released authors source fact optional unit require derive first match when "
    "otherwise start section decide step recommend cite unless caution stop never always with "
    "boolean integer number and or not is in missing present true false emergency urgent routine".split())
# Keywords an enumeration value cannot be, because a guard would read two ways (`x is not`, `x is missing`,
# `x in {true}`); every other keyword is unambiguous where a value stands (`fact priority: routine | urgent`).
AMBIGUOUS_VALUES = frozenset("and or not is in missing present true false".split())


@dataclass(frozen=True)
class Tables:
    """Every declared name, by kind, in source order."""

    sources: dict[str, ast.Source]
    facts: dict[str, ast.Fact]
    derived: dict[str, ast.Derived]
    nodes: dict[str, ast.Node]
    start: str


def declared_units(facts: Mapping[str, ast.Fact], derived: Mapping[str, ast.Derived]) -> dict[str, str]:
    """The declared unit of each fact and derived value that has one, by name."""
    return {name: declared.unit for name, declared in {**facts, **derived}.items() if declared.unit}


def resolve(doc: ast.Document) -> Tables:
    """Bind and type-check a document; raise PathwayError listing every problem found."""
    problems: list[Diagnostic] = []
    report = problems.append
    _check_header(doc.header, report)
    sources = _unique(doc.sources, "source", report)
    facts = _unique(doc.facts, "fact", report)
    derived = _unique(doc.derived, "derived value", report, taken=facts)
    nodes = _unique(doc.nodes, "node", report)
    for declared in list(facts.values()) + list(derived.values()):
        _check_type(declared, report)
    names = {n: d.type for n, d in {**facts, **derived}.items()}
    enum_values = {v: f.name for f in facts.values() if isinstance(f.type, ast.EnumType) for v in f.type.values}
    checker = TypeChecker(names, enum_values, report, declared_units(facts, derived))
    for require in doc.requires:
        checker.guard(require.condition)
    for value in derived.values():
        _check_derived(value, checker)
        _check_citations(value.citations, value.span, sources, report)
    _check_derived_cycles(derived, report)
    start = _check_start(doc, nodes, report)
    for node in nodes.values():
        _check_node(node, nodes, sources, checker, report)
    _check_node_cycles(nodes, report)
    _check_invariants(doc, nodes, checker, report)
    for accept in doc.accepts:
        if accept.at is not None and accept.at not in nodes and accept.at not in derived:
            report(error(f"`accept ... at {accept.at}`: no step, decision or derived value is named `{accept.at}`",
                         _word_span(accept.span, accept.at), kind="name", hint=did_you_mean(accept.at, {**nodes, **derived})))
    if problems:
        raise PathwayError(sorted(problems, key=source_order))
    return Tables(sources, facts, derived, nodes, start)


def name_span(decl) -> Span | None:
    """The span of a declaration's name, just after its keyword."""
    return _word_span(decl.span, decl.name)


def _unique(decls: Iterable, kind: str, report, taken: dict | None = None) -> dict:
    """Index declarations by name; report duplicates and reserved words."""
    table: dict = {}
    for decl in decls:
        if decl.name in KEYWORDS:
            report(error(f"`{decl.name}` is a keyword and cannot name a {kind}", name_span(decl), kind="name"))
        first = table.get(decl.name) or (taken or {}).get(decl.name)
        if first is not None:
            report(Diagnostic("error", f"`{decl.name}` is declared twice", name_span(decl), kind="duplicate",
                              related=(Related("first declared here", name_span(first)),)))
            continue
        table[decl.name] = decl
    return table


def _check_header(header: ast.Header, report) -> None:
    """The release date must be a real calendar date; the version a plain dotted version."""
    if header.released is not None:
        try:
            date.fromisoformat(header.released)
        except ValueError:
            report(error(f"`{header.released}` is not a calendar date (YYYY-MM-DD)", header.span, kind="header"))
    if header.version is not None and not re.fullmatch(r"[0-9A-Za-z.+_-]+", header.version):
        report(error(f"version `{header.version}` should be like 1.2.0", header.span, kind="header"))


def _check_type(decl, report) -> None:
    """Ranges run low to high with integer bounds for integers; enumeration values are distinct."""
    type_ = decl.type
    if isinstance(type_, (ast.IntegerType, ast.NumberType)) and type_.low is not None:
        if type_.low > type_.high:
            report(error(f"the range of `{decl.name}` runs backwards: {number(type_.low)}..{number(type_.high)}", decl.span,
                         kind="type"))
        if isinstance(type_, ast.IntegerType) and not all(isinstance(b, int) for b in (type_.low, type_.high)):
            report(error("an integer range needs whole-number bounds", decl.span, kind="type"))
    if isinstance(type_, ast.EnumType):
        for value in sorted({v for v in type_.values if type_.values.count(v) > 1}):
            report(error(f"`{value}` appears twice in the values of `{decl.name}`", decl.span, kind="duplicate"))
        for value in [v for v in type_.values if v in AMBIGUOUS_VALUES]:
            report(error(f"`{value}` cannot be an enumeration value: `x is {value}` would read two ways",
                         decl.span, kind="name"))


def _check_derived(value: ast.Derived, checker: TypeChecker) -> None:
    """Each case's guard is a condition and its outcome has the declared type."""
    wanted = as_expr_type(value.type)
    for case in value.cases:
        if case.guard is not None:
            checker.guard(case.guard)
        _check_outcome(case.outcome, value, wanted, checker)


def _check_outcome(outcome: ast.Expr, value: ast.Derived, wanted, checker: TypeChecker) -> None:
    """An outcome has the declared type; an enumeration's values may stand bare, also inside `if`."""
    if isinstance(outcome, ast.Symbol):
        checker.enum_member(value.type, outcome, ast.Ref(value.name))
    elif isinstance(outcome, ast.IfThenElse) and isinstance(value.type, ast.EnumType):
        checker.guard(outcome.condition)
        _check_outcome(outcome.then, value, wanted, checker)
        _check_outcome(outcome.otherwise, value, wanted, checker)
    else:
        checker.expect(outcome, wanted, f"the value of `{value.name}`")


def _check_derived_cycles(derived: dict[str, ast.Derived], report) -> None:
    """A derived value may use others, but never itself through a chain; nor may the chain nest too deep."""
    def uses(name: str) -> list[str]:
        return [r.name for e in ast.case_expressions(derived[name]) for r in ast.refs(e) if r.name in derived]

    cycle = find_cycle(derived, uses)
    if cycle:
        report(error("derived values depend on each other in a cycle: " + " -> ".join(cycle),
                     name_span(derived[cycle[0]]), kind="cycle"))
        return
    depth: dict[str, int] = {}
    for name in _dependencies_first(derived, uses):
        depth[name] = max(_expanded_depth(e, depth) for e in ast.case_expressions(derived[name]))
        if depth[name] > MAX_DEPTH:
            report(error(f"`{name}` nests more than {MAX_DEPTH} levels deep, counting the derived values it "
                         "is computed from; shorten the chain", name_span(derived[name]), kind="depth"))
            return


def _dependencies_first(names: Iterable[str], next_of) -> list[str]:
    """Every name after the names it uses (an acyclic graph), iteratively."""
    order: dict[str, None] = {}
    for root in names:
        stack = [root]
        while stack:
            name = stack[-1]
            pending = [n for n in next_of(name) if n not in order]
            if name in order or not pending:
                order.setdefault(stack.pop(), None)
            else:
                stack.extend(pending)
    return list(order)


def _expanded_depth(expr: ast.Expr, depth: dict[str, int]) -> int:
    """How deep an expression nests when each derived value it reads counts one more than its own depth.

    The extra level is measured: evaluating through a derived value takes about twice the stack of one
    level of an expression, so at the limit a run stays well inside Python's recursion limit.
    """
    deepest, stack = 0, [(expr, 1)]
    while stack:
        node, level = stack.pop()
        used = depth.get(node.name) if isinstance(node, ast.Ref) else None
        deepest = max(deepest, level if used is None else level + 1 + used)
        stack.extend((child, level + 1) for child in ast.children(node))
    return deepest


def _check_node_cycles(nodes: dict[str, ast.Node], report) -> None:
    """The pathway graph is acyclic: a case is a snapshot, so no step may come round again."""
    cycle = find_cycle(nodes, lambda name: [t for t in successors(nodes[name]) if t in nodes])
    if cycle:
        report(error("the pathway loops: " + " -> ".join(cycle) + "; express progress over time with facts",
                     name_span(nodes[cycle[0]]), kind="cycle"))


def find_cycle(names: Iterable[str], next_of) -> list[str] | None:
    """A cycle through `next_of`, as names with the first repeated at the end, or None."""
    colour: dict[str, int] = {}
    for root in names:
        if root in colour:
            continue
        colour[root] = 1
        stack, path = [iter(next_of(root))], [root]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                colour[path.pop()] = 2
                stack.pop()
            elif colour.get(child) == 1:
                return path[path.index(child):] + [child]
            elif child not in colour:
                colour[child] = 1
                stack.append(iter(next_of(child)))
                path.append(child)
    return None


def _check_start(doc: ast.Document, nodes: dict, report) -> str:
    """Exactly one `start`, naming a node."""
    if not doc.starts:
        report(error("the pathway has no `start NODE`", doc.header.span, kind="start"))
        return ""
    for extra in doc.starts[1:]:
        report(error("only one `start` is allowed", extra.span, kind="duplicate"))
    start = doc.starts[0]
    _check_target(start.name, start.span, nodes, report)
    return start.name


def _check_target(name: str, span: Span | None, nodes: dict, report) -> None:
    """A jump or branch target must be a declared node."""
    if name not in nodes:
        report(error(f"no step or decision is named `{name}`", span, kind="name",
                     hint=did_you_mean(name, nodes)))


def _check_node(node: ast.Node, nodes: dict, sources: dict, checker: TypeChecker, report) -> None:
    """Targets exist, guards type-check, citations name declared sources."""
    if isinstance(node, ast.Decision):
        for branch in node.branches:
            if branch.guard is not None:
                checker.guard(branch.guard)
            _check_target(branch.target, branch.target_span, nodes, report)
        return
    if node.next is not None:
        _check_target(node.next, node.next_span, nodes, report)
    for rec in node.recommendations:
        if rec.guard is not None:
            checker.guard(rec.guard)
        _check_citations(rec.citations, rec.span, sources, report)
        for caution in rec.cautions:
            _check_citations(caution.citations, caution.span, sources, report)
            if caution.guard is not None:
                checker.guard(caution.guard)


def _check_citations(citations: tuple[ast.Citation, ...], span: Span | None, sources: dict, report) -> None:
    """Each cited name must be a declared source."""
    for citation in citations:
        name = citation.source
        if name not in sources:
            report(error(f"`{name}` is not a declared source", citation.span or _word_span(span, name),
                         kind="name", hint=did_you_mean(name, sources)))


def _word_span(span: Span | None, word: str) -> Span | None:
    """The span of `word` inside a larger span when it can be found on its lines."""
    if span is None:
        return None
    for line in range(span.line, span.end_line + 1):
        text = span.source.line(line)
        match = re.search(rf"\b{re.escape(word)}\b", text[span.column - 1:] if line == span.line else text)
        if match:
            offset = (span.column - 1 if line == span.line else 0) + match.start()
            return Span(span.source, line, offset + 1, line, offset + 1 + len(word))
    return span


def _check_invariants(doc: ast.Document, nodes: dict, checker: TypeChecker, report) -> None:
    """Invariants name codes that some step can emit, and their conditions type-check."""
    codes = {r.code for r in ast.recommendations(nodes.values())}
    for inv in doc.invariants:
        for code in inv.codes:
            if code not in codes:
                report(error(f"no step recommends `{code}`", _word_span(inv.span, code), kind="name",
                             hint=did_you_mean(code, codes)))
        if inv.condition is not None:
            checker.guard(inv.condition)


def successors(node: ast.Node) -> list[str]:
    """The names a node leads to, in branch order."""
    if isinstance(node, ast.Decision):
        return [b.target for b in node.branches]
    return [node.next] if node.next else []


def topological_order(nodes: dict[str, ast.Node]) -> list[str]:
    """Node names with every node after all nodes that lead to it (the graph is acyclic)."""
    sorter = graphlib.TopologicalSorter({name: () for name in nodes})
    for name, node in nodes.items():
        for target in successors(node):
            sorter.add(target, name)
    return list(sorter.static_order())
