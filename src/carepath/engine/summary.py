"""Stage 3, execution: a run result as text a clinician can read (recommendations first, then the path)."""
from __future__ import annotations

from typing import Any, Mapping

from ..expr.numbers import show_value
from . import NEEDS_INPUT, Cited, Result


def summary(result: Result, units: Mapping[str, str] | None = None) -> str:
    """The readable report printed by `carepath run` without --json; `units` (the pathway's) follow
    each value and each fact needed that has one."""
    units = units or {}
    version = f" {result.version}" if result.version else ""
    lines = [f"{result.pathway}{version}: {result.status.replace('_', ' ')}"]
    if result.status == NEEDS_INPUT:
        lines.append("  needs: " + ", ".join(with_unit(name, units) for name in result.needs))
    lines.append("")
    lines.append("Recommendations" if result.recommendations else "Recommendations: none")
    for number, rec in enumerate(result.recommendations, start=1):
        lines.append(f"  {number}. {rec.code} [{rec.urgency}]: {rec.text}")
        lines.append(f"     sources: {_cited(rec.citations)}  (step {rec.step})")
        lines.extend(_quotes(rec.citations, "       "))
        for text, _, citations in rec.cautions:
            lines.append(f"     caution: {text}" + (f" [{_cited(citations)}]" if citations else ""))
            lines.extend(_quotes(citations, "       "))
    lines.append("")
    lines.append("Path")
    lines.extend(path_lines(result, "  ", units))
    return "\n".join(lines) + "\n"


def with_unit(name: str, units: Mapping[str, str]) -> str:
    """A fact's name followed by its unit in parentheses, when it has one: `age (years)`."""
    return f"{name} ({units[name]})" if name in units else name


def _cited(citations: tuple[Cited, ...]) -> str:
    """The cited references, each followed by its locator when it has one."""
    return "; ".join(map(_where, citations))


def _where(cited: Cited) -> str:
    """A cited source as a reader recognises it, `title (reference)` or its reference, then the place in it."""
    shown = cited.reference if cited.title == cited.reference else f"{cited.title} ({cited.reference})"
    return shown + (f", {cited.locator}" if cited.locator else "")


def _quotes(citations: tuple[Cited, ...], indent: str) -> list[str]:
    """One line per quoted citation: where the quote comes from, and the quote."""
    return [f'{indent}{_where(c)}: "{c.quote}"' for c in citations if c.quote]


def path_lines(result: Result, indent: str, units: Mapping[str, str] | None = None) -> list[str]:
    """Each node on the path with what it took, and under it the facts that decided it (with their units)."""
    units = units or {}
    lines = []
    for visit in result.path:
        took = visit.took if visit.took is not None else "stopped: needs input"
        lines.append(f"{indent}{visit.node}: {took}")
        if visit.facts:
            shown = (f"{k} = {_value(v, units.get(k))}" for k, v in visit.facts.items())
            lines.append(f"{indent}    " + ", ".join(shown))
    return lines


def _value(value: Any, unit: str | None = None) -> str:
    """A fact value as JSON would write it, then its unit (missing as `missing`)."""
    return "missing" if value is None else show_value(value) + (f" {unit}" if unit else "")
