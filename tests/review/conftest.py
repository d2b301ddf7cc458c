"""Fixtures of the review page tests: pages built once per session."""
from __future__ import annotations

import pytest

import carepath
from review_support import CITED, HOSTILE, ROUTINE_CASE, SCENARIOS


@pytest.fixture(scope="session")
def cited_page() -> str:
    """The review page of cited.dsl with its scenarios and a routine case whose analgesia is emitted."""
    return carepath.review(CITED, [SCENARIOS], ROUTINE_CASE)


@pytest.fixture(scope="session")
def hostile_page() -> str:
    """The review page of a pathway whose every text carries markup or script."""
    return carepath.review(HOSTILE)
