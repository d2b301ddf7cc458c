"""`carepath review`: the page's content, its self-containment, its escaping, and the command."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import carepath
from carepath.review_page.content import urgency_of
from carepath.review_page.svg import inline
from review_support import CITED, FIXTURES, HOSTILE, ROOT, SCENARIOS, Elements

CAREPATH = Path(sys.executable).with_name("carepath")


def _panel(page: str, name: str) -> str:
    """The text of one node's panel."""
    match = re.search(rf'<article class="node-panel" data-panel="{name}" hidden>(.*?)</article>', page, re.S)
    assert match, f"no panel for {name}"
    return Elements(match.group(1)).text


def test_the_header_names_the_pathway_its_version_release_and_authors(cited_page):
    assert "<h1>Back pain after a fall</h1>" in cited_page
    assert "<dt>Name</dt><dd><code>cited</code></dd>" in cited_page
    for field, value in (("version", "0.3.0"), ("released", "2026-11-01"), ("authors", "Ann Author, Bob Builder")):
        assert f'<dd id="{field}">{value}</dd>' in cited_page


def test_the_page_needs_no_network(cited_page):
    """No element loads anything: links are in-page anchors, no src, no stylesheet link, a strict CSP."""
    page = Elements(cited_page)
    for tag, attrs in page.elements:
        assert "src" not in attrs, tag
        href = attrs.get("href")
        assert href is None or href.startswith("#"), (tag, href)
    assert not page.tags("link") and "@import" not in cited_page and "url(" not in cited_page
    (policy,) = [m["content"] for m in page.tags("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in policy and re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", policy)


def test_one_inline_flowchart_per_section_with_every_node_clickable(cited_page):
    page = Elements(cited_page)
    assert len(page.tags("svg")) == 2
    assert [h for h in re.findall(r"<h3>([^<]*)</h3>", cited_page)][:2] == ["Red flags", "Routine care"]
    clickable = {a["data-node"] for a in page.tags("g") if a.get("data-node")}
    assert clickable == set(carepath.load(CITED).nodes)
    assert all(a.get("tabindex") == "0" and a.get("role") == "button" for a in page.tags("g") if a.get("data-node"))


def test_a_step_panel_shows_recommendations_sources_cautions_guards_and_definitions(cited_page):
    text = _panel(cited_page, "routine_care")
    assert "Routine care" in text and "Group exercise programme" in text
    assert "NICE NG59: Low back pain and sciatica in over 16s, recommendation 1.2.1" in text
    assert "Only when severe" in text
    assert "Check kidney function in older adults" in text
    assert "recommendation 1.2.18" in text and "taking into account potential differences" in text
    assert "Local back pain guide (guide.txt)" in text
    assert "severe boolean pain_score is recorded and pain_score is at least 7" in text
    assert "pain_score optional integer 0..10 pain on a 0-10 scale" in text


def test_a_decision_panel_shows_its_question_and_branches_in_words(cited_page):
    text = _panel(cited_page, "triage")
    assert "Could this be a fracture?" in text
    assert "When fracture_risk" in text and "Otherwise" in text and "Suspected fracture" in text
    assert "fracture_risk boolean fall and (osteoporosis or age is at least 70 years)" in text
    assert "age integer 16..120 (years) patient age" in text


def test_urgency_is_shown_for_urgent_steps_and_taken_from_a_recommendation_when_it_has_one(cited_page):
    assert '<span class="badge urgent">urgent</span>' in re.search(
        r'data-panel="xray".*?</article>', cited_page, re.S).group(0)
    step = carepath.load(CITED).nodes["xray"]
    assert urgency_of(SimpleNamespace(urgency="emergency"), step) == "emergency"
    assert urgency_of(SimpleNamespace(), step) == "urgent"
    assert urgency_of(SimpleNamespace(urgency=None)) is None


def test_checks_list_invariants_as_proven(cited_page):
    text = Elements(re.search(r'<section id="checks">.*?</section>', cited_page, re.S).group(0)).text
    assert "0 findings" in text
    assert "never radiograph when not fall" in text and "no run recommends radiograph when not fall" in text
    assert "proven for every valid case" in text


def test_a_violated_invariant_is_listed_with_its_witness_case(tmp_path):
    broken = tmp_path / "broken.dsl"
    broken.write_text(CITED.read_text(encoding="utf-8").replace("never radiograph when not fall",
                                                                "never exercise when age >= 16"), encoding="utf-8")
    page = carepath.review(broken)
    section = re.search(r'<section id="checks">.*?</section>', page, re.S).group(0)
    text = Elements(section).text
    assert "1 finding " in text and "violated" in text
    assert "invariant `never exercise when age >= 16` is violated" in text
    assert re.search(r'witness case</summary><pre>\{\s*&#34;age&#34;: \d+', section)


def test_scenario_results_and_coverage(cited_page):
    text = Elements(re.search(r'<section id="scenarios">.*?</section>', cited_page, re.S).group(0)).text
    assert "1 passed 1 failed" in text
    assert "nodes 100.0%, branches 75.0%" in text
    assert "an older patient after a fall gets a radiograph" in text and "passed" in text
    assert "a routine patient gets a radiograph (wrong on purpose)" in text
    assert "routine_care: analgesia emitted" in text


def test_the_code_table_gives_each_code_its_condition_and_sources(cited_page):
    rows = re.findall(r"<tr><td><code>(\w+)</code>.*?</tr>", re.search(r'id="code-table".*?</table>', cited_page,
                                                                      re.S).group(0), re.S)
    assert rows == ["radiograph", "exercise", "analgesia"]
    table = Elements(re.search(r'id="code-table".*?</table>', cited_page, re.S).group(0)).text
    assert "always, whenever the step is reached" in table
    assert "when severe" in table and "1 caution" in table
    assert "NICE NG59: Low back pain and sciatica in over 16s, recommendation 1.1.3" in table


def test_a_case_s_route_is_listed_and_highlighted(cited_page):
    text = Elements(re.search(r'<section id="case">.*?</section>', cited_page, re.S).group(0)).text
    assert "Status: complete" in text
    assert re.search(r"1 Could this be a fracture\? triage otherwise .*fracture_risk = false", text)
    assert "analgesia" in text and "Oral NSAID" in text
    assert text.count("on the route") == 0  # the badge reads "on the route" in the node list only
    assert Elements(cited_page).text.count("on the route") == 2
    assert 'stroke="#2b8a3e"' in cited_page  # the route is drawn in the path colour


def test_hostile_labels_stay_text(hostile_page):
    """Markup, script and template syntax in every kind of label are shown, never run or parsed."""
    page = Elements(hostile_page)
    assert len(page.tags("script")) == 1
    assert not page.tags("img") and not page.tags("iframe") and not page.tags("style")[1:]
    assert not [a for _, attrs in page.elements for a in attrs if a.startswith("on")]
    assert all(href.startswith("#") for href in (a.get("href") for a in page.tags("a")))
    assert "{{ 7 * 7 }}" in page.text and "{% raw %}{{ config }}{% endraw %}" in page.text
    assert "<script>window.__pwned = 'title'</script>" in page.text
    assert "</blockquote><script>window.__pwned='quote'</script>" in page.text


def test_the_svg_keeps_only_drawing_elements():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="50pt" onload="x()">'
           '<script>alert(1)</script><g class="node" onclick="y()"><title>n</title><text>hi</text></g>'
           '<a href="https://example.invalid/"><text>link</text></a><foreignObject><p>x</p></foreignObject></svg>')
    cleaned = inline(svg, {"n"})
    assert "script" not in cleaned and "onload" not in cleaned and "onclick" not in cleaned
    assert "example.invalid" not in cleaned and "foreignObject" not in cleaned
    assert 'data-node="n"' in cleaned and "--natural: 100pt" in cleaned and 'width="100pt"' not in cleaned


