"""Stage 4, scenarios: a pytest plugin collecting `*.scenarios.yaml` files, one test item per scenario.

Registered through the `pytest11` entry point `carepath`, so a guideline repository needs only
`pip install carepath pytest` and `pytest`: each scenario passes or fails with the same diff
`carepath test` prints. A scenario file that cannot be loaded is a collection error showing its
located diagnostics.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from ..errors import CarepathError
from .load import SUFFIX, Scenario, ScenarioFile, load_scenarios
from .outcome import Outcome, run_scenario


def pytest_collect_file(parent: pytest.Collector, file_path: Path):
    """Collect scenario files by their name: `<anything>.scenarios.yaml`."""
    if file_path.name.endswith(SUFFIX):
        return ScenarioFileCollector.from_parent(parent, path=file_path)
    return None


class ScenarioFileCollector(pytest.File):
    """A scenario file: loads it (and its pathway) and yields one item per scenario."""

    def collect(self):
        """One ScenarioItem per scenario, in file order."""
        try:
            loaded = load_scenarios(self.path)
        except CarepathError as exc:
            raise self.CollectError(exc.format()) from None
        for scenario in loaded.scenarios:
            yield ScenarioItem.from_parent(self, name=scenario.name, loaded=loaded, scenario=scenario)


class ScenarioFailed(Exception):
    """Raised by a failing scenario item; carries the outcome whose diff pytest shows."""

    def __init__(self, outcome: Outcome):
        super().__init__("; ".join(outcome.failures))
        self.outcome = outcome


class ScenarioItem(pytest.Item):
    """One scenario run through the executor and compared with its expectations."""

    def __init__(self, *, loaded: ScenarioFile, scenario: Scenario, **kwargs):
        super().__init__(**kwargs)
        self.loaded, self.scenario = loaded, scenario
        # No fixtures, said the way plugins look for them: pytest-lsp's runtest wrapper, for one,
        # fails every item that has no `funcargs`.
        self.funcargs: dict = {}

    def runtest(self) -> None:
        """Run the scenario; raise ScenarioFailed with the outcome when it misses an expectation."""
        outcome = run_scenario(self.loaded.pathway, self.scenario)
        if outcome.failures:
            raise ScenarioFailed(outcome)

    def repr_failure(self, excinfo, style=None):
        """The diff a clinician reads, instead of a Python traceback."""
        if isinstance(excinfo.value, ScenarioFailed):
            return excinfo.value.outcome.diff().rstrip("\n")
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        """Where the scenario stands in its file, for pytest's headers."""
        span = self.scenario.span
        return self.path, (span.line - 1 if span else None), f"scenario: {self.scenario.name}"
