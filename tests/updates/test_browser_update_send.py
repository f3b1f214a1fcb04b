"""The step before an update goes out, on a 390-pixel phone in headless Chromium: the
count, a wrong number refused, the right one sending; axe-core finds nothing, nothing
scrolls sideways, and the page runs no script the CSP refuses."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaign.extensions import db
from campaign.models import Organiser, Petition
from campaign.petitions.cli import seed_demo
from campaign.updates import services

from ..helpers.backoffice import add_signature, sign_in_on_the_way
from ..helpers.browser import AXE, browser_errors, describe_violations, run_axe, screenshot

pytestmark = pytest.mark.browser


def test_confirming_an_update_on_a_phone(live_server, page, organisers, artifacts):
    with live_server.app.app_context():
        call, _ = seed_demo()
        db.session.commit()
        for n, (language, country) in enumerate([("fr", "CH"), ("fr", "CH"), ("en", "FR")]):
            add_signature(
                call.id, f"s{n}@example.org", updates=True, language=language, country=country
            )
        editor = db.session.get(Organiser, organisers["editor"]["id"])
        update_ = services.save_update(
            None, db.session.get(Petition, call.id), "News", "We delivered.", editor
        )
        db.session.commit()
        path = f"/organiser/calls/{call.id}/updates/{update_.id}/send"

    axe_source = AXE.read_text()
    errors = browser_errors(page)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_on_the_way(page, live_server.url, path, "editor@example.org")
    expect(page.locator("h1")).to_have_text("Send to supporters")
    expect(page.locator("#reach-total")).to_contain_text("3")
    expect(page.locator("#reach-country-CH")).to_contain_text("2")
    problems = describe_violations("send page", run_axe(page, axe_source))
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px of sideways scrolling at 390px"
    screenshot(page, artifacts / "organiser-update-send-390.png", full_page=True)

    page.get_by_label("Number of people who will receive it").fill("30")
    page.get_by_role("button", name="Send", exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("You typed 30, but the update would go to 3 people.")
    problems += describe_violations("send page, wrong number", run_axe(page, axe_source))
    screenshot(page, artifacts / "organiser-update-send-refused-390.png", full_page=True)

    page.get_by_label("Number of people who will receive it").fill("3")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_url(f"**{path.removesuffix('/send')}")
    expect(page.locator("#update-state")).to_contain_text("3 of 3 queued")
    problems += describe_violations("update page, sending", run_axe(page, axe_source))
    assert not problems, "axe-core found violations:\n" + "\n".join(problems)
    # The refused number answers 422 on purpose; Chromium logs that, and nothing else.
    assert [e for e in errors if "status of 422" not in e] == []
    assert len(errors) == 1
