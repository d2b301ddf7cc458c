"""One check shared by the agreement properties of the newer constructs (scores, dates, sets): load a
generated pathway, and require the checker's verdicts to equal enumeration through the executor over
the given fact domains, with every witness reproducing."""
from __future__ import annotations

from contextlib import contextmanager

from hypothesis import assume

import carepath
from carepath.errors import PathwayError

import properties.test_arithmetic_agreement as arithmetic
from replay import reproduces


@contextmanager
def enumerated(domains: dict | None):
    """Enumerate these fact domains (the arithmetic property's by default) for the length of one example."""
    saved = arithmetic.DOMAINS
    arithmetic.DOMAINS = domains or saved
    try:
        yield
    finally:
        arithmetic.DOMAINS = saved


def assert_agrees(text: str, domains: dict | None = None) -> None:
    """No false alarms and no misses against brute force, and every witness reproduces."""
    try:
        pathway = carepath.loads(text, "generated.dsl")
    except PathwayError:
        assume(False)
    findings = carepath.check(pathway)
    assume(not any(f.kind == "undecided" for f in findings))
    with enumerated(domains):
        assert arithmetic.checker(pathway, findings) == arithmetic.Enumeration(pathway).all_verdicts(), text
    for finding in findings:
        if finding.witness is not None and finding.kind != "needs_input":
            assert reproduces(pathway, finding), (text, finding.format())
