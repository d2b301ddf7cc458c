"""Byte-identical DOT and Mermaid on every run and every PYTHONHASHSEED."""
from __future__ import annotations

import pytest

from render_support import cli

CASE = "examples/02_eight_weeks_after_fall.json"


@pytest.mark.parametrize("args", [["--format", "dot"], ["--format", "mermaid"], ["--format", "dot", "--case", CASE]],
                         ids=["dot", "mermaid", "dot-case"])
def test_output_is_identical_under_different_hash_seeds(args):
    runs = [cli("render", "pathway.dsl", *args, env={"PYTHONHASHSEED": seed}) for seed in ("1", "4242")]
    assert all(run.returncode == 0 for run in runs), [run.stderr for run in runs]
    assert runs[0].stdout and runs[0].stdout == runs[1].stdout
