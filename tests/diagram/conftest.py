"""Fixtures for the rendering tests."""
from __future__ import annotations

import pytest

import carepath
from render_support import ROOT


@pytest.fixture(scope="session")
def flagship() -> carepath.Pathway:
    """The flagship pathway, loaded once."""
    return carepath.load(ROOT / "pathway.dsl")
