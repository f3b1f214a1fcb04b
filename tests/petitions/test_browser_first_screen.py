"""The call's page on a phone and on a desktop: the count and the sign form in the first
screen, the form before the long text in reading order, the embed code folded away.

Most of the public reaches the call on a phone, from a shared link. Each test seeds the
demo call (its full text, sixteen notable signatories, background) with a count and
countries, so the page is as long as the real one.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from playwright.sync_api import expect

from ..helpers.browser import AXE, browser_errors, describe_violations, run_axe, screenshot

pytestmark = pytest.mark.browser

SLUG = "call-to-governments"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# Language-independent handles (the catalogues translate the words).
JUMP_LINK = '.petition-header a[href="#name"]'
SHARE_PANEL = "details.share-embed"


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: bin/setup installs it with npm ci (needs node and npm)")
    return AXE.read_text()


def _seed(app) -> None:
    from campaign.extensions import db
    from campaign.petitions.cli import seed_demo
    from campaign.petitions.counters import adjust_counters

    with app.app_context():
        petition, _created = seed_demo()
        db.session.flush()
        for code, n in {"CH": 12420, "FR": 8388, "ES": 2251, "MX": 97, "KE": 45}.items():
            adjust_counters(petition.id, code, n)
        db.session.commit()


def _top(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("e => e.getBoundingClientRect().top")


def _in_first_screen(page, selector: str, height: int) -> bool:
    top = _top(page, selector)
    return 0 <= top < height


def _follows(page, first: str, then: str) -> bool:
    """Whether ``then`` comes after ``first`` in the source (the reading order)."""
    return page.evaluate(
        """([a, b]) => Boolean(document.querySelector(a).compareDocumentPosition(
            document.querySelector(b)) & Node.DOCUMENT_POSITION_FOLLOWING)""",
        [first, then],
    )


def _heading_levels(page) -> list[int]:
    return page.locator("main :is(h1, h2, h3, h4, h5, h6)").evaluate_all(
        "hs => hs.map(h => Number(h.tagName[1]))"
    )


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "zh", "ru"])
def test_the_count_and_the_form_are_in_the_first_screen(
    live_server, browser, axe_source, artifacts, language
):
    _seed(live_server.app)
    prefix = "" if language == "en" else f"/{language}"
    url = f"{live_server.url}{prefix}/petitions/{SLUG}"
    problems: list[str] = []

    for viewport in (PHONE, DESKTOP):
        width, height = viewport["width"], viewport["height"]
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        errors = browser_errors(page)
        page.goto(url)
        screenshot(page, artifacts / f"first-screen-{language}-{width}.png")

        where = f"{language} at {width}x{height}"
        assert _in_first_screen(page, ".sign-panel .count", height), f"count, {where}"
        assert _in_first_screen(page, "form.sign-form", height), f"sign form, {where}"
        if viewport is PHONE:
            # The link is in sight on a phone, where the browser's bars may hide the form.
            expect(page.locator(JUMP_LINK)).to_be_visible()
            assert _in_first_screen(page, JUMP_LINK, height), f"jump link, {where}"
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{overflow - width}px of sideways scrolling, {where}"

        # Following the link (by keyboard: beside the panel it shows only when focused)
        # puts the focus in the form's first field, in sight.
        page.locator(JUMP_LINK).focus()
        assert page.locator(JUMP_LINK).bounding_box()["width"] > 100, f"focused link, {where}"
        page.keyboard.press("Enter")
        expect(page.locator("form.sign-form input:not([type=hidden])").first).to_be_focused()
        assert page.evaluate("document.activeElement.id") == "name"
        # The page scrolls smoothly (site.css), so the field arrives after a moment.
        page.wait_for_function(
            "h => { const t = document.querySelector('#name').getBoundingClientRect().top;"
            " return t >= 0 && t < h; }",
            arg=height,
            timeout=5000,
        )

        problems += describe_violations(where, run_axe(page, axe_source))
        # The folded panel's content is checked too, opened.
        page.locator(f"{SHARE_PANEL} > summary").click()
        expect(page.locator("#embed-code")).to_be_visible()
        problems += describe_violations(f"{where}, panel open", run_axe(page, axe_source))
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{overflow - width}px sideways with the panel open, {where}"
        assert errors == [], where
        context.close()
    assert not problems, "axe-core found violations:\n" + "\n".join(problems)


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_arabic_page_is_laid_out_right_to_left(live_server, browser, artifacts, viewport):
    # Issue 21: the layout follows the writing direction (CSS logical properties), so the
    # Arabic page is the mirror of the English one without a rule of its own.
    _seed(live_server.app)
    width = viewport["width"]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors = browser_errors(page)
    page.goto(f"{live_server.url}/ar/petitions/{SLUG}")
    screenshot(page, artifacts / f"arabic-call-{width}.png", full_page=True)
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The form's labels start at its right edge.
    form = _box(page, "form.sign-form")
    label = page.evaluate(
        """() => { const range = document.createRange();
        range.selectNodeContents(document.querySelector('label[for="name"]'));
        const box = range.getBoundingClientRect(); return {x: box.x, width: box.width}; }"""
    )
    assert abs(label["x"] + label["width"] - (form["x"] + form["width"])) < 2, (label, form)
    assert label["x"] > form["x"] + 40, (label, form)
    heading = page.locator("h1").first
    assert heading.evaluate("h => getComputedStyle(h).textAlign") in ("start", "right")
    if viewport is DESKTOP:
        # The text on the right, the sign panel on the left: English mirrored.
        text, panel = _box(page, ".petition-text"), _box(page, ".sign-panel")
        assert panel["x"] + panel["width"] <= text["x"], (panel, text)
    # The language switcher names English and French left to right inside the Arabic line.
    english = page.locator('nav a[hreflang="en"]').first
    assert english.evaluate("a => getComputedStyle(a).direction") == "ltr"
    assert errors == []
    context.close()


def test_the_form_comes_before_the_full_text_and_the_embed_code_is_folded(live_server, page):
    """Source order is what a screen reader reads and what a phone shows: the title and
    the demand, the count, the form; then the text. The embed code, for webmasters, sits
    folded after the form rather than in the reader's path."""
    _seed(live_server.app)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/es/petitions/{SLUG}")

    order = [
        ".petition-header h1",
        ".petition-header .lede",
        JUMP_LINK,
        ".sign-panel .count",
        "form.sign-form",
        SHARE_PANEL,
        ".petition-text .prose",
        ".notables",
    ]
    for first, then in pairwise(order):
        assert _follows(page, first, then), f"{then} should come after {first}"

    levels = _heading_levels(page)
    assert levels[0] == 1 and levels.count(1) == 1
    jumps = [(a, b) for a, b in pairwise(levels) if b > a + 1]
    assert jumps == [], f"headings skip a level: {levels}"

    panel = page.locator(SHARE_PANEL)
    assert panel.get_attribute("open") is None
    expect(page.locator("#embed-code")).to_be_hidden()
    expect(panel.locator("#embed-code")).to_have_count(1)
    assert page.locator(".petition-text #embed-code").count() == 0

    # On a phone the panel takes one line between the form and the text.
    panel_height = panel.evaluate("e => e.getBoundingClientRect().height")
    assert panel_height < 80, panel_height


def test_a_tall_desktop_keeps_the_sticky_panel_clear_of_the_share_panel(live_server, browser):
    """Where the sign panel stays in view as the text scrolls, it must never cover the
    folded share-and-embed panel."""
    _seed(live_server.app)
    context = browser.new_context(viewport={"width": 1280, "height": 1300})
    page = context.new_page()
    page.goto(f"{live_server.url}/petitions/{SLUG}")
    page.mouse.wheel(0, 1200)
    expect(page.locator(".sign-panel")).to_be_in_viewport()
    page.wait_for_function(
        "Math.abs(document.querySelector('.sign-panel').getBoundingClientRect().top - 24) < 2"
    )

    # Playwright's click refuses an element that another one covers.
    page.locator(f"{SHARE_PANEL} > summary").click(timeout=5000)
    expect(page.locator("#embed-code")).to_be_visible()
    context.close()
