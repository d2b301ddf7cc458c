"""`carepath review --since OLD`: the page's section of changes since an earlier version is diff's answer."""
from __future__ import annotations

import html
import re
from pathlib import Path

from click.testing import CliRunner

import carepath
from carepath.cli import main

ROOT = Path(__file__).resolve().parents[2]
OLD = ROOT / "tests" / "fixtures" / "review" / "cited.dsl"
MOVED = ROOT / "tests" / "fixtures" / "diff" / "cited-0.4.dsl"
REWORDED = ROOT / "tests" / "fixtures" / "diff" / "cited-reworded.dsl"


def _section(page: str) -> str | None:
    """The text of the page's changes section, or None when it has none."""
    found = re.search(r'<section id="changes">(.*?)</section>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))) if found else None


def test_the_changes_section_lists_each_difference_with_its_witness(tmp_path):
    target = tmp_path / "review.html"
    result = CliRunner().invoke(main, ["review", str(MOVED), "--since", str(OLD), "-o", str(target)])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    comparison = carepath.diff(OLD, MOVED)
    rows = re.search(r'<table id="differences">.*?</table>', page, re.S).group(0)
    assert rows.count("<tr><td>") == len(comparison.regions) == 3
    text = _section(page)
    assert "Changes since 0.3.0" in text and "Different behaviour: 3 differences." in text
    assert "fall and (osteoporosis or age is at least 65 years)" in text and '"pain_score": 6' in text
    assert 'href="#changes"' in page


def test_a_version_with_the_same_behaviour_says_so():
    page = carepath.review(REWORDED, since=OLD)
    text = _section(page)
    assert "Same behaviour" in text and "text of `exercise` reworded" in text
    assert '<table id="differences">' not in page


def test_without_since_there_is_no_changes_section():
    assert _section(carepath.review(OLD)) is None
