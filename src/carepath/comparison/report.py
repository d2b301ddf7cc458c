"""Stage 5, diff: a Comparison as text (a terminal), JSON (tools) or Markdown (a pull-request comment)."""
from __future__ import annotations

from typing import Any

from ..errors import counted
from ..syntax.printer import show_facts
from . import BEHAVIOUR, NEW_ONLY, OLD_ONLY, Comparison, Region

TITLES = {BEHAVIOUR: "different result", OLD_ONLY: "valid in the old version only",
          NEW_ONLY: "valid in the new version only"}
MARKDOWN_WITNESS_FACTS = 40  # a comment stays readable; the JSON output has every fact


def _label(pathway) -> str:
    """A version as a reader names it: file, name and version."""
    return f"{pathway.source.name} ({pathway.name} {pathway.version or 'unversioned'})"


def verdict(comparison: Comparison) -> str:
    """One sentence: proven the same, or how many differences."""
    if comparison.same:
        return "Same behaviour: every valid case gets the same status, codes and urgency from both versions."
    parts = []
    if comparison.regions:
        more = " (more not listed)" if comparison.truncated else ""
        parts.append(f"{counted(len(comparison.regions), 'difference')}{more}")
    if comparison.undecided:
        parts.append(f"{counted(len(comparison.undecided), 'question')} the solver could not decide")
    return "Different behaviour: " + "; ".join(parts) + "."


def outcome_text(outcome) -> str:
    """A status with its codes and their urgency."""
    codes = ", ".join(f"{c} [{u}]" for c, u in outcome.codes)
    return f"{outcome.status}" + (f": {codes}" if codes else "")


def changes_of(region: Region) -> list[str]:
    """Gained, lost and re-urgent codes, and a status change, one line each."""
    lines = []
    if region.old.status != region.new.status:
        lines.append(f"status {region.old.status} -> {region.new.status}")
    lines += [f"gained {code}" for code in region.gained] + [f"lost {code}" for code in region.lost]
    lines += [f"urgency of {code}: {a} -> {b}" for code, a, b in region.urgency_changed]
    return lines


def units(comparison: Comparison) -> dict[str, str]:
    """The unit of each fact either version gives one (the new version's where both do)."""
    return {**comparison.old.units, **comparison.new.units}


def text(comparison: Comparison) -> str:
    """The report for a terminal."""
    lines = [f"old: {_label(comparison.old)}", f"new: {_label(comparison.new)}", verdict(comparison)]
    for number, region in enumerate(comparison.regions, start=1):
        lines += ["", f"{number}. {TITLES[region.kind]}: {'; '.join(changes_of(region)) or 'see below'}"]
        lines += [f"   where ({c.versions}) {c.dsl}" + (f"  [{c.words}]" if c.words != c.dsl else "")
                  for c in region.conditions]
        lines += [f"   {d.name} ({d.versions}): {line}" for d in region.definitions for line in d.words]
        lines += [f"   old gives {outcome_text(region.old)}", f"   new gives {outcome_text(region.new)}",
                  f"   witness: {show_facts(region.witness, units(comparison)) or '(no facts)'}"]
    lines += _tail(comparison, "")
    return "\n".join(lines) + "\n"


def _tail(comparison: Comparison, bullet: str) -> list[str]:
    """Undecided questions and declaration changes."""
    lines = []
    if comparison.undecided:
        lines += ["", "Undecided (raise --timeout):"] + [f"{bullet}- {q}" for q in comparison.undecided]
    if comparison.changes:
        lines += ["", "Declarations changed:" if comparison.regions else
                  "Declarations changed (no behavioural difference):"]
        lines += [f"{bullet}- {c}" for c in comparison.changes]
    return lines


def markdown(comparison: Comparison) -> str:
    """The report as a pull-request comment: a verdict, a table of differences, details folded."""
    old, new = comparison.old, comparison.new
    lines = [f"### carepath diff: `{old.source.name}` ({old.version or 'unversioned'}) -> "
             f"`{new.source.name}` ({new.version or 'unversioned'})", "", f"**{verdict(comparison)}**"]
    if comparison.regions:
        lines += ["", "| # | kind | change | old gives | new gives |", "| --- | --- | --- | --- | --- |"]
        for number, region in enumerate(comparison.regions, start=1):
            cells = [str(number), TITLES[region.kind], "<br>".join(changes_of(region)) or "-",
                     outcome_text(region.old), outcome_text(region.new)]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        for number, region in enumerate(comparison.regions, start=1):
            lines += ["", f"<details><summary>{number}. where and a witness case</summary>", ""]
            lines += [f"- ({c.versions}) `{c.dsl}`" + (f": {_cell(c.words)}" if c.words != c.dsl else "")
                      for c in region.conditions] or ["- (no condition: see the witness)"]
            lines += [f"- `{d.name}` ({d.versions}): {_cell(' '.join(d.words))}" for d in region.definitions]
            lines += ["", "```json", json_text(_shortened(region.witness)), "```", "", "</details>"]
    lines += _tail(comparison, "")
    return "\n".join(lines) + "\n"


def _cell(text_: str) -> str:
    """Text safe inside a Markdown table cell (no pipe or markup)."""
    return (text_.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
            .replace("&lt;br&gt;", "<br>"))


def _shortened(case: dict[str, Any]) -> dict[str, Any]:
    """A witness case, its first facts only when it is long."""
    return dict(list(case.items())[:MARKDOWN_WITNESS_FACTS])


def json_text(data: Any) -> str:
    """Indented JSON with exact numbers."""
    from ..expr.numbers import dumps

    return dumps(data, indent=True).decode("utf-8")


def as_json(comparison: Comparison) -> dict[str, Any]:
    """Everything the report says, for tools."""
    return {"old": _version(comparison.old), "new": _version(comparison.new), "same": comparison.same,
            "truncated": comparison.truncated, "undecided": list(comparison.undecided),
            "changes": list(comparison.changes), "differences": [_region(r) for r in comparison.regions]}


def _version(pathway) -> dict[str, Any]:
    """A version's file, name and version."""
    return {"file": pathway.source.name, "name": pathway.name, "version": pathway.version}


def _region(region: Region) -> dict[str, Any]:
    """One difference."""
    return {"kind": region.kind, "gained": region.gained, "lost": region.lost,
            "urgency_changed": [{"code": c, "old": a, "new": b} for c, a, b in region.urgency_changed],
            "where": [{"dsl": c.dsl, "words": c.words, "versions": c.versions} for c in region.conditions],
            "definitions": [{"name": d.name, "words": list(d.words), "versions": d.versions} for d in region.definitions],
            "old": _outcome_json(region.old), "new": _outcome_json(region.new),
            "witness": region.witness, "witness_old": region.witness_old, "witness_new": region.witness_new}


def _outcome_json(outcome) -> dict[str, Any]:
    """A version's result for the region's witness."""
    return {"status": outcome.status, "codes": [{"code": c, "urgency": u} for c, u in outcome.codes],
            "route": list(outcome.route)}
