"""Shared helpers of the review page tests: fixture paths, the page built once, and an HTML reader."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "review"
CITED = FIXTURES / "cited.dsl"
HOSTILE = FIXTURES / "hostile.dsl"
SCENARIOS = FIXTURES / "cited.scenarios.yaml"
ROUTINE_CASE = {"age": 72, "fall": False, "osteoporosis": True, "pain_score": 8}


class Elements(HTMLParser):
    """Every start tag of a page as (tag, attributes), and the page's text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.texts.append(data)

    @property
    def text(self) -> str:
        """The page's text, whitespace collapsed."""
        return " ".join("".join(self.texts).split())

    def tags(self, name: str) -> list[dict[str, str | None]]:
        """The attributes of every element with this tag."""
        return [attrs for tag, attrs in self.elements if tag == name]