def test_the_page_is_deterministic(cited_page):
    assert carepath.review(CITED, [SCENARIOS], {"age": 72, "fall": False, "osteoporosis": True,
                                                "pain_score": 8}) == cited_page


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(CAREPATH), *args], capture_output=True, cwd=cwd, check=False)


def test_the_command_writes_the_page_and_finds_the_scenarios_beside_the_pathway(tmp_path):
    target = tmp_path / "review.html"
    done = _cli("review", str(CITED), "--case", str(FIXTURES / "routine_case.json"), "-o", str(target))
    assert done.returncode == 0, done.stderr
    page = target.read_text(encoding="utf-8")
    assert "1 passed" in Elements(page).text and 'id="case"' in page
    assert not done.stdout


def test_a_bad_case_is_an_input_error_and_writes_nothing(tmp_path):
    case = tmp_path / "case.json"
    case.write_text('{"age": 500}', encoding="utf-8")
    target = tmp_path / "review.html"
    done = _cli("review", str(CITED), "--case", str(case), "-o", str(target))
    assert done.returncode == 2 and b"age" in done.stderr and b"Traceback" not in done.stderr
    assert not target.exists()


def test_the_flagship_pathway_reviews_with_its_scenarios(tmp_path):
    target = tmp_path / "review.html"
    done = _cli("review", "pathway.dsl", "-o", str(target))
    assert done.returncode == 0, done.stderr
    page = Elements(target.read_text(encoding="utf-8"))
    assert len(page.tags("svg")) == len({n.section for n in carepath.load(ROOT / "pathway.dsl").nodes.values()})
    assert "0 failed" in page.text


def test_without_jinja2_the_page_is_a_clear_usage_error(monkeypatch):
    from carepath.errors import UsageError
    from carepath.review_page import _environment

    _environment.cache_clear()
    monkeypatch.setitem(sys.modules, "jinja2", None)
    try:
        with pytest.raises(UsageError) as info:
            carepath.review(CITED)
        assert "needs Jinja2" in info.value.format() and "carepath[review]" in info.value.format()
    finally:
        _environment.cache_clear()
