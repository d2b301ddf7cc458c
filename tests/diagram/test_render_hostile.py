"""Hostile pathway text cannot break the DOT, inject markup into the SVG, or break the Mermaid."""
from __future__ import annotations

import html
import re
import subprocess

import pytest

import carepath

EVIL_TITLE = '\\"]; evil [label=\\"x <script>alert(1)</script> } | \\\\N \\\\ & &amp; \u00e9 \U0001F600'
HOSTILE = f'''
pathway end "{EVIL_TITLE}" version "1.0.0" released 2026-01-01
source s "<b>source</b>"
fact a: boolean
start end
section "}} | <i>\\"section\\""
decide end "Is \\"]; evil [label=\\"x {{record|field}} <script>?"
  when a -> subgraph
  otherwise -> node
step subgraph "<script>alert('x')</script>" urgent
  recommend graph "\\\\G \\\\l text }}{{| --> end" cite s
    when not a
    caution "<img src=x onerror=alert(1)> & \\\\" cite s
  stop
step node "emoji \U0001F600 and \u00fcn\u00efcode"
  recommend strict "plain" cite s
  stop
'''
SHOWN = ['"]; evil [label="x <script>alert(1)</script> } | \\N \\ & &amp; \u00e9 \U0001F600',
         "<script>alert('x')</script>", "\\G \\l text }{| --> end", "<img src=x onerror=alert(1)> & \\",
         "emoji \U0001F600 and \u00fcn\u00efcode", '} | <i>"section"']


@pytest.fixture(scope="module")
def hostile() -> carepath.Pathway:
    return carepath.loads(HOSTILE, "hostile.dsl")


def test_hostile_text_is_what_the_pathway_says(hostile):
    assert hostile.document.header.title == SHOWN[0]


@pytest.fixture(scope="module", params=[{}, {"case": {"a": False}}], ids=["plain", "case"])
def svg(request, hostile) -> str:
    return carepath.render(hostile, "svg", **request.param)


def test_svg_has_no_injected_markup(svg):
    assert "<script" not in svg and "<img" not in svg and "<i>" not in svg and "evil [" not in svg.split("<svg")[0]
    elements = set(re.findall(r"<([a-zA-Z]+)", svg))
    assert elements <= {"svg", "g", "title", "text", "polygon", "path", "ellipse", "polyline"}


def test_svg_shows_every_hostile_text_escaped(svg):
    texts = "".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    for shown in SHOWN:
        for word in shown.split():
            assert word in texts


def test_hostile_dot_parses_with_graphviz_and_keeps_names(hostile):
    dot = carepath.render(hostile, "dot")
    done = subprocess.run(["dot", "-Tcanon"], input=dot.encode(), capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    for name in ("end", "subgraph", "node"):
        assert f'"{name}"' in dot


def test_hostile_mermaid_has_only_our_markup(hostile):
    mermaid = carepath.render(hostile, "mermaid", case={"a": False})
    tags = set(re.findall(r"<(/?[a-z]+)", mermaid))
    assert tags <= {"b", "/b", "i", "/i", "br", "small", "/small"}
    for line in mermaid.splitlines()[2:]:
        assert line.count('"') % 2 == 0
        assert not re.search(r"(^|\s)end\s*$", line) or line.strip() == "end"
    assert "n_end{" in mermaid and "n_subgraph(" in mermaid
