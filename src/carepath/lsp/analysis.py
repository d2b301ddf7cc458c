"""Stage lsp: what an editor asks of one pathway text: its diagnostics, its names and where they are, its outline.

Plain Python over the front end, with no protocol types, so each answer is tested without an editor.
Positions are 0-based lines and code-point columns; the server converts them to the client's units.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lark import Token, Tree

from ..errors import CarepathError, Diagnostic, SourceFile, error
from ..fmt.stream import parsed_tree, tokens
from ..model import load_source
from ..syntax import ast, parse

# (namespace of the name, whether it declares it) for a NAME token, by the rule it sits in.
DECLARING = {"source": "source", "fact": "value", "derive_expr": "value", "derive_cases": "value",
             "score": "value", "constant": "value", "set_type": "enum",
             "decision": "node", "step": "node", "recommendation": "code", "header": "pathway", "enum_type": "enum"}
REFERRING = {"start_at": "node", "branch": "node", "otherwise": "node", "jump": "node", "citation": "source",
             "never_when": "code", "always_when": "code", "never_with": "code", "ref": "value",
             "is_value": "enum", "is_not_value": "enum", "value_set": "enum", "number_of": "value",
             "has_value": "enum"}
# The rules a declaration's hover quotes whole, innermost first.
QUOTED = ("recommendation", "source", "fact", "derive_expr", "derive_cases", "score", "constant", "decision", "step",
          "header")
OUTLINED = {"header": "pathway", "section": "section", "decision": "decision", "step": "step", "fact": "fact",
            "derive_expr": "derived", "derive_cases": "derived", "score": "derived", "constant": "derived",
            "source": "source"}


@dataclass(frozen=True)
class Place:
    """A region of the text: 0-based lines, code-point columns, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    def contains(self, line: int, column: int) -> bool:
        """Whether the position is inside, or just after the end (where a cursor after a word is)."""
        return (self.line, self.column) <= (line, column) <= (self.end_line, self.end_column)


@dataclass(frozen=True)
class Occurrence:
    """One written name: its namespace and name, where, whether it declares it, and what it declares."""

    key: tuple[str, str]
    place: Place
    declares: bool
    quoted: Place | None = None  # the whole declaration, for hovers


@dataclass(frozen=True)
class Symbol:
    """An entry of the outline: sections hold the decisions and steps after them."""

    name: str
    kind: str
    place: Place
    selection: Place
    children: list["Symbol"] = field(default_factory=list)


@dataclass
class Analysis:
    """Everything the server answers from one version of a pathway text."""

    text: str
    diagnostics: list[Diagnostic]
    document: ast.Document | None = None
    occurrences: list[Occurrence] = field(default_factory=list)
    outline: list[Symbol] = field(default_factory=list)

    @property
    def parsed(self) -> bool:
        """Whether the text parses (so its names and outline are current)."""
        return self.document is not None

    def at(self, line: int, column: int) -> Occurrence | None:
        """The name under a position."""
        return next((o for o in self.occurrences if o.place.contains(line, column)), None)

    def all_of(self, key: tuple[str, str]) -> list[Occurrence]:
        """Every occurrence of one name, in source order."""
        return [o for o in self.occurrences if o.key == key]

    def names(self, namespace: str) -> list[str]:
        """The declared names of a namespace, in source order, without repeats."""
        return list(dict.fromkeys(o.key[1] for o in self.occurrences if o.declares and o.key[0] == namespace))

    def quote(self, place: Place) -> str:
        """The text of a region."""
        lines = self.text.split("\n")[place.line:place.end_line + 1]
        if not lines:
            return ""
        lines[-1] = lines[-1][:place.end_column]
        lines[0] = lines[0][place.column:]
        return "\n".join(line.rstrip("\r") for line in lines)


def analyse(text: str, name: str) -> Analysis:
    """Diagnostics as the CLI reports them, and when the text parses, its names and outline."""
    source = SourceFile(name, text.removeprefix("\ufeff"))
    document = None
    try:
        document = load_source(source).document
        diagnostics: list[Diagnostic] = []
    except CarepathError as exc:
        diagnostics = list(exc.diagnostics)
    except RecursionError:
        diagnostics = [error("the input is nested too deeply to process")]
    if any(d.kind in ("syntax", "encoding") for d in diagnostics):
        return Analysis(source.text, diagnostics)
    try:
        document = document or parse(source)
        tree = parsed_tree(source.text)
    except (CarepathError, RecursionError):
        return Analysis(source.text, diagnostics)
    return Analysis(source.text, diagnostics, document, _occurrences(tree, document), _outline(tree))


def _place(token: Token) -> Place:
    """Where a token is."""
    return Place(token.line - 1, token.column - 1, token.end_line - 1, token.end_column - 1)


def _tree_place(tree: Tree) -> Place:
    """Where a tree node is."""
    meta = tree.meta
    return Place(meta.line - 1, meta.column - 1, meta.end_line - 1, meta.end_column - 1)


def _occurrences(tree: Tree, document: ast.Document) -> list[Occurrence]:
    """Every NAME token, classified by the rule it sits in; declarations carry what a hover quotes."""
    values = {f.name for f in document.facts} | {d.name for d in document.derived}
    quoted = _quoted_places(tree)
    found: list[Occurrence] = []
    for token, _, parent in tokens(tree):
        if token.type != "NAME":
            continue
        rule = str(parent.data)
        if rule in DECLARING:
            found.append(Occurrence((DECLARING[rule], str(token)), _place(token), True, quoted.get(id(parent))))
        elif rule in REFERRING:
            namespace = REFERRING[rule]
            if namespace == "value" and str(token) not in values:
                namespace = "enum"
            found.append(Occurrence((namespace, str(token)), _place(token), False))
    return found


def _quoted_places(tree: Tree) -> dict[int, Place]:
    """For each declaring node (by id), the place of the declaration a hover quotes."""
    places: dict[int, Place] = {}
    stack: list[tuple[Tree, Place | None]] = [(tree, None)]
    while stack:
        node, around = stack.pop()
        if str(node.data) in QUOTED:
            around = _tree_place(node)
        if around is not None:
            places[id(node)] = around
        stack.extend((child, around) for child in node.children if isinstance(child, Tree))
    return places


def _outline(tree: Tree) -> list[Symbol]:
    """The items worth listing, sections holding what follows them."""
    top: list[Symbol] = []
    section: Symbol | None = None
    for item in (c for c in tree.children if isinstance(c, Tree) and str(c.data) in OUTLINED):
        kind = OUTLINED[str(item.data)]
        named = next((t for t in item.children if isinstance(t, Token) and t.type in ("NAME", "STRING")), None)
        if named is None:
            continue
        label = str(named).strip('"') if named.type == "STRING" else str(named)
        symbol = Symbol(label, kind, _tree_place(item), _place(named))
        if kind == "section":
            section = symbol
            top.append(symbol)
        elif section is not None and kind in ("decision", "step"):
            section.children.append(symbol)
        else:
            top.append(symbol)
    return [_widened(s) for s in top]


def _widened(symbol: Symbol) -> Symbol:
    """A section's range runs to the end of the last item it holds."""
    if symbol.kind != "section" or not symbol.children:
        return symbol
    last = symbol.children[-1].place
    place = Place(symbol.place.line, symbol.place.column, last.end_line, last.end_column)
    return Symbol(symbol.name, symbol.kind, place, symbol.selection, symbol.children)
