"""The review page in a real browser: headless Chromium driven by Selenium.

Clicks a node and reads the panel, checks that no hostile label runs, that nothing is fetched and
that the charts fit the page. Screenshots are kept in tmp/artifacts/ (or $CAREPATH_ARTIFACTS).
setup.sh installs Debian's chromium and chromium-driver; the tests skip, saying why, only where
they are missing.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from review_support import ROOT

ARTIFACTS = Path(os.environ.get("CAREPATH_ARTIFACTS", ROOT / "tmp" / "artifacts"))
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1400,1000")


def _programs() -> tuple[str, str]:
    """The Chromium and chromedriver programs, or a skip saying how to get them."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        pytest.skip("no Chromium browser or chromedriver on PATH: run ./setup.sh (it installs Debian's "
                    "chromium and chromium-driver with apt-get)")
    return browser, driver


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium with a fresh profile, quit after the module's tests."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="Selenium is not installed: run ./setup.sh "
                                                                   "(it installs carepath's review extra)")
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = _programs()
    profile = tempfile.mkdtemp(prefix="carepath-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(browser, page: str, tmp_path: Path, name: str) -> None:
    """Write a page to a file and open it."""
    target = tmp_path / name
    target.write_text(page, encoding="utf-8")
    browser.get(target.as_uri())


def _screenshot(browser, name: str) -> Path:
    """Keep a screenshot as a test artifact and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    assert browser.save_screenshot(str(path)), path
    return path


def _errors(browser) -> list[str]:
    """The browser console's errors since the last call (a blocked script would show here)."""
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def _panel(browser):
    """The panel element and the one node section visible in it."""
    from selenium.webdriver.common.by import By

    aside = browser.find_element(By.ID, "panel")
    shown = [a for a in aside.find_elements(By.CSS_SELECTOR, "[data-panel]") if a.is_displayed()]
    return aside, shown


def test_clicking_a_node_opens_its_panel(browser, cited_page, tmp_path):
    from selenium.webdriver.common.by import By

    _open(browser, cited_page, tmp_path, "cited.html")
    aside, shown = _panel(browser)
    assert not aside.is_displayed() and not shown
    browser.find_element(By.CSS_SELECTOR, 'svg [data-node="routine_care"]').click()
    aside, (panel,) = _panel(browser)
    assert aside.is_displayed() and panel.get_attribute("data-panel") == "routine_care"
    text = panel.text
    assert "Group exercise programme" in text and "Oral NSAID at the lowest effective dose" in text
    assert "Only when severe" in text
    assert "NICE NG59: Low back pain and sciatica in over 16s, recommendation 1.2.1" in text
    assert "Check kidney function in older adults" in text and "taking into account potential differences" in text
    assert "pain_score is recorded and pain_score is at least 7" in text
    shot = _screenshot(browser, "review-panel-routine_care.png")
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000
    assert _errors(browser) == []


def test_a_branch_in_the_panel_leads_to_the_next_node(browser, cited_page, tmp_path):
    from selenium.webdriver.common.by import By

    _open(browser, cited_page, tmp_path, "cited.html")
    browser.find_element(By.CSS_SELECTOR, 'svg [data-node="triage"]').click()
    _, (panel,) = _panel(browser)
    assert "Could this be a fracture?" in panel.text and "When fracture_risk" in panel.text
    panel.find_element(By.CSS_SELECTOR, 'button[data-node="xray"]').click()
    _, (panel,) = _panel(browser)
    assert panel.get_attribute("data-panel") == "xray"
    assert "URGENT" in panel.text.upper() and "Do not routinely offer imaging" in panel.text
    selected = browser.find_elements(By.CSS_SELECTOR, "svg .selected")
    assert [s.get_attribute("data-node") for s in selected] == ["xray"]


def test_the_keyboard_opens_and_closes_a_panel(browser, cited_page, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, cited_page, tmp_path, "cited.html")
    node = browser.find_element(By.CSS_SELECTOR, 'svg [data-node="xray"]')
    browser.execute_script("arguments[0].focus()", node)
    node.send_keys(Keys.ENTER)
    aside, (panel,) = _panel(browser)
    assert aside.is_displayed() and panel.get_attribute("data-panel") == "xray"
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert not browser.find_element(By.ID, "panel").is_displayed()


def test_the_case_route_is_on_the_page(browser, cited_page, tmp_path):
    from selenium.webdriver.common.by import By

    _open(browser, cited_page, tmp_path, "cited.html")
    rows = browser.find_elements(By.CSS_SELECTOR, "#route tbody tr")
    assert [r.find_element(By.CSS_SELECTOR, "code.dsl").text for r in rows] == ["triage", "routine_care"]
    browser.execute_script("document.getElementById('case').scrollIntoView()")
    _screenshot(browser, "review-case-route.png")


def test_hostile_labels_do_not_run(browser, hostile_page, tmp_path):
    from selenium.webdriver.common.by import By

    _open(browser, hostile_page, tmp_path, "hostile.html")
    browser.find_element(By.CSS_SELECTOR, 'svg [data-node="act"]').click()
    _, (panel,) = _panel(browser)
    assert "<script>window.__pwned='text'</script>" in panel.text
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.execute_script("return document.querySelectorAll('img, iframe').length") == 0
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("<script>")
    _screenshot(browser, "review-hostile.png")


def test_nothing_is_fetched_and_charts_fit_the_page(browser, cited_page, tmp_path):
    from selenium.webdriver.common.by import By

    browser.set_window_size(700, 900)
    try:
        _open(browser, cited_page, tmp_path, "cited.html")
        fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert fetched == []
        for figure in browser.find_elements(By.CSS_SELECTOR, "figure.chart-figure"):
            chart = figure.find_element(By.CSS_SELECTOR, "svg.chart")
            assert chart.size["width"] <= figure.size["width"]
        figure = browser.find_element(By.CSS_SELECTOR, "figure.chart-figure")
        fitted = figure.find_element(By.CSS_SELECTOR, "svg.chart").size["width"]
        figure.find_element(By.CSS_SELECTOR, "[data-zoom]").click()
        natural = figure.find_element(By.CSS_SELECTOR, "svg.chart").size["width"]
        assert natural > fitted and "actual-size" in figure.get_attribute("class")
        assert _errors(browser) == []
    finally:
        browser.set_window_size(1400, 1000)
