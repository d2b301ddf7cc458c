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


BLOCKS = frozenset({"h1", "h2", "h3", "p", "li", "dt", "dd", "tr", "div", "blockquote", "pre", "figcaption",
                    "article", "section", "ul", "ol", "table", "header", "nav", "footer", "details"})
HIDDEN = frozenset({"svg", "script", "style", "head"})


class Outline(HTMLParser):
    """A page as plain text the way a reader meets it: one line per block, table cells split by `|`,
    drawings, scripts and styles left out."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.hidden = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self.lines.append("")
        elif tag in ("td", "th") and self.lines[-1].strip():
            self.lines[-1] += " | "

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden -= 1
        elif tag in BLOCKS:
            self.lines.append("")

    def handle_data(self, data):
        if not self.hidden:
            self.lines[-1] += data

    @property
    def text(self) -> str:
        """The non-blank lines, whitespace collapsed."""
        return "\n".join(" ".join(line.split()) for line in self.lines if line.strip()) + "\n"
