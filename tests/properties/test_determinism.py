"""Outputs are byte-identical across processes with different hash seeds (set and dict order never leak)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from properties.pathway_strategies import ROOT

HASH_SEEDS = ("0", "1", "4242")
# One line per command whose output must not depend on the process; paths are relative to the repo.
COMMANDS = {
    "run --json (complete)": ["run", "pathway.dsl", "examples/01_one_session.json", "--json"],
    "run --json (needs input)": ["run", "pathway.dsl", "examples/04_fever_not_asked.json", "--json"],
    "run (text)": ["run", "pathway.dsl", "examples/02_eight_weeks_after_fall.json"],
    "graph --json": ["graph", "pathway.dsl", "--json"],
    "graph (text)": ["graph", "pathway.dsl"],
    "render --format dot": ["render", "pathway.dsl", "--format", "dot"],
    "check --format json": ["check", "pathway.dsl", "--format", "json"],
    "check --format json (findings)": ["check", "tests/fixtures/defects/overlap_ages.dsl", "--format", "json"],
    "check --format sarif (findings)": ["check", "tests/fixtures/defects/overlap_ages.dsl", "--format", "sarif"],
    "check --format json (scores, accepted)": ["check", "examples/rules/has_bled.dsl", "--format", "json"],
    "render --format dot (score tables)": ["render", "examples/rules/mcisaac.dsl", "--format", "dot"],
    "render --format mermaid (score tables)": ["render", "examples/rules/cha2ds2_vasc.dsl", "--format", "mermaid"],
    "test --json (pinned values, criteria)": ["test", "examples/rules/qsofa.dsl", "--coverage", "--json"],
    "run --needs-all --json (scores)": ["run", "examples/rules/has_bled.dsl", "examples/rules/cases/has_bled_pending.json", "--needs-all", "--json"],
}


def _carepath(arguments: list[str], hash_seed: str) -> subprocess.CompletedProcess:
    """Run the CLI in a fresh interpreter with the given PYTHONHASHSEED."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.run([sys.executable, "-m", "carepath.cli", *arguments], cwd=ROOT, env=env,
                          capture_output=True, timeout=120)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_output_is_identical_under_every_hash_seed(name):
    """The same command gives the same bytes whatever the interpreter's hash seed."""
    runs = [_carepath(COMMANDS[name], seed) for seed in HASH_SEEDS]
    assert {r.returncode for r in runs} <= {0, 1}, [r.stderr.decode() for r in runs]
    assert len({r.returncode for r in runs}) == 1
    assert runs[0].stdout, "the command printed nothing"
    assert all(r.stdout == runs[0].stdout for r in runs[1:])
