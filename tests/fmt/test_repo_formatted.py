"""CI runs `carepath fmt --check` on the repository's pathways: run `carepath fmt` on them when this fails."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from carepath.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_the_repositorys_pathways_are_formatted():
    """pathway.dsl and every pathway under examples/ are in the canonical layout."""
    result = CliRunner().invoke(main, ["fmt", "--check", str(ROOT / "pathway.dsl"), str(ROOT / "examples")])
    assert result.exit_code == 0, result.output
