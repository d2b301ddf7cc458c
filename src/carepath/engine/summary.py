"""Stage 3, execution: a run result as text a clinician can read (recommendations first, then the path)."""
from __future__ import annotations

from typing import Any

from ..expr.numbers import show_value
from . import NEEDS_INPUT, Cited, Result


def summary(result: Result) -> str:
    """The readable report printed by `carepath run` without --json."""
    version = f" {result.version}" if result.version else ""
    lines = [f"{result.pathway}{version}: {result.status.replace('_', ' ')}"]
    if result.status == NEEDS_INPUT:
        lines.append("  needs: " + ", ".join(result.needs))
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
    lines.extend(path_lines(result, "  "))
    return "\n".join(lines) + "\n"


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


def path_lines(result: Result, indent: str) -> list[str]:
    """Each node on the path with what it took, and under it the facts that decided it."""
    lines = []
    for visit in result.path:
        took = visit.took if visit.took is not None else "stopped: needs input"
        lines.append(f"{indent}{visit.node}: {took}")
        if visit.facts:
            lines.append(f"{indent}    " + ", ".join(f"{k} = {_value(v)}" for k, v in visit.facts.items()))
    return lines


def _value(value: Any) -> str:
    """A fact value as JSON would write it (missing as `missing`)."""
    return "missing" if value is None else show_value(value)
