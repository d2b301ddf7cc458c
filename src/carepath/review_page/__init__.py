"""Stage 5, review: one self-contained HTML page for a clinical reviewer, built from Jinja2 templates.

The page needs no network: its style, script and flowcharts (inline SVG, one per section) are in
the file, and its Content-Security-Policy allows only its own script, by hash. Every text from a
pathway, a case or a scenario is escaped by Jinja2's autoescaping.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..errors import Diagnostic, UsageError, error
from . import content

if TYPE_CHECKING:
    from ..comparison import Comparison
    import jinja2

    from ..engine import Result
    from ..model import Pathway
    from ..scenarios import Report

TEMPLATES = Path(__file__).parent / "templates"
WHOLE = "Whole pathway"


@dataclass(frozen=True)
class Chart:
    """One flowchart of the page: its heading, anchor and inline SVG markup."""

    heading: str
    anchor: str
    svg: str


def page(pathway: "Pathway", findings: Sequence[Diagnostic], report: "Report | None" = None,
         result: "Result | None" = None, version: str = "", since: "Comparison | None" = None) -> str:
    """The review page as HTML text: identity, flowcharts, node panels, checks, scenarios, codes, route."""
    environment = _environment()
    from markupsafe import Markup  # comes with Jinja2

    script = (TEMPLATES / "review.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    context = {
        "pathway": pathway, "header": pathway.document.header, "version": version,
        "charts": [Chart(c.heading, c.anchor, Markup(c.svg)) for c in charts(pathway, findings, result)],
        "panels": content.panels(pathway, findings, result),
        "findings": [content.finding(d) for d in findings],
        "invariants": content.invariants(pathway, findings),
        "report": report, "scenarios": content.scenario_rows(report),
        "codes": content.code_rows(pathway), "result": result, "route": content.route(pathway, result),
        "received": [_received(pathway, rec) for rec in result.recommendations] if result else [],
        "facts": [content.fact_definition(f) for f in pathway.facts.values()],
        "derived": content.derived_definitions(pathway, list(pathway.derived)),
        "sources": list(pathway.sources.values()),
        "since": since, "change_rows": content.change_rows(since) if since else [],
        "since_verdict": content.verdict(since) if since else "",
        "script": Markup(script), "script_hash": f"sha256-{digest}", "style": Markup(_style()),
    }
    return environment.get_template("review.html.j2").render(context)


def charts(pathway: "Pathway", findings: Sequence[Diagnostic], result: "Result | None") -> list[Chart]:
    """One chart per section (after a whole-pathway chart when some node is in no section)."""
    from ..diagram import draw, section_file_stems
    from .svg import inline

    stems = section_file_stems(pathway)
    wanted: list[str | None] = list(stems)
    if not stems or any(node.section is None for node in pathway.nodes.values()):
        wanted.insert(0, None)
    return [Chart(WHOLE if section is None else section, stems.get(section, "whole-pathway"),
                  inline(draw(pathway, "svg", result, findings, section), pathway.nodes)) for section in wanted]


def _received(pathway: "Pathway", emitted) -> content.Advice:
    """A recommendation the case receives, as the route section lists it (urgency when the run gives one)."""
    step = pathway.nodes[emitted.step]
    rec = next(r for r in step.recommendations if r.code == emitted.code)
    return content.Advice(emitted.code, emitted.text, content.urgency_of(emitted, step), None, None,
                          content.cites(pathway, rec.citations),
                          tuple(content.Caution(c.text, content.cites(pathway, c.citations)) for c in rec.cautions))


@lru_cache(maxsize=1)
def _style() -> str:
    """The page's style sheet."""
    return (TEMPLATES / "review.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _environment() -> "jinja2.Environment":
    """The Jinja2 environment: the package's templates, autoescaping everything, strict about names."""
    try:
        import jinja2
    except ImportError as exc:
        raise UsageError(error("the review page needs Jinja2, which is not installed",
                               hint="install carepath's review extra: pip install 'carepath[review]'")) from exc
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)
