"""The page in a real browser: Playwright driving Debian's Chromium against `streamlit run ui/app.py`.

Chromium comes from the distribution (`apt-get install chromium`; `.ci/run` does it), never from
`playwright install`. Each test saves a screenshot under tests/artifacts/ (ignored by git).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WHEN = "when were poverty counties fully covered"
EXAMPLE = "Who wrote about boosting agriculture through e-commerce?"
PASSAGE_2019 = "In 2019, 215 new comprehensive demonstration counties"
WAIT_MS = 60_000  # generous upper bound for Streamlit to answer; not a speed check
# A fresh server's first page tags and embeds every passage (spaCy, the embedding model): over a
# minute on a busy machine (seen at load 10). Only the waits for that first build use this bound.
BUILD_MS = 300_000
# Playwright's assertions wait 5 s unless told otherwise (a context's default timeout covers actions,
# not `expect`): under load the page took longer and the tests failed although it was right.
expect.set_options(timeout=WAIT_MS)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"no Chromium at {CHROMIUM}: install Debian's package `chromium` (.ci/run does it with apt-get)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def cold_server() -> Iterator[str]:
    """`streamlit run ui/app.py` on a free local port, stopped at the end of the session; no
    page has been opened yet (until a test asks for ``server``)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "QA_CORPUS"}
    env["QA_EMBED"] = "1"  # as a user runs it: passages embedded when the engine is built
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / "streamlit.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "streamlit", "run", "ui/app.py"),
            *("--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1"),
            *("--browser.gatherUsageStats", "false"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start (see {ARTIFACTS / 'streamlit.log'})")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def server(cold_server: str, browser: Browser) -> str:
    """The server once ready: its first page has imported qa and built the engine (seconds on a
    cold start), so the tests' waits measure the page, not the server's start-up."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(cold_server)
        expect(page.get_by_text("Type a question and press Enter")).to_be_visible(timeout=BUILD_MS)
    finally:
        context.close()
    return cold_server


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 1800})
    context.set_default_timeout(WAIT_MS)
    p = context.new_page()
    yield p
    context.close()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def question_box(page: Page) -> Locator:
    return page.get_by_label("Your question")


def cards(page: Page) -> Locator:
    return page.locator("[class*='st-key-qa-hit-']")


def card_with(page: Page, text: str) -> Locator:
    return cards(page).filter(has_text=text)


def wait_for_results(page: Page, count: int = 5) -> None:
    """The run has finished and every card, with its link, is drawn (and the timeline, if any)."""
    expect(cards(page)).to_have_count(count)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    expect(cards(page).get_by_role("link", name="Read it in the document")).to_have_count(count)
    if page.locator(".st-key-qa-timeline").count():
        expect(chart_drawing(page)).to_be_visible()


def wait_for_documents_table(page: Page) -> None:
    """The corpus table is drawn at its full width (it grows when the wide layout applies)."""
    page.wait_for_function(
        "() => { const t = document.querySelector('[data-testid=stDataFrame]');"
        " return !!t && !!t.querySelector('canvas') && t.getBoundingClientRect().width > 600; }"
    )


def chart_drawing(page: Page) -> Locator:
    """The timeline as Vega drew it (a canvas or an SVG), not the placeholder before it."""
    return page.locator(".st-key-qa-timeline").locator("canvas, svg.marks").first


def test_a_cold_page_shows_its_heading_and_question_box_at_once(page: Page, cold_server: str) -> None:
    """The first page of a fresh server: heading and question box come before qa is imported
    (first in this file, so it runs before ``server`` warms the page up)."""
    page.goto(cold_server)
    expect(page.get_by_role("heading", name="Ask the documents")).to_be_visible()
    expect(question_box(page)).to_be_visible()
    expect(page.get_by_text("Type a question and press Enter")).to_be_visible(timeout=BUILD_MS)


def test_type_a_question_and_press_enter(page: Page, server: str) -> None:
    page.goto(server)
    expect(page.get_by_role("heading", name="Ask the documents")).to_be_visible()
    box = question_box(page)
    box.fill(WHEN)
    box.press("Enter")
    wait_for_results(page)
    card = card_with(page, PASSAGE_2019)
    expect(card).to_be_visible()
    expect(card).to_contain_text("Policy Reference")
    expect(card).to_contain_text("2024-02-27")
    expect(card).to_contain_text("E-commerce in Rural Areas Comprehensive Demonstration Project in China")
    assert "q=when+were+poverty+counties+fully+covered" in page.url
    assert page.title() == "qa: ask the documents"
    shot(page, "ask-typed")


def test_shared_link_restores_the_search_without_a_click(page: Page, server: str) -> None:
    page.goto(server + "/?q=when+were+poverty+counties+fully+covered")
    wait_for_results(page)
    expect(question_box(page)).to_have_value(WHEN)
    card = card_with(page, PASSAGE_2019)
    expect(card).to_be_visible()
    expect(card).to_contain_text("Policy Reference")
    expect(card).to_contain_text("2024-02-27")
    shot(page, "ask-shared-link")


def test_timeline_shows_the_2019_fact(page: Page, server: str) -> None:
    page.goto(server + "/?q=when+were+poverty+counties+fully+covered")
    wait_for_results(page)
    timeline = page.locator(".st-key-qa-timeline")
    expect(chart_drawing(page)).to_be_visible()
    box = chart_drawing(page).bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    # Vega draws each point as an SVG symbol labelled with its data; hovering it shows the tooltip
    points = timeline.locator("g.mark-symbol path")
    assert points.count() >= 3  # the 2019 point beside the other dated facts of the hits
    point_2019 = points.and_(timeline.locator("[aria-label*='date: 2019;']"))
    expect(point_2019).to_have_count(1)
    point_2019.hover()
    tooltip = page.locator("#vg-tooltip-element")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("full coverage of 832")
    expect(tooltip).to_contain_text("Policy Reference")
    expect(tooltip).to_contain_text("2019")
    shot(page, "timeline-tooltip")
    page.mouse.move(0, 0)
    # the same facts as a list, for keyboards and screen readers
    timeline.get_by_text("Dated facts as a list").click()
    fact = timeline.get_by_role("listitem").filter(has_text="full coverage of 832")
    expect(fact).to_have_count(1)
    expect(fact).to_contain_text("2019")
    expect(fact).to_contain_text("Policy Reference")
    shot(page, "timeline")


def test_document_filter_shows_no_excluded_document(page: Page, server: str) -> None:
    page.goto(server + "/?q=rural+online+retail+sales")
    wait_for_results(page)
    assert cards(page).filter(has_text="Strengthening the endogenous").count() > 0  # before the filter
    sidebar = page.get_by_test_id("stSidebar")
    picker = sidebar.get_by_role("combobox", name="Documents")
    picker.click()
    picker.press_sequentially("high-quality")  # typed: the picker filters its options
    page.get_by_role("option", name=re.compile("Build a high-quality rural e-commerce ecosystem")).click()
    picker.press("Escape")
    expect(page.get_by_role("listbox")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"docs=rural-ecosystem"))
    wait_for_results(page)
    for i in range(cards(page).count()):
        expect(cards(page).nth(i)).to_contain_text("Build a high-quality rural e-commerce ecosystem")
        expect(cards(page).nth(i)).to_contain_text("Economic Daily")
    main = page.get_by_test_id("stMain")
    for excluded in ("Strengthening the endogenous", "Poverty Alleviation Policies", "Demonstration Project"):
        expect(main.get_by_text(excluded)).to_have_count(0)
    shot(page, "filter-documents")


def test_date_filter_keeps_only_the_2026_document(page: Page, server: str) -> None:
    page.goto(server + "/?q=rural+online+retail+sales&since=2025-01-01&until=2026-12-31")
    wait_for_results(page)
    for i in range(5):
        expect(cards(page).nth(i)).to_contain_text("Strengthening the endogenous driving force")
        expect(cards(page).nth(i)).to_contain_text("2026-03-13")
    expect(page.get_by_test_id("stMain")).to_contain_text("published 2025-01-01 to 2026-12-31")
    shot(page, "filter-dates")


def test_back_button_returns_to_the_previous_search(page: Page, server: str) -> None:
    page.goto(server + "/?q=when+were+poverty+counties+fully+covered")
    wait_for_results(page)
    box = question_box(page)
    box.fill("rural online retail sales")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"q=rural\+online\+retail\+sales"))
    expect(card_with(page, PASSAGE_2019)).to_have_count(0)
    page.go_back()
    expect(page).to_have_url(re.compile(r"q=when\+were\+poverty"))
    expect(question_box(page)).to_have_value(WHEN)
    expect(card_with(page, PASSAGE_2019)).to_be_visible()
    page.go_forward()
    expect(question_box(page)).to_have_value("rural online retail sales")
    expect(card_with(page, PASSAGE_2019)).to_have_count(0)
    shot(page, "back-forward")


def test_result_opens_the_passage_in_the_reader(page: Page, server: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server + "/?q=when+were+poverty+counties+fully+covered")
    wait_for_results(page)
    card_with(page, PASSAGE_2019).get_by_role("link", name="Read it in the document").click()
    expect(page).to_have_url(re.compile(r"/corpus\?doc=rural-demonstration&passage=rural-demonstration%3A8"))
    opened = page.locator(".st-key-qa-opened-passage")
    expect(opened).to_contain_text("full coverage of 832")
    expect(opened).to_be_in_viewport()  # scrolled to (the passage is far below the top)
    expect(opened).to_be_focused()
    expect(page.get_by_test_id("stMain")).to_contain_text("Opened at passage rural-demonstration:8")
    wait_for_documents_table(page)
    expect(opened).to_be_in_viewport()
    shot(page, "reader-at-passage")
    page.get_by_role("link", name="Ask").click()  # the page menu: back to Ask keeps the last search
    expect(page).to_have_url(re.compile(r"q=when\+were\+poverty"))
    expect(question_box(page)).to_have_value(WHEN)
    expect(card_with(page, PASSAGE_2019)).to_be_visible()


def test_corpus_view_lists_the_documents(page: Page, server: str) -> None:
    page.goto(server + "/corpus")
    expect(page.get_by_role("heading", name="Corpus")).to_be_visible()
    expect(page).to_have_title("qa: corpus")
    wait_for_documents_table(page)
    expect(page.get_by_test_id("stMain")).to_contain_text("5 documents")
    shot(page, "corpus")


_COLOURS_JS = """e => {
  const rgba = s => (s.match(/[\\d.]+/g) || []).map(Number);
  let opacity = 1;
  for (let n = e; n; n = n.parentElement) opacity *= Number(getComputedStyle(n).opacity);
  let bg = null;
  for (let n = e; n && !bg; n = n.parentElement) {
    const c = rgba(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) bg = c.slice(0, 3);
  }
  return {fg: rgba(getComputedStyle(e).color), opacity, bg: bg || [255, 255, 255]};
}"""


def _luminance(rgb: list[float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(locator: Locator) -> float:
    """WCAG contrast ratio of the element's text on its background (opacity and alpha blended)."""
    c = locator.evaluate(_COLOURS_JS)
    alpha = (c["fg"][3] if len(c["fg"]) > 3 else 1.0) * c["opacity"]
    fg = [alpha * f + (1 - alpha) * b for f, b in zip(c["fg"][:3], c["bg"], strict=True)]
    hi, lo = sorted((_luminance(fg), _luminance(c["bg"])), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_readable_contrast(page: Page, server: str) -> None:
    page.goto(server + "/?q=when+were+poverty+counties+fully+covered")
    wait_for_results(page)
    card = card_with(page, PASSAGE_2019)
    provenance = card.get_by_text("Policy Reference · 2024-02-27", exact=False)
    highlight = card.locator(".stMarkdownColoredBackground").first
    passage = card.get_by_text("215 new comprehensive", exact=False).first
    for name, where in (("provenance", provenance), ("highlight", highlight), ("passage", passage)):
        ratio = contrast(where)
        assert ratio >= 4.5, f"{name}: contrast {ratio:.2f} is below WCAG AA (4.5)"


def test_keyboard_only_search(page: Page, server: str) -> None:
    page.goto(server)
    expect(page.get_by_role("button", name=EXAMPLE)).to_be_visible()  # the whole page is drawn
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    for _ in range(60):  # Tab through the controls until the question box has the focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Your question":
            break
    expect(question_box(page)).to_be_focused()
    page.keyboard.type(WHEN)
    page.keyboard.press("Enter")
    wait_for_results(page)
    link = card_with(page, PASSAGE_2019).get_by_role("link", name="Read it in the document")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".st-key-qa-opened-passage")).to_be_focused()
    wait_for_documents_table(page)
    shot(page, "keyboard")


def test_phone_width_layout(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 2400}, is_mobile=True, has_touch=True)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    try:
        page.goto(server + "/?q=when+were+poverty+counties+fully+covered")
        wait_for_results(page)
        expect(card_with(page, PASSAGE_2019)).to_be_visible()
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"page is {overflow}px wider than a 390px phone screen"
        box = card_with(page, PASSAGE_2019).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        shot(page, "phone-390")
    finally:
        context.close()
