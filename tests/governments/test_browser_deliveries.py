"""An editor adds a government, then records the delivery of a package built for it, in
headless Chromium; the delivery appears on the call's public page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaign.exports.delivery import build_delivery
from campaign.exports.job_worker import store_package
from campaign.exports.storage import scratch_dir
from campaign.extensions import db
from campaign.petitions.cli import seed_demo

from ..exports.helpers import add_signature, reconcile
from ..helpers.backoffice import sign_in_on_the_way
from ..helpers.browser import browser_errors, screenshot

pytestmark = pytest.mark.browser


def test_add_a_government_and_record_its_delivery(live_server, page, organisers, artifacts):
    with live_server.app.app_context():
        call, _ = seed_demo()
        db.session.commit()
        for n in range(3):
            add_signature(call.id, f"Japanese Signer {n}", country="JP")
        db.session.commit()
        reconcile(call.id)
        result = build_delivery(call, out_dir=scratch_dir(), country="JP")
        store_package(call, result.zip_path)  # kept on the site, as the worker keeps it
        db.session.commit()
        call_id, slug = call.id, call.slug
        sha = result.packages[0].manifest_sha256

    errors = browser_errors(page)
    sign_in_on_the_way(
        page, live_server.url, f"/organiser/calls/{call_id}/governments", "editor@example.org"
    )
    expect(page.locator("h1")).to_have_text("Governments")
    page.get_by_role("link", name="Add a government").click()
    page.get_by_label("Country").select_option("JP")
    page.get_by_label("Body addressed").fill("Ministry of Foreign Affairs of Japan")
    page.get_by_label("Contact email addresses").fill("one@mofa.example.org\ntwo@mofa.example.org")
    page.get_by_label("Languages of the letter").fill("en")
    page.get_by_label("Signature threshold").fill("2")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/organiser/calls/{call_id}/governments")
    assert "Japan is added." in page.get_by_role("status").inner_text()
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Japan JP"))
    expect(row).to_contain_text("Ministry of Foreign Affairs of Japan")
    expect(row).to_contain_text("reached")  # 3 counted, threshold 2
    screenshot(page, artifacts / "organiser-governments.png", full_page=True)

    page.get_by_role("link", name="Deliveries", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Deliveries")
    page.get_by_label("Government").select_option("JP")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Record a delivery to Japan")
    expect(page.get_by_label("Body it went to")).to_have_value(
        "Ministry of Foreign Affairs of Japan"
    )
    page.get_by_label("How it was handed over").select_option("email")
    page.get_by_label("Handed over by").fill("The campaign team")
    screenshot(page, artifacts / "organiser-record-delivery.png", full_page=True)
    page.get_by_role("button", name="Record the delivery").click()
    page.wait_for_url(f"**/organiser/calls/{call_id}/deliveries")
    assert "The delivery to Japan is recorded." in page.get_by_role("status").inner_text()

    page.goto(f"{live_server.url}/petitions/{slug}")
    deliveries = page.locator("section.petition-exports table.deliveries")
    expect(deliveries).to_contain_text("Ministry of Foreign Affairs of Japan")
    expect(deliveries).to_contain_text("By email")
    expect(deliveries).to_contain_text(sha)
    assert "mofa.example.org" not in page.content()
    screenshot(deliveries, artifacts / "public-deliveries.png")
    assert errors == []

    # On a phone, in French, each delivery is a card whose lines never overlap.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/fr/petitions/{slug}")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px of sideways scrolling at 390px"
    spilling = page.locator("section.petition-exports table.deliveries tbody td").evaluate_all(
        "cells => cells.filter(c => c.scrollHeight > c.clientHeight + 1).map(c => c.dataset.label)"
    )
    assert spilling == [], f"these lines spill onto the next: {spilling}"
    screenshot(page.locator("section.petition-exports"), artifacts / "public-deliveries-fr.png")
