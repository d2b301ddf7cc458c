"""Stage lsp: the answers about names: hover text, definitions, references, renames, completions."""
from __future__ import annotations

import re
from functools import lru_cache

from lark import UnexpectedInput

from ..syntax import ast
from ..syntax.printer import show_type
from .analysis import Analysis, Occurrence, Place

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PARTIAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
RENAMABLE = frozenset({"value", "node", "code", "source", "enum"})
WHAT = {"value": "name", "node": "step or decision", "code": "recommendation code", "source": "source",
        "enum": "enumeration value"}


class RenameRefused(ValueError):
    """A rename that would break the pathway: a keyword, a name not a NAME, or one already taken."""


# --- hover ---------------------------------------------------------------------------------

def hover(analysis: Analysis, line: int, column: int) -> tuple[str, Place] | None:
    """Markdown about the name under the cursor, and the name's place."""
    found = analysis.at(line, column)
    if found is None or analysis.document is None:
        return None
    namespace, name = found.key
    blocks = [_summary(analysis.document, namespace, name)]
    blocks += [_code(analysis.quote(o.quoted)) for o in analysis.all_of(found.key) if o.declares and o.quoted]
    if namespace == "enum":
        owner = _enum_owner(analysis.document, name)
        blocks += [_code(analysis.quote(o.quoted)) for o in analysis.all_of(("value", owner))
                   if o.declares and o.quoted] if owner else []
    return "\n\n".join(b for b in blocks if b), found.place


def _code(text: str) -> str:
    """A fenced block of pathway text."""
    return f"```carepath\n{text}\n```"


def _summary(document: ast.Document, namespace: str, name: str) -> str:
    """One line saying what a name is: its kind, type, range, unit and meaning."""
    fact = next((f for f in document.facts if f.name == name), None) if namespace == "value" else None
    if fact is not None:
        parts = [show_type(fact.type)] + (["optional"] if fact.optional else [])
        parts += [f"unit: {fact.unit}"] if fact.unit else []
        meaning = f"\n\n{fact.description}" if fact.description else ""
        return f"**fact** `{name}`: {', '.join(parts)}{meaning}"
    if namespace == "value":
        value = next((d for d in document.derived if d.name == name), None)
        return f"**derived value** `{name}`: {show_type(value.type)}" if value else f"`{name}` (not declared)"
    if namespace == "node":
        node = next((n for n in document.nodes if n.name == name), None)
        return _node_summary(node) if node else f"`{name}`: no step or decision has this name"
    if namespace == "code":
        steps = [n.name for n in document.nodes if isinstance(n, ast.Step)
                 for r in n.recommendations if r.code == name]
        given = ", ".join(f"`{s}`" for s in dict.fromkeys(steps)) or "no step"
        return f"**recommendation** `{name}`, given by {given}"
    if namespace == "source":
        source = next((s for s in document.sources if s.name == name), None)
        if source is None:
            return f"`{name}`: not a declared source"
        return f"**source** `{name}`: {source.title or source.reference}" + \
            (f" ({source.reference})" if source.title else "")
    if namespace == "enum":
        owner = _enum_owner(document, name)
        return f"**value** `{name}` of `{owner}`" if owner else f"`{name}`: not a value of any fact"
    return f"**pathway** `{name}`: {document.header.title}" + \
        (f", version {document.header.version}" if document.header.version else "")


def _node_summary(node: ast.Node) -> str:
    """A step's title, urgency and recommendations, or a decision's question and branch count."""
    if isinstance(node, ast.Decision):
        order = "first match" if node.first_match else "exclusive branches"
        return f"**decision** `{node.name}`: {node.title} ({len(node.branches)} branches, {order})"
    urgency = f" ({node.urgency})" if node.urgency else ""
    then = f"then `{node.next}`" if node.next else "stops"
    codes = ", ".join(f"`{r.code}`" for r in node.recommendations) or "nothing"
    return f"**step** `{node.name}`: {node.title}{urgency}; recommends {codes}; {then}"


def _enum_owner(document: ast.Document, value: str) -> str | None:
    """The fact or derived value whose enumeration has this value."""
    for declared in (*document.facts, *document.derived):
        if isinstance(declared.type, ast.EnumType) and value in declared.type.values:
            return declared.name
    return None


# --- definitions, references, renames ------------------------------------------------------

def definitions(analysis: Analysis, line: int, column: int) -> list[Place]:
    """Where the name under the cursor is declared (every step that gives a code)."""
    found = analysis.at(line, column)
    if found is None:
        return []
    return [o.place for o in analysis.all_of(found.key) if o.declares]


def references(analysis: Analysis, line: int, column: int, with_declaration: bool = True) -> list[Place]:
    """Every place the name under the cursor is written."""
    found = analysis.at(line, column)
    if found is None:
        return []
    return [o.place for o in analysis.all_of(found.key) if with_declaration or not o.declares]


def rename_target(analysis: Analysis, line: int, column: int) -> Occurrence | None:
    """The renamable name under the cursor, if any."""
    found = analysis.at(line, column)
    return found if found is not None and found.key[0] in RENAMABLE and analysis.all_of(found.key) else None


