"""No page scrolls sideways on a phone (390 by 844 pixels), public or organiser.

Headless Chromium on the app served over HTTP, with a call as a busy campaign leaves
it (tests/layout/crowded.py): long names and addresses, deliveries, an audit trail,
several accounts. The back-office pages are every GET route under /organiser that
shows a page without a form being sent first, read from the app's URL map, so a
page added later is measured too (or the test says which id it needs). On each page
the document is no wider than the screen, nothing sticks out past its right edge
(unless inside a box that scrolls on its own), and a table wider than its column
sits in a labelled region that a keyboard can reach and scroll. axe-core checks a
few of the pages with the widest tables. Each page is saved as
tests/artifacts/narrow-<page>.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from campaign import tokens
from campaign.extensions import db
from campaign.models import Signature

from ..helpers.backoffice import sign_in_on_the_way
from ..helpers.browser import AXE, describe_violations, run_axe, screenshot
from .crowded import LONG_EMAIL, LONG_NAME, back_office_paths, crowd, public_paths

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# What stands past the screen's right edge, outside any box that scrolls (or clips) on
# its own: each outermost such element, described well enough to find it.
STICKING_OUT = """() => {
  const limit = document.documentElement.clientWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
    + ' (right edge ' + Math.round(el.getBoundingClientRect().right) + ')';
  // A box that scrolls or clips holds what is inside it, except what is positioned
  // against a box outside it (an absolute element's containing block is its nearest
  // positioned ancestor).
  const inScroller = (el) => {
    const position = getComputedStyle(el).position;
    if (position === 'fixed') return false;
    let held = position !== 'absolute';
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      held = held || style.position !== 'static';
      if (held && style.overflowX !== 'visible') return true;
    }
    return false;
  };
  // In document order, so a parent is seen before its children: name the outermost.
  const culprits = new Set();
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= limit + 0.5 || inScroller(el)) continue;
    culprits.add(el);
    if (!culprits.has(el.parentElement)) found.push(describe(el));
  }
  return found.slice(0, 5);
}"""

# Tables wider than the column they stand in, and what is wrong with the box around
# them: it must scroll, be a region named by visible text, and take the keyboard's focus.
UNBOXED_WIDE_TABLES = """() => {
  const problems = [];
  for (const table of document.querySelectorAll('table')) {
    const box = table.closest('.org-table-scroll, .table-scroll');
    const column = (box || table).parentElement;
    if (table.getBoundingClientRect().width <= column.clientWidth + 0.5) continue;
    const where = 'the table of ' + [...table.querySelectorAll('thead th')].slice(0, 3)
      .map((th) => th.textContent.trim()).join(', ');
    if (!box) { problems.push(where + ': wider than its column, in no scrolling box'); continue; }
    const label = (box.getAttribute('aria-labelledby') || '').split(' ')
      .map((id) => document.getElementById(id)?.textContent.trim() || '').join(' ').trim();
    const scrolls = getComputedStyle(box).overflowX === 'auto';
    if (!scrolls) problems.push(where + ': its box does not scroll');
    const named = box.getAttribute('role') === 'region' && label;
    if (!named) problems.push(where + ': its box is not a named region');
    if (box.tabIndex !== 0) problems.push(where + ': its box cannot take the focus');
  }
  return problems;
}"""


def _measure(page, name: str, artifacts, axe_source: str) -> list[str]:
    """What is wrong with the page as shown now, on the phone; saves its screenshot."""
    screenshot(page, artifacts / f"narrow-{name}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    problems = []
    if width > PHONE["width"]:
        problems.append(f"{name}: {width} px wide")
    problems += [f"{name}: sticks out: {what}" for what in page.evaluate(STICKING_OUT)]
    problems += [f"{name}: {what}" for what in page.evaluate(UNBOXED_WIDE_TABLES)]
    return problems + describe_violations(name, run_axe(page, axe_source))


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: bin/setup installs it with npm ci (needs node and npm)")
    return AXE.read_text()


def test_no_back_office_page_scrolls_sideways_on_a_phone(
    live_server, browser, organisers, artifacts, axe_source
):
    crowded = crowd(live_server.app, organisers)
    paths = back_office_paths(live_server.app, crowded)
    assert len(paths) > 30, sorted(paths)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_on_the_way(page, live_server.url, "/organiser/", crowded.admin_email)
        problems = []
        for endpoint, path in sorted(paths.items()):
            response = page.goto(live_server.url + path)
            assert response.status == 200, (path, response.status)
            assert page.url == live_server.url + path, f"{path} went on to {page.url}"
            name = "organiser-" + endpoint.split(".")[1].replace("_", "-")
            problems += _measure(page, name, artifacts, axe_source)
        # A search's results, as a privacy request is answered.
        page.goto(live_server.url + "/organiser/privacy")
        page.get_by_label("The person's email address").fill(f"0.{LONG_EMAIL}")
        page.get_by_role("button", name="Find their data").click()
        expect(page.get_by_role("heading", name="1 signature found")).to_be_visible()
        problems += _measure(page, "organiser-privacy-found", artifacts, axe_source)
    finally:
        context.close()
    assert not problems, "On a phone:\n" + "\n".join(problems)


def test_the_keyboard_scrolls_a_wide_table_in_its_box(live_server, browser, organisers):
    """On each page, the first table too wide for the phone: its box takes the focus,
    and the arrow keys scroll the table within it while the page stays put."""
    crowded = crowd(live_server.app, organisers)
    paths = back_office_paths(live_server.app, crowded)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_on_the_way(page, live_server.url, "/organiser/", crowded.admin_email)
        for endpoint in ["signatures", "audit_log", "accounts", "government_deliveries"]:
            path = paths[f"organisers.{endpoint}"]
            page.goto(live_server.url + path)
            regions = page.locator(".org-table-scroll[role=region][tabindex='0']").all()
            boxes = [box for box in regions if box.evaluate("b => b.scrollWidth > b.clientWidth")]
            assert boxes, f"no table on {path} is wider than the phone: this proves nothing"
            boxes[0].focus()
            assert boxes[0].evaluate("box => box === document.activeElement"), path
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")
            page.wait_for_function("box => box.scrollLeft > 0", arg=boxes[0].element_handle())
            assert page.evaluate("window.scrollX") == 0, path
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_no_public_page_scrolls_sideways_on_a_phone(
    live_server, browser, organisers, artifacts, axe_source, language
):
    crowded = crowd(live_server.app, organisers)
    prefix = "" if language == "en" else f"/{language}"
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()

    def measure(name: str) -> list[str]:
        return _measure(page, f"{name}-{language}", artifacts, axe_source)

    problems = []
    try:
        for name, path in public_paths(crowded, str(crowded.ids["slug"])).items():
            page.goto(live_server.url + prefix + path)
            problems += measure(name)
        problems += _sign_and_confirm(page, live_server, prefix, measure)
    finally:
        context.close()
    assert not problems, "On a phone:\n" + "\n".join(problems)


def _sign_and_confirm(page, live_server, prefix: str, measure) -> list[str]:
    """The signing journey with the longest name and address: the pages that repeat them."""
    email = f"new.{LONG_EMAIL}"
    page.goto(f"{live_server.url}{prefix}/petitions/call-to-governments")
    page.locator("#name").fill(LONG_NAME)
    page.locator("#email").fill(email)
    page.locator("#country").select_option("CH")
    page.locator("#consent").check()
    page.locator(".sign-form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/check-email\?s="))
    expect(page.locator("main")).to_contain_text(email)
    problems = measure("check-email")
    with live_server.app.app_context():
        signature = db.session.scalar(db.select(Signature).where(Signature.email == email))
        token = tokens.make(tokens.Purpose.CONFIRM, signature.public_id)
    page.goto(f"{live_server.url}{prefix}/petitions/confirm/{token}")
    problems += measure("confirm")
    page.locator("main form .button--primary").first.click()
    page.wait_for_url("**/thank-you")
    return problems + measure("thank-you")
