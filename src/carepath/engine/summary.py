"""Stage 3, execution: a run result as text a clinician can read (recommendations first, then the path)."""
from __future__ import annotations

from typing import Any

from ..expr.numbers import show_value
from . import NEEDS_INPUT, Result


def summary(result: Result) -> str:
    """The readable report printed by `carepath run` without --json."""
    version = f" {result.version}" if result.version else ""
    lines = [f"{result.pathway}{version}: {result.status.replace('_', ' ')}"]
    if result.status == NEEDS_INPUT:
        lines.append("  needs: " + ", ".join(result.needs))
    lines.append("")
    lines.append("Recommendations" if result.recommendations else "Recommendations: none")
    for number, rec in enumerate(result.recommendations, start=1):
        lines.append(f"  {number}. {rec.code}: {rec.text}")
        lines.append(f"     sources: {'; '.join(rec.sources)}  (step {rec.step})")
        for text, sources in rec.cautions:
            cited = f" [{'; '.join(sources)}]" if sources else ""
            lines.append(f"     caution: {text}{cited}")
    lines.append("")
    lines.append("Path")
    lines.extend(path_lines(result, "  "))
    return "\n".join(lines) + "\n"


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
