"""The scoreboard in headless Chromium: from the call's page to the map and the table, on
a desktop and on a 390-pixel phone, with nothing refused by the Content-Security-Policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from campaign.extensions import db
from campaign.models import Delivery
from campaign.petitions.cli import seed_demo

from ..helpers.backoffice import sign_in_on_the_way
from ..helpers.browser import AXE, browser_errors, describe_violations, run_axe, screenshot
from .helpers import add_target, one_in_each_state

pytestmark = pytest.mark.browser


def _seed(app) -> None:
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
        screenshot(page, artifacts / f"governments-{name}.png", full_page=True)
        # French states and amounts run longer ("Collecte de signatures en cours").
        page.goto(f"{live_server.url}/fr/petitions/call-to-governments/governments")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow}px of sideways scrolling at {width}px, in French"
        assert errors == []
    finally:
        context.close()


def test_an_editor_records_an_answer_and_the_public_sees_it(
    live_server, page, organisers, artifacts
):
    from campaign.petitions.cli import seed_demo

    with live_server.app.app_context():
        petition, _created = seed_demo()
        db.session.commit()
        deliveries = one_in_each_state(petition.id)
        call_id, spain = petition.id, deliveries["ES"]
        delivered_on = db.session.get(Delivery, spain).delivered_on
    errors = browser_errors(page)
    axe = AXE.read_text()

    sign_in_on_the_way(
        page, live_server.url, f"/organiser/calls/{call_id}/answers", "editor@example.org"
    )
    expect(page.locator("h1")).to_have_text("Governments' answers")
    expect(page.get_by_role("row", name="Spain")).to_contain_text("No reply yet · 10 days")
    expect(page.get_by_role("row", name="Mexico")).to_contain_text("No reply · 90 days")
    problems = describe_violations("answers", run_axe(page, axe))

    page.get_by_role("link", name="Record the answer · Spain").click()
    page.wait_for_url(f"**/organiser/calls/{call_id}/answers/{spain}")
    # Sent with a date before the delivery: refused, with the form kept.
    page.get_by_label("Date of the answer").fill((delivered_on - timedelta(days=1)).isoformat())
    page.get_by_label("Supports the call", exact=True).check()
    page.get_by_label("Summary").fill("Spain will table the matter at the UN.")
    page.get_by_label("Full text in Spanish (optional)").fill("España apoya el llamamiento.")
    page.get_by_role("button", name="Save the answer").click()
    expect(page.locator("#error-summary")).to_contain_text("before the delivery")
    expect(page.get_by_label("Summary")).to_have_value("Spain will table the matter at the UN.")
    problems += describe_violations("answer form with errors", run_axe(page, axe))
    screenshot(page, artifacts / "organiser-answer-form.png", full_page=True)

    page.get_by_label("Date of the answer").fill((delivered_on + timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Save the answer").click()
    page.wait_for_url(f"**/organiser/calls/{call_id}/answers")
    expect(page.get_by_role("status")).to_contain_text("The answer is recorded")
    expect(page.get_by_role("row", name="Spain")).to_contain_text("Supports the call")

    page.goto(f"{live_server.url}/es/petitions/call-to-governments/governments")
    record = page.locator("#government-es")
    expect(record).to_contain_text("Spain will table the matter at the UN.")
    record.locator("summary").click()
    expect(record.locator('.gov-text[lang="es"]')).to_have_text("España apoya el llamamiento.")
    problems += describe_violations("scoreboard, answer open", run_axe(page, axe))
    assert not problems, "axe-core found violations:\n" + "\n".join(problems)
    # The refused form's 422 is the only thing the console reports.
    assert [error for error in errors if "status of 422" not in error] == []
