"""Stage 4, scenarios: a finished run appended to a scenarios file as a new scenario, by text.

The file is edited as text, not re-dumped, so its comments, blank lines, key order and flow lists
stay as the author wrote them: the new item goes after the last scenario, indented like it. It is
checked before the file is replaced: the new text must read as a scenarios file whose new
scenario passes against the pathway, else nothing is written.
"""
from __future__ import annotations

import json
import os
import tempfile
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping

from ..engine import NEEDS_INPUT, Result
from ..errors import SourceFile, Span, UsageError, error
from ..model import Pathway
from ..syntax import read_source
from ..syntax.printer import number
from .load import ScenarioError, _compose

ITEM_INDENT = 2


def save_scenario(pathway: Pathway, result: Result, facts: Mapping[str, Any], target: str | Path,
                  name: str) -> None:
    """Append the run as scenario `name` to the scenarios file `target` (created if missing)."""
    target = Path(target)
    if target.exists():
        source = read_source(target, "scenario file")
        text = _appended(source, name, _defaults(source), result, facts)
    else:
        relative = os.path.relpath(Path(pathway.source.name).resolve(), target.resolve().parent)
        text = f"pathway: {_scalar(Path(relative).as_posix())}\nscenarios:\n" + \
            _item(name, {}, result, facts, ITEM_INDENT)
    _write_checked(pathway, target, text, name)


def _defaults(source: SourceFile) -> dict[str, Any]:
    """The file's `defaults` as plain YAML values (empty when it has none)."""
    import yaml

    data = yaml.safe_load(source.text)
    defaults = data.get("defaults") if isinstance(data, dict) else None
    return defaults if isinstance(defaults, dict) else {}


def _appended(source: SourceFile, name: str, defaults: dict, result: Result, facts: Mapping[str, Any]) -> str:
    """The file's text with the new scenario after its last one."""
    import yaml

    _, root = _compose(source)
    entries = {k.value: v for k, v in root.value} if isinstance(root, yaml.MappingNode) else {}
    scenarios = entries.get("scenarios")
    if scenarios is None:
        raise UsageError(error(f"{source.name}: has no `scenarios:` list to add to", kind="scenario"))
    _refuse_duplicate(source, scenarios, name)
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    if isinstance(scenarios, yaml.SequenceNode) and scenarios.value and not scenarios.flow_style:
        return _after_last_item(text, scenarios, name, defaults, result, facts)
    if _is_empty(scenarios):
        line_end = text.index("\n", scenarios.start_mark.index)
        head = text[:scenarios.start_mark.index].rstrip(" ")
        return head + "\n" + _item(name, defaults, result, facts, ITEM_INDENT) + text[line_end + 1:]
    raise UsageError(error("`scenarios:` is not a block list (`- name: ...` items), so a scenario cannot be "
                           "added without rewriting it", _span(source, scenarios), kind="scenario"))


def _is_empty(node) -> bool:
    """`scenarios:` with nothing after it, or `scenarios: []`."""
    import yaml

    return (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")) or \
        (isinstance(node, yaml.SequenceNode) and not node.value)


def _refuse_duplicate(source: SourceFile, scenarios, name: str) -> None:
    """A scenario name is unique in its file."""
    import yaml

    for item in scenarios.value if isinstance(scenarios, yaml.SequenceNode) else ():
        for key, value in item.value if isinstance(item, yaml.MappingNode) else ():
            if key.value == "name" and isinstance(value, yaml.ScalarNode) and value.value == name:
                raise UsageError(error(f"a scenario named `{name}` is already in {source.name}; choose another "
                                       "with --name", _span(source, value), kind="scenario"))


def _after_last_item(text: str, scenarios, name: str, defaults: dict, result: Result,
                     facts: Mapping[str, Any]) -> str:
    """Insert after the line where the last item's content ends, indented like the last item."""
    last = scenarios.value[-1]
    end = max(node.end_mark.index for node in _leaves(last))
    cut = text.index("\n", end) + 1 if "\n" in text[end:] else len(text)
    line_start = text.rfind("\n", 0, last.start_mark.index) + 1
    dash = text.rfind("-", line_start, last.start_mark.index)
    indent = dash - line_start if dash >= 0 else ITEM_INDENT
    blank = "\n" if len(scenarios.value) > 1 and text[:line_start].endswith("\n\n") else ""
    return text[:cut] + blank + _item(name, defaults, result, facts, indent) + text[cut:]


def _leaves(node):
    """Every scalar under a node."""
    import yaml

    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            yield node
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)


def _item(name: str, defaults: dict, result: Result, facts: Mapping[str, Any], indent: int) -> str:
    """The new scenario as a block list item: name, case (what differs from the defaults), expect."""
    pad, inner = " " * indent, " " * (indent + 2)
    case = {k: v for k, v in facts.items() if k not in defaults or _scalar(defaults[k]) != _scalar(v)}
    case.update({k: None for k in defaults if k not in facts})
    lines = [f"{pad}- name: {_scalar(name)}", f"{inner}case: {_flow_mapping(case)}", f"{inner}expect:",
             f"{inner}  status: {result.status}"]
    lines.append(f"{inner}  present: {_flow_list(dict.fromkeys(result.codes))}")
    if result.status == NEEDS_INPUT:
        lines.append(f"{inner}  needs: {_flow_list(result.needs)}")
    return "\n".join(lines) + "\n"


def _flow_mapping(values: Mapping[str, Any]) -> str:
    """`{key: value, ...}` on one line."""
    return "{" + ", ".join(f"{_scalar(k)}: {_scalar(v)}" for k, v in values.items()) + "}"


def _flow_list(items) -> str:
    """`[a, b]` on one line."""
    return "[" + ", ".join(_scalar(i) for i in items) + "]"


def _scalar(value: Any) -> str:
    """A YAML scalar that reads back as exactly `value`: numbers exact, strings plain when safe."""
    import yaml

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, Fraction):
        return _fraction(value)
    text = str(value)
    plain = text.replace("_", "a").replace(".", "a").replace("-", "a").replace(" ", "a").isalnum() and \
        yaml.safe_load(text) == text
    return text if plain else json.dumps(text, ensure_ascii=False)


def _fraction(value: Fraction) -> str:
    """A fraction from a case's decimal literal, as that decimal."""
    with localcontext() as context:
        context.prec = 200
        return number(int(value)) if value.denominator == 1 else \
            format(Decimal(value.numerator) / Decimal(value.denominator), "f")


def _span(source: SourceFile, node) -> Span:
    """Where a YAML node starts."""
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    return Span(source, line, column, line, column + 1)


def _write_checked(pathway: Pathway, target: Path, text: str, name: str) -> None:
    """Write the new text beside the target, prove the new scenario passes, then put it in place."""
    from .report import test_scenarios

    folder = target.resolve().parent
    if not folder.is_dir():
        raise UsageError(error(f"{target}: the folder {folder} does not exist"))
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        try:
            report = test_scenarios(pathway, [temporary])
        except ScenarioError as exc:
            raise UsageError(error(f"{target}: the file would not read as scenarios after adding `{name}`: "
                                   f"{exc.diagnostics[0].message}")) from None
        outcome = next(o for o in report.outcomes if o.scenario.name == name)
        if outcome.failures:
            raise UsageError(error(f"the saved scenario `{name}` would not pass: {'; '.join(outcome.failures)}"))
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o777)
        os.replace(temporary, target)
    except OSError as exc:
        raise UsageError(error(f"{target}: cannot write: {exc.strerror or exc}")) from None
    finally:
        Path(temporary).unlink(missing_ok=True)
