"""Stage lsp: the pathway's names as a scenarios file writes them, so renames and references reach it.

Facts are the keys of `defaults` and of each `case`; enumeration values their values that are names;
codes the items of `present` and `absent` and the keys of `urgency`; nodes the items of `path`; facts again those of `needs`.
"""
from __future__ import annotations

import re

from .analysis import Place

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
STRING_TAG = "tag:yaml.org,2002:str"

EXPECTED = {"present": "code", "absent": "code", "path": "node", "needs": "value"}


def scenario_occurrences(text: str) -> list[tuple[tuple[str, str], Place]]:
    """((namespace, name), place) of every pathway name in a scenarios file; none when it is not YAML."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return []
    found: list[tuple[tuple[str, str], Place]] = []
    top = _mapping(root)
    _facts(top.get("defaults"), found)
    scenarios = top.get("scenarios")
    for item in scenarios.value if isinstance(scenarios, yaml.SequenceNode) else ():
        scenario = _mapping(item)
        _facts(scenario.get("case"), found)
        for key, node in _mapping(scenario.get("expect")).items():
            if key in EXPECTED and isinstance(node, yaml.SequenceNode):
                found += [((EXPECTED[key], n.value), _place(n)) for n in node.value if _is_name(n)]
            elif key == "urgency" and isinstance(node, yaml.MappingNode):
                found += [(("code", code.value), _place(code)) for code, _ in node.value if _is_name(code)]
    return found


def _mapping(node) -> dict:
    """A mapping node's entries by key text (an empty dict for anything else)."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _facts(node, found: list) -> None:
    """Fact names as keys of a case mapping, and enumeration values as its plain values."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        if _is_name(key):
            found.append((("value", key.value), _place(key)))
        if _is_name(value) and value.tag == STRING_TAG:
            found.append((("enum", value.value), _place(value)))


def _is_name(node) -> bool:
    """A scalar that is a name (never a number or a text)."""
    import yaml

    return isinstance(node, yaml.ScalarNode) and NAME.fullmatch(node.value) is not None


def _place(node) -> Place:
    """The scalar's text, inside its quotes when quoted."""
    inset = 1 if node.style in ("'", '"') else 0
    start, end = node.start_mark, node.end_mark
    return Place(start.line, start.column + inset, end.line, end.column - inset)
