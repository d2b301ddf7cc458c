"""docs/pathway.md's generated tables match pathway.dsl (refresh with `pytest --update-goldens`)."""
from __future__ import annotations

from pathlib import Path

import carepath
from carepath.syntax import ast
from carepath.syntax.printer import show

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "pathway.md"
BEGIN = "<!-- BEGIN GENERATED from pathway.dsl by tests/test_pathway_docs.py; refresh: pytest --update-goldens -->"
END = "<!-- END GENERATED -->"


def cell(text: str) -> str:
    """Text made safe for a Markdown table cell."""
    return text.replace("|", "\\|")


def code_table(pathway: carepath.Pathway) -> str:
    """Markdown: each recommendation code, the steps that emit it, when, its urgency, and their sources."""
    rows: dict[str, list[str]] = {}
    for step in pathway.nodes.values():
        if not isinstance(step, ast.Step):
            continue
        for rec in step.recommendations:
            condition = "always" if rec.guard is None else f"`{show(rec.guard)}`"
            cautions = f" ({len(rec.cautions)} caution{'s' * (len(rec.cautions) > 1)})" if rec.cautions else ""
            urgency = rec.urgency or step.urgency or "routine"
            rows.setdefault(rec.code, []).append(
                f"| `{rec.code}` | `{step.name}`: {cell(step.title)} | {cell(condition)} | {urgency} | "
                f"{', '.join(map(cited, rec.citations))}{cautions} |")
    lines = ["| code | emitted by step | when | urgency | sources |", "| --- | --- | --- | --- | --- |"]
    return "\n".join(lines + [row for code_rows in rows.values() for row in code_rows]) + "\n"


def cited(citation: ast.Citation) -> str:
    """A citation as the table shows it: the alias, and where in the source when it says."""
    return cell(citation.source + (f" ({citation.locator})" if citation.locator else ""))


def source_table(pathway: carepath.Pathway) -> str:
    """Markdown: each source alias with the file name or title it stands for."""
    lines = ["| source | file name or title | short title |", "| --- | --- | --- |"]
    lines += [f"| {s.name} | {cell(s.reference)} | {cell(s.title or '')} |" for s in pathway.sources.values()]
    return "\n".join(lines) + "\n"


def test_generated_tables_match_the_pathway(check_golden):
    """The tables between the markers are exactly what the loaded pathway gives."""
    text = DOC.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, f"{DOC} lacks the generated-table markers"
    before, rest = text.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    pathway = carepath.load(ROOT / "pathway.dsl")
    generated = f"\n{code_table(pathway)}\nSources:\n\n{source_table(pathway)}"
    check_golden(DOC, before + BEGIN + generated + END + after)


def test_code_table_lists_every_emitting_step():
    """A table row exists for every recommendation of every step, and for nothing else."""
    pathway = carepath.load(ROOT / "pathway.dsl")
    recommendations = [r for n in pathway.nodes.values() if isinstance(n, ast.Step) for r in n.recommendations]
    assert code_table(pathway).count("\n| `") == len(recommendations)
