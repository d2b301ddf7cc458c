"""Stage 4, reporting findings: compiler-style text, JSON, and SARIF 2.1.0 for code scanning."""
from __future__ import annotations

from pathlib import PurePath
from typing import Any, Mapping
from urllib.parse import quote

from ..errors import ACCEPTED, ERROR, NOTE, WARNING, Diagnostic, Span, counted
from ..expr.numbers import show_value

SEVERITIES = (ERROR, WARNING, NOTE)
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
RULES = {
    "unreachable": "A step or decision that no case reaches",
    "overlap": "Two branches of an exclusive decision hold for the same case",
    "gap": "A case reaches a decision where no branch holds",
    "contradictory": "A branch guard that can never hold where its decision is reached",
    "shadowed": "A first-match branch that earlier branches always pre-empt",
    "needs_input": "A run may stop for an optional fact that nothing checks first",
    "waits_for_nothing": "A run may wait for a fact whose value cannot change the branch",
    "derived_gap": "A derived value with no case for some valid case",
    "derived_overlap": "Two cases of an exclusive derived value hold for the same case",
    "derived_contradictory": "A case of a derived value that can never hold where it is computed",
    "derived_shadowed": "A first-match case of a derived value that earlier cases always pre-empt",
    "derived_range": "A derived value computed outside its declared range",
    "division_by_zero": "A division that a valid case reaches with a divisor of 0",
    "restricted_fact": "Requires that rule out a whole value of a fact",
    "invariant": "An author-declared invariant that some case violates",
    "unused_fact": "A fact that no guard reads",
    "unused_derived": "A derived value that no guard reads",
    "unused_source": "A source that nothing cites",
    "uncited_caution": "A caution without a source",
    "duplicate_code": "A step that recommends the same code twice",
    "undecided": "A question the solver could not decide",
    "stale_accept": "An accepted finding that no check reports",
}


def counts(diagnostics: list[Diagnostic]) -> dict[str, int]:
    """How many findings of each severity (accepted ones only when there are some)."""
    tally = {severity: sum(d.severity == severity for d in diagnostics) for severity in SEVERITIES}
    accepted = sum(d.severity == ACCEPTED for d in diagnostics)
    return {**tally, ACCEPTED: accepted} if accepted else tally


def _units_of(case: Mapping[str, Any], units: Mapping[str, str]) -> str:
    """`  (age in years, weight in kg)` for the facts of a witness that have a unit; the case itself stays
    JSON, ready to save as a case file."""
    shown = [f"{name} in {units[name]}" for name in case if name in units]
    return f"  ({', '.join(shown)})" if shown else ""


def text(diagnostics: list[Diagnostic], units: Mapping[str, str] | None = None) -> str:
    """Findings grouped by severity (errors first), each with its witness case (then the units of its
    facts that have one, from `units`), then a count."""
    blocks = [d.format() + (f"\n  case: {show_value(d.witness)}{_units_of(d.witness, units or {})}"
                            if d.witness is not None else "")
              for severity in SEVERITIES + (ACCEPTED,) for d in diagnostics if d.severity == severity]
    tally = counts(diagnostics)
    summary = ", ".join(f"{n} {s}" if s == ACCEPTED else counted(n, s) for s, n in tally.items() if n) or "no findings"
    return "".join(block + "\n\n" for block in blocks) + summary + "\n"


def as_json(pathway, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    """The findings as one JSON object, in position order."""
    return {"pathway": {"name": pathway.name, "version": pathway.version, "file": pathway.source.name},
            "summary": counts(diagnostics), "diagnostics": [d.to_json() for d in diagnostics]}


def sarif(pathway, diagnostics: list[Diagnostic], version: str) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run, so code scanning shows findings on the DSL lines."""
    kinds = sorted({d.kind for d in diagnostics})
    rules = [{"id": kind, "shortDescription": {"text": RULES.get(kind, kind)}} for kind in kinds]
    uri = _uri(pathway.source.name)
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "carepath", "version": version, "rules": rules}},
        "artifacts": [{"location": {"uri": uri}, "sourceLanguage": "carepath"}],
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, kinds.index(d.kind), uri) for d in diagnostics]}]}


def _result(diagnostic: Diagnostic, rule_index: int, uri: str) -> dict[str, Any]:
    """One SARIF result: rule, level, message, location, related locations and witness case."""
    hint = f" ({diagnostic.hint})" if diagnostic.hint else ""
    accepted = diagnostic.severity == ACCEPTED
    result: dict[str, Any] = {"ruleId": diagnostic.kind, "ruleIndex": rule_index,
                              "level": "none" if accepted else diagnostic.severity,
                              "message": {"text": diagnostic.message + hint}}
    if accepted:
        result["suppressions"] = [{"kind": "inSource", "justification": diagnostic.hint.removeprefix("accepted: ")}]
    if diagnostic.span:
        result["locations"] = [_location(diagnostic.span, uri)]
    if diagnostic.related:
        result["relatedLocations"] = [{"id": i, **_location(r.span, uri), "message": {"text": r.message}}
                                      for i, r in enumerate(diagnostic.related)]
    if diagnostic.witness is not None:
        result["properties"] = {"witness": diagnostic.witness}
    return result


def _location(span: Span, uri: str) -> dict[str, Any]:
    """A SARIF location for a span of the pathway file."""
    return {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {
        "startLine": span.line, "startColumn": span.column, "endLine": span.end_line, "endColumn": span.end_column}}}


def _uri(name: str) -> str:
    """A file name as a URI reference: forward slashes, unsafe characters percent-encoded."""
    return quote(PurePath(name).as_posix())
