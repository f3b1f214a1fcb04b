"""The embed sizes itself: on a partner's page (another site, on another port) the frame
grows to its page's height, so the whole form shows, its button included, on a phone
and on a desktop, and after a refused form; the compact version fits a narrow column.
Only this site's frames can change a frame's height, under a CSP with no inline script.
"""

from __future__ import annotations

import html
import re
import time
import urllib.request

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from ..helpers.browser import AXE, browser_errors, describe_violations, run_axe, screenshot
from ..helpers.servers import StaticSite, serving

SLUG = "call-to-governments"
HEIGHT = "campaign-embed-height"


def _seed(app) -> None:
    from campaign.extensions import db
    from campaign.petitions.cli import seed_demo

    with app.app_context():
        seed_demo()
        db.session.commit()


def _code_on_the_call_page(site_url: str, textarea: str, query: str = "") -> str:
    """The code a webmaster copies from the call's page, read over HTTP."""
    with urllib.request.urlopen(f"{site_url}/petitions/{SLUG}{query}") as response:
        page = response.read().decode()
    found = re.search(rf'<textarea id="{textarea}"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, f"no #{textarea} on the call's page"
    return html.unescape(found.group(1))


def _partner_page(code: str, style: str = "", head: str = "") -> str:
    """A partner's page with the code pasted into a column of it, styled by ``style``."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>A partner organisation</title><style>{style}</style>{head}</head><body>"
        "<h1>A partner organisation</h1><p>We support this call. Sign it here:</p>"
        f'<div class="column">{code}</div><p>The rest of the partner\'s page.</p></body></html>'
    )


_PAGE_HEIGHT = "Math.ceil(document.documentElement.getBoundingClientRect().height)"


def _wait_until_it_fits(iframe) -> int:
    """Wait until the iframe (a locator on the partner's page) is as tall as the page in
    it, on the partner's side and inside the frame alike; return that height.

    The frame is scrolled into view first, as a person would see it: a browser may put
    off loading a lazy frame, and telling a frame out of view its new size.
    """
    iframe.scroll_into_view_if_needed()
    heights = None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        frame = iframe.element_handle().content_frame()
        try:
            if frame.url.startswith("http"):
                heights = (
                    iframe.evaluate("frame => frame.clientHeight"),
                    frame.evaluate(f"[window.innerHeight, {_PAGE_HEIGHT}]"),
                )
                shown, (inside, content) = heights
                if abs(shown - content) <= 1 and abs(inside - content) <= 1:
                    return shown
        except PlaywrightError:  # the frame moved on to its page while being read
            pass
        time.sleep(0.1)
    pytest.fail(f"(frame height, (its viewport, its page's height)): {heights}")


def _inside(inner: dict, outer: dict) -> bool:
    return (
        outer["y"] <= inner["y"]
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
        and outer["x"] <= inner["x"]
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
    )


@pytest.fixture
def partner():
    with StaticSite() as site:
        yield site


@pytest.fixture
def site(make_app, partner):
    """The app on a live server whose embed only the partner's site may frame."""
    with serving(make_app, EMBED_FRAME_ANCESTORS=partner.origin) as server:
        _seed(server.app)
        yield server


# A phone, on a partner's site that sizes boxes with border-box (as most themes do) and
# made the frame short (half the form showed before the embed sized itself); a desktop,
# with the code as given.
SCREENS = {
    "phone": ({"width": 390, "height": 844}, "* { box-sizing: border-box }", 600),
    "desktop": ({"width": 1280, "height": 900}, ".column { max-width: 40rem }", None),
}


@pytest.mark.browser
@pytest.mark.parametrize("screen", SCREENS)
def test_the_frame_grows_to_show_the_whole_form(site, partner, browser, artifacts, screen):
    viewport, style, height_set = SCREENS[screen]
    code = _code_on_the_call_page(site.url, "embed-code", "?partner=Amnesty+Suisse")
    assert "/embed?partner=amnesty-suisse" in code
    if height_set:
        code = re.sub(r'height="\d+"', f'height="{height_set}"', code)
    partner.pages["partner.html"] = _partner_page(code, style)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors = browser_errors(page)
    page.goto(partner.url("partner.html"))
    iframe = page.locator("iframe")
    frame = iframe.element_handle().content_frame()
    in_frame = page.frame_locator("iframe")
    sign = in_frame.get_by_role("button", name="Sign the call")

    height = _wait_until_it_fits(iframe)
    assert height > (height_set or 0)
    assert _inside(sign.bounding_box(), iframe.bounding_box())
    # What a person sees (a full-page capture leaves a cross-site frame unpainted below
    # the first screen): the top, then the sign button.
    screenshot(page, artifacts / f"embed-height-{screen}.png")
    sign.scroll_into_view_if_needed()
    screenshot(page, artifacts / f"embed-height-{screen}-button.png")

    # The form sent empty comes back longer, with its errors: the frame grows again, and
    # the partner's page scrolls to the error summary, which the frame cannot do any more.
    sign.click()
    in_frame.locator("#error-summary").wait_for()
    grown = _wait_until_it_fits(iframe)
    assert grown > height
    assert _inside(sign.bounding_box(), iframe.bounding_box())
    expect(in_frame.locator("#error-summary")).to_be_in_viewport()
    assert "/embed/sign?partner=amnesty-suisse" in frame.url
    screenshot(page, artifacts / f"embed-height-{screen}-errors.png")
    # The browser reports the refused form's status (422), and nothing else.
    assert [error for error in errors if "(UNPROCESSABLE ENTITY)" not in error] == []
    context.close()


@pytest.mark.browser
def test_the_compact_version_fits_a_narrow_column_and_opens_the_call(
    site, partner, page, artifacts
):
    code = _code_on_the_call_page(site.url, "embed-code-compact", "?partner=Amnesty+Suisse")
    assert "/embed/compact?partner=amnesty-suisse" in code
    partner.pages["partner.html"] = _partner_page(code, ".column { width: 280px }")
    errors = browser_errors(page)
    page.goto(partner.url("partner.html"))
    iframe = page.locator("iframe")
    assert _wait_until_it_fits(iframe) < 500
    button = page.frame_locator("iframe").get_by_role("link", name="Sign the call")
    assert _inside(button.bounding_box(), iframe.bounding_box())
    screenshot(page, artifacts / "embed-height-compact.png")

    with page.expect_popup() as opened:
        button.click()
    call_page = opened.value
    call_page.wait_for_load_state()
    assert call_page.url == f"{site.url}/petitions/{SLUG}?ref=amnesty-suisse#sign-heading"
    expect(call_page.get_by_role("heading", name="Add your name")).to_be_visible()
    assert errors == []


# Records every message the partner's page receives, before any frame can send one.
_RECORDER = (
    "<script>window.received = [];"
    "addEventListener('message', function (e) { received.push([e.origin, e.data]); });"
    "</script>"
)
# A page of a third site that claims a height for whichever frame it is in.
_IMPOSTOR = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Another site</title>'
    f"<script>parent.postMessage({{type: '{HEIGHT}', height: 4321}}, '*');</script>"
    "</head><body><p>Another site</p></body></html>"
)


def _heights_set(page) -> list[str]:
    """The height embed-parent.js gave each frame of the page ("" for none)."""
    return page.evaluate("[...document.getElementsByTagName('iframe')].map(f => f.style.height)")


def _wait_for_impostor_messages(page, origin: str, count: int) -> None:
    page.wait_for_function(
        f"received.filter(m => m[0] === {origin!r} && m[1].height === 4321).length >= {count}"
    )


@pytest.mark.browser
def test_a_height_from_another_origin_is_ignored(site, partner, page):
    code = _code_on_the_call_page(site.url, "embed-code")
    impostor = partner.foreign_url("impostor.html")
    third_site = impostor.rsplit("/", 1)[0]
    partner.pages["impostor.html"] = _IMPOSTOR
    partner.pages["partner.html"] = _partner_page(
        f'{code}<iframe src="{impostor}" title="Another site" height="200"></iframe>',
        head=_RECORDER,
    )
    errors = browser_errors(page)
    page.goto(partner.url("partner.html"))
    fitted = _wait_until_it_fits(page.locator("iframe").first)
    frame = page.locator("iframe").first.element_handle().content_frame()
    heights = [f"{fitted}px", ""]  # the embed's, and none for the other site's frame
    assert _heights_set(page) == heights

    # Another site's frame on the page: its message arrives, and changes no frame.
    _wait_for_impostor_messages(page, third_site, 1)
    # The partner's page itself: a message of its own origin, not from a frame.
    page.evaluate(f"postMessage({{type: '{HEIGHT}', height: 4321}}, '*')")
    page.wait_for_function("received.some(m => m[0] === location.origin)")
    assert _heights_set(page) == heights

    # The embed's own frame sent to another site from inside: its src still names this
    # site and its window is the same, but the message's origin is the other site's.
    frame.evaluate("url => { location.href = url; }", impostor)
    frame.wait_for_url(impostor)
    _wait_for_impostor_messages(page, third_site, 2)
    assert _heights_set(page) == heights
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_embed_has_no_accessibility_violations_in_the_partners_page(
    site, partner, page, language
):
    """axe-core in each frame as the partner's page shows it: the form, the form sent
    empty, and the compact version; and on the call's page with its embed panel open."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: bin/setup installs it with npm ci (needs node and npm)")
    axe = AXE.read_text()
    prefix = "" if language == "en" else f"/{language}"
    codes = [
        _code_on_the_call_page(site.url + prefix, textarea)
        for textarea in ("embed-code", "embed-code-compact")
    ]
    partner.pages["partner.html"] = _partner_page("".join(codes))
    page.goto(partner.url("partner.html"))
    iframes = {"form": page.locator("iframe").nth(0), "compact": page.locator("iframe").nth(1)}
    problems: list[str] = []
    for name, iframe in iframes.items():
        _wait_until_it_fits(iframe)
        frame = iframe.element_handle().content_frame()
        assert frame.evaluate("document.documentElement.lang") == language
        problems += describe_violations(f"embed {name} ({language})", run_axe(frame, axe))
    page.frame_locator("iframe").first.locator(".sign-form [type=submit]").click()
    page.frame_locator("iframe").first.locator("#error-summary").wait_for()
    _wait_until_it_fits(iframes["form"])
    form = iframes["form"].element_handle().content_frame()
    problems += describe_violations(f"embed errors ({language})", run_axe(form, axe))

    # A partner's name typed in: the panel comes back open, with both codes and the field.
    page.goto(f"{site.url}{prefix}/petitions/{SLUG}?partner=Amnesty+Suisse#embed-heading")
    expect(page.locator("#embed-code-compact")).to_be_visible()
    problems += describe_violations(f"call's embed panel ({language})", run_axe(page, axe))
    assert not problems, "axe-core found violations:\n" + "\n".join(problems)
