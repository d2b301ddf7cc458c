"""Stage 4, scenarios: every scenario file run against a pathway, reported as text, JSON or JUnit XML."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..errors import CarepathError
from ..output import visible_escapes
from ..model import Pathway, load
from .coverage import Coverage, coverage
from .load import ScenarioError, ScenarioFile, load_scenarios
from .outcome import Outcome, run_scenario


@dataclass(frozen=True)
class Report:
    """The outcome of every scenario, in file order, and the coverage they reach together."""

    outcomes: tuple[Outcome, ...]
    coverage: Coverage

    @property
    def passed(self) -> int:
        """How many scenarios passed."""
        return sum(not o.failures for o in self.outcomes)

    @property
    def failed(self) -> int:
        """How many scenarios failed."""
        return len(self.outcomes) - self.passed

    def to_json(self) -> dict[str, Any]:
        """The object `carepath test --json` prints."""
        return {"passed": self.passed, "failed": self.failed,
                "scenarios": [o.to_json() for o in self.outcomes], "coverage": self.coverage.to_json()}

    def text(self, with_coverage: bool = False) -> str:
        """One line per passing scenario, the full diff for each failing one, totals last."""
        blocks = [o.diff() if o.failures else f"passed: {o.scenario.name}\n" for o in self.outcomes]
        blocks.append(f"{self.passed} passed, {self.failed} failed\n")
        if with_coverage:
            blocks.append(self.coverage.text())
        return "".join(blocks)

    def junit(self) -> str:
        """JUnit XML: one testcase per scenario, a failing one carrying its diff."""
        import xml.etree.ElementTree as ET

        suite = ET.Element("testsuite", name="carepath scenarios", tests=str(len(self.outcomes)),
                           failures=str(self.failed), errors="0", skipped="0")
        for outcome in self.outcomes:
            span = outcome.scenario.span
            case = ET.SubElement(suite, "testcase", name=outcome.scenario.name,
                                 classname=_classname(span.file if span else "scenarios"))
            if span:
                case.set("file", span.file)
                case.set("line", str(span.line))
            if outcome.failures:
                failure = ET.SubElement(case, "failure", message="; ".join(outcome.failures), type="scenario")
                failure.text = outcome.diff()
        root = ET.Element("testsuites", tests=str(len(self.outcomes)), failures=str(self.failed))
        root.append(suite)
        for element in root.iter():
            element.text = element.text and _xml_text(element.text)
            element.attrib = {key: _xml_text(value) for key, value in element.attrib.items()}
        ET.indent(root)
        return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# What XML 1.0 forbids: control characters other than tab and line ends, lone surrogates, U+FFFE/F.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """Text XML 1.0 can hold (a CI parser rejects the whole file otherwise): each forbidden
    character as a visible escape such as `\\x1b` or `\\ud800`."""
    return visible_escapes(_NOT_XML, text)


def _classname(file: str) -> str:
    """A JUnit class name from a scenario file name: pathway.scenarios.yaml -> pathway.scenarios."""
    name = Path(file).name
    return name[: -len(".yaml")] if name.endswith(".yaml") else name


def load_all(pathway: Pathway, files: Iterable[str | Path]) -> list[ScenarioFile]:
    """Load every scenario file; the problems of all files are raised together."""
    loaded, problems = [], []
    for file in files:
        try:
            loaded.append(load_scenarios(file, pathway))
        except CarepathError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise ScenarioError(problems)
    return loaded


def test_scenarios(pathway: Pathway | str | Path, files: Iterable[str | Path]) -> Report:
    """Run scenario files against a pathway: each scenario's outcome, and the coverage of all."""
    if not isinstance(pathway, Pathway):
        pathway = load(pathway)
    outcomes = tuple(run_scenario(pathway, s) for f in load_all(pathway, files) for s in f.scenarios)
    ran = [o for o in outcomes if o.result is not None]
    return Report(outcomes, coverage(pathway, [o.result for o in ran], [o.scenario.facts for o in ran]))


test_scenarios.__test__ = False  # not a pytest test, although its name starts with test_
