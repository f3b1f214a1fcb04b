"""The scoreboard in headless Chromium: from the call's page to the map and the table, on
a desktop and on a 390-pixel phone, with nothing refused by the Content-Security-Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaign.extensions import db

from ..helpers.browser import browser_errors
from .helpers import add_target, one_in_each_state

pytestmark = pytest.mark.browser


def _seed(app) -> None:
    from campaign.petitions.cli import seed_demo

    with app.app_context():
        petition, _created = seed_demo()
        db.session.commit()
        one_in_each_state(petition.id)
        add_target(petition.id, "SG", threshold=10)  # too small for the map
        db.session.commit()


@pytest.mark.parametrize(("width", "name"), [(1280, "desktop"), (390, "phone")])
def test_a_reader_finds_where_each_government_stands(live_server, browser, artifacts, width, name):
    _seed(live_server.app)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = browser_errors(page)
    try:
        page.goto(f"{live_server.url}/petitions/call-to-governments")
        section = page.locator(".petition-governments")
        expect(section).to_contain_text("1 responded")
        section.get_by_role("link", name="See where each government stands").click()
        page.wait_for_url("**/governments")
        expect(page.locator("h1")).to_have_text("Where each government stands")

        # The map is one image with a name, its addressed countries drawn and filled.
        expect(page.get_by_role("img", name="Map of the governments")).to_be_visible()
        for code, state in {"FR": "collecting", "KE": "responded", "MX": "no_reply"}.items():
            country = page.locator(f'.gov-map__country[data-code="{code}"]')
            expect(country).to_have_attribute("data-state", state)
            assert country.bounding_box()["width"] > 1
        expect(page.get_by_text("Too small to show on this map: Singapore.")).to_be_visible()

        # The table says the same in words, and leads to each delivery and answer.
        table = page.get_by_role("table")
        expect(table.get_by_role("row")).to_have_count(7)
        table.get_by_role("link", name="Kenya").click()
        expect(page.locator("#government-ke")).to_be_in_viewport()
        page.locator("#government-ke").get_by_text("The full answer").click()
        expect(page.get_by_text("It will act.")).to_be_visible()

        # Nothing is wider than the screen.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow}px of sideways scrolling at {width}px"
        page.screenshot(path=artifacts / f"governments-{name}.png", full_page=True)
        assert errors == []
    finally:
        context.close()