def check_new_name(analysis: Analysis, key: tuple[str, str], new: str) -> None:
    """Refuse a new name that is not a NAME, is a keyword, or is already declared in the same namespace."""
    from ..model.resolve import KEYWORDS

    if not NAME.fullmatch(new):
        raise RenameRefused(f"`{new}` is not a name: use letters, digits and _, not starting with a digit")
    if new in KEYWORDS or new in keywords():
        raise RenameRefused(f"`{new}` is a keyword")
    namespaces = ("value", "enum") if key[0] in ("value", "enum") else (key[0],)
    if new != key[1] and any(new in analysis.names(n) for n in namespaces):
        raise RenameRefused(f"`{new}` is already a {WHAT[key[0]]} of this pathway")


# --- completion ----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _keyword_terminals() -> dict[str, str]:
    """Terminal name -> keyword text, for every word-like literal of the grammar."""
    from ..fmt.stream import full_parser

    return {t.name: t.pattern.value for t in full_parser().terminals
            if t.pattern.type == "str" and t.pattern.value.isidentifier()}


def keywords() -> frozenset[str]:
    """Every keyword of the grammar."""
    return frozenset(_keyword_terminals().values()) | {"first match", "emergency", "urgent", "optional"}


EXTRA_KEYWORDS = {"FIRST_MATCH": "first match", "URGENCY": ("emergency", "urgent"), "OPTIONAL": "optional"}


def completions_at(current: Analysis, offset: int, earlier: Analysis | None = None) -> list[tuple[str, str]]:
    """Completions at `offset` of the current text; when it does not parse, the names come from the text
    without the item being typed, else from an earlier version that parsed."""
    from .analysis import analyse

    names = current
    if not current.parsed:
        around = analyse(without_current_item(current.text, offset), "<completion>")
        names = around if around.parsed else earlier or current
    return completions(names, current.text, offset)


def completions(analysis: Analysis, text: str, offset: int) -> list[tuple[str, str]]:
    """(label, kind) of what may come at `offset`: keywords the grammar accepts there, and names of the
    kind the place wants; every keyword and name when the text before is broken."""
    before = text[:offset]
    partial = PARTIAL_NAME.search(before)
    stem = before[:partial.start()] if partial else before
    accepted, previous = _accepted(stem)
    if accepted is None:
        words = sorted(keywords())
        names = [n for ns in ("value", "node", "source", "code", "enum") for n in analysis.names(ns)]
        return [(w, "keyword") for w in words] + [(n, "name") for n in dict.fromkeys(names)]
    found = []
    for terminal in sorted(accepted):
        extra = EXTRA_KEYWORDS.get(terminal)
        words = [_keyword_terminals().get(terminal)] if extra is None else \
            ([extra] if isinstance(extra, str) else list(extra))
        found += [(w, "keyword") for w in words if w]
    if "NAME" in accepted:
        found += _names_for(analysis, previous)
    return found


def without_current_item(text: str, offset: int) -> str:
    """The text without the item the cursor is in (an item starts at a line that starts with a
    letter): it parses more often than a half-typed file, so the names of every other item can
    still be offered, those declared after the cursor included."""
    start = offset
    while start > 0:
        start = text.rfind("\n", 0, start - 1) + 1 if start > 1 else 0
        if text[start:start + 1].isalpha():
            break
    end = text.find("\n", offset)
    while end != -1 and not text[end + 1:end + 2].isalpha():
        end = text.find("\n", end + 1)
    return text[:start] + ("" if end == -1 else text[end + 1:])


def _accepted(stem: str) -> tuple[set[str] | None, list[str]]:
    """The terminals the parser accepts after `stem`, and the tokens read; None when `stem` is broken."""
    from ..fmt.stream import full_parser

    read: list[str] = []
    try:
        interactive = full_parser().parse_interactive(stem)
        for token in interactive.iter_parse():
            read.append(str(token))
        return set(interactive.accepts()), read
    except (UnexpectedInput, RecursionError):
        return None, read


def _names_for(analysis: Analysis, previous: list[str]) -> list[tuple[str, str]]:
    """The names that fit after these tokens: nodes after `->`, sources after `cite`, enumeration
    values after `is` or in `{...}`, codes after `never`/`always`/`with`/`recommend`, else values."""
    context = next((t for t in reversed(previous)
                    if t != "," and (t in _CONTEXT or t in keywords() or not NAME.fullmatch(t))), "")
    kind = _CONTEXT.get(context, "value")
    if kind is None:
        return []
    if kind == "enum":
        subject = _subject(previous)
        owner_values = _values_of(analysis.document, subject) if analysis.document and subject else None
        names = owner_values if owner_values is not None else analysis.names("enum")
    else:
        names = analysis.names(kind)
    return [(n, kind) for n in names]


# The token before a NAME slot (skipping `,` and names), and the namespace the slot wants;
# None where the slot declares a new name, which no completion can guess.
_CONTEXT = {"->": "node", "start": "node", "cite": "source", "is": "enum", "{": "enum", "never": "code",
            "always": "code", "with": "code", "recommend": "code", "fact": None, "derive": None, "decide": None,
            "step": None, "source": None, "pathway": None, ":": None, "|": None}


def _subject(previous: list[str]) -> str | None:
    """The name an `is` or `in {` tests: the name before the last `is`/`in`."""
    for index in range(len(previous) - 1, 0, -1):
        if previous[index] in ("is", "in"):
            candidate = previous[index - 1] if previous[index - 1] != "not" else previous[index - 2]
            return candidate if NAME.fullmatch(candidate) else None
    return None


def _values_of(document: ast.Document, name: str) -> list[str] | None:
    """The enumeration values of a fact or derived value, or None when it has none."""
    for declared in (*document.facts, *document.derived):
        if declared.name == name and isinstance(declared.type, ast.EnumType):
            return list(declared.type.values)
    return None
