"""Stage 4, scenarios: expected behaviour pinned down per case, run and measured by coverage."""
from __future__ import annotations

from .coverage import BranchPoint, Coverage, branch_points, coverage
from .load import (Expect, Scenario, ScenarioError, ScenarioFile, default_scenarios, load_scenarios,
                   scenario_files)
from .outcome import Outcome, run_scenario
from .report import Report, test_scenarios

__all__ = ["BranchPoint", "Coverage", "Expect", "Outcome", "Report", "Scenario", "ScenarioError",
           "ScenarioFile", "branch_points", "coverage", "default_scenarios", "load_scenarios",
           "run_scenario", "scenario_files", "test_scenarios"]
