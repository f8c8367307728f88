"""The handout in a real headless browser (Debian's Chromium driven by Playwright).

Checked as a consultant would use it: it opens with no console error and no network
request, clicking a unit opens its figures, the keyboard reaches and chooses units, Escape
clears, tables sort, printing gives pages, and a hostile org's names stay text. In CI
(`CI` set) a missing browser fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from handout_fixtures import HOSTILE_NAMES, write_hostile
from typer.testing import CliRunner

from icmap.cli import app

EXAMPLES = Path(__file__).parent.parent / "examples"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags for a sandboxed machine with no network: no first-run, sync or update traffic.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _need_browser() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or CHROMIUM is None:
        why = "playwright or chromium is not installed (.ci/run installs both)"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    return sync_playwright


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright = _need_browser()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


class Page:
    """A handout opened in a fresh page, with its console errors and requests kept."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)

    def panel(self) -> str:
        return str(self.page.inner_text("#panel"))


def _handout(org: Path, out: Path) -> Path:
    result = CliRunner().invoke(app, ["handout", str(org), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _handout(EXAMPLES / "clinic.yaml", tmp_path_factory.mktemp("h") / "clinic.html")


def test_loads_with_no_error_and_no_request(browser: Any, clinic: Path) -> None:
    page = Page(browser, clinic)
    assert page.errors == []
    assert page.requests == [page.url]  # the file itself, nothing else
    assert page.page.is_hidden("#panel")
    # Every unit of the chart can be chosen.
    assert page.page.locator("#chart g.node[data-unit]").count() == 15 + 2  # units + customers


def test_clicking_a_unit_opens_its_figures(browser: Any, clinic: Path, tmp_path: Path) -> None:
    page = Page(browser, clinic)
    page.page.click("#chart g.node[data-unit='medical-coder']")
    text = page.panel()
    # examples/clinic.yaml: Medical Coder, lead_time 2d; for the patient (deadline 10d) its
    # path is 11d 1h 23m long, so it is 1d 1h 23m late.
    assert "Medical Coder" in text
    assert "Lead time\n2d" in text
    assert "Patient: late by 1d 1h 23m" in text
    lit = page.page.locator("#chart g.node.lit").evaluate_all("els => els.map(e => e.dataset.unit)")
    # Its suppliers (the physician, medical records) and its internal customer (billing)
    # stay lit.
    assert sorted(lit) == ["billing-clerk", "medical-coder", "medical-records", "physician"]
    page.page.screenshot(path=str(tmp_path / "handout-panel.png"))
    page.page.keyboard.press("Escape")
    assert page.page.is_hidden("#panel")
    assert page.page.locator("#chart g.node.lit").count() == 0
    assert page.errors == []


def test_keyboard_reaches_and_chooses_a_unit(browser: Any, clinic: Path) -> None:
    page = Page(browser, clinic)
    page.page.focus("#chart")
    page.page.keyboard.press("Tab")  # the zoom buttons come first
    for _ in range(3):
        page.page.keyboard.press("Tab")
    focused = page.page.evaluate("document.activeElement.dataset.unit || ''")
    assert focused, "Tab does not reach the chart's units"
    page.page.keyboard.press("Enter")
    assert page.page.is_visible("#panel")
    assert page.page.evaluate(
        f"document.querySelector('#chart g.node[data-unit=\"{focused}\"]').classList.contains('selected')"
    )
    page.page.keyboard.press("Escape")
    assert page.page.is_hidden("#panel")
    # Focus goes back to the unit, so the keyboard user keeps their place.
    assert page.page.evaluate("document.activeElement.dataset.unit || ''") == focused


def test_zoom_changes_the_view(browser: Any, clinic: Path) -> None:
    page = Page(browser, clinic)
    before = page.page.get_attribute("#chart-svg", "viewBox")
    page.page.click("[data-zoom='in']")
    after = page.page.get_attribute("#chart-svg", "viewBox")
    assert before and after
    # Zooming in by 0.8 makes the visible width 80% of what it was.
    assert float(after.split()[2]) == pytest.approx(0.8 * float(before.split()[2]))
    page.page.click("[data-zoom='reset']")
    reset = page.page.get_attribute("#chart-svg", "viewBox")
    assert reset is not None
    assert [float(v) for v in reset.split()] == [float(v) for v in before.split()]


def test_tables_sort_by_their_figures(browser: Any, clinic: Path) -> None:
    page = Page(browser, clinic)
    table = page.page.locator("#section-late_units table").first
    header = table.locator("thead th").nth(1)  # "Late by"
    header.locator("button").click()
    values = table.locator("tbody td:nth-child(2)").evaluate_all(
        "cells => cells.map(c => Number(c.dataset.value))"
    )
    assert values == sorted(values)
    assert header.get_attribute("aria-sort") == "ascending"
    header.locator("button").click()
    values = table.locator("tbody td:nth-child(2)").evaluate_all(
        "cells => cells.map(c => Number(c.dataset.value))"
    )
    assert values == sorted(values, reverse=True)


def test_printing_gives_a4_pages(browser: Any, clinic: Path) -> None:
    page = Page(browser, clinic)
    pdf = page.page.pdf(prefer_css_page_size=True)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages >= 2  # the chart on a page of its own, then the report
    boxes = re.findall(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", pdf)
    assert boxes, "no page size in the PDF"
    for width, height in boxes:  # A4 is 210 x 297 mm: 595.3 x 841.9 points
        assert (round(float(width)), round(float(height))) == (595, 842)


def test_hostile_names_stay_text_and_run_nothing(browser: Any, tmp_path: Path) -> None:
    page = Page(browser, _handout(write_hostile(tmp_path), tmp_path / "hostile.html"))
    assert page.page.evaluate("window.__pwned") is None
    assert page.errors == []
    body = page.page.inner_text("body")
    for unit in ("desk", "lab", "coder", "billing"):
        assert HOSTILE_NAMES[unit] in body, unit
    for unit in ("desk", "lab", "coder", "billing"):
        page.page.click(f"#chart g.node[data-unit='{unit}']")
        assert HOSTILE_NAMES[unit] in page.panel()
    assert page.page.evaluate("window.__pwned") is None
    assert page.page.locator("img, iframe").count() == 0
