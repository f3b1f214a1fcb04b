"""A signer on a phone (390 px): confirms, downloads the receipt from the thank-you page, and
checks it on the verify page once a delivery is recorded; axe finds nothing on either page."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from campaign.mail.worker import send_batch

from ..helpers.browser import AXE, browser_errors, describe_violations, run_axe, screenshot
from .test_receipts import deliver

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_receipt_on_a_phone(live_server, page, smtp, artifacts, tmp_path):
    from campaign.extensions import db
    from campaign.petitions.cli import seed_demo

    app = live_server.app
    with app.app_context():
        seed_demo()
        db.session.commit()
    axe = AXE.read_text(encoding="utf-8")
    errors = browser_errors(page)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/petitions/call-to-governments")
    page.get_by_label("Full name").fill("Wangari Maathai")
    page.get_by_label("Email address").fill("wangari@example.org")
    page.get_by_label("Country of residence").select_option("CH")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Sign the call").click()
    page.wait_for_url(re.compile(r".*/check-email"))
    with app.app_context():
        assert send_batch().sent == 1
    text = smtp.messages[-1].get_body(("plain",)).get_content()
    [link] = [w for w in text.split() if w.startswith(f"{live_server.url}/petitions/confirm/")]
    page.goto(link)
    page.get_by_role("button", name="Confirm my signature").click()
    page.wait_for_url("**/thank-you")

    expect(page.get_by_role("heading", name="Your receipt")).to_be_visible()
    assert overflow(page) <= 0
    assert describe_violations("thank-you", run_axe(page, axe)) == []
    screenshot(page, artifacts / "receipt-thank-you-390.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my receipt").click()
    saved = tmp_path / "receipt.json"
    download.value.save_as(saved)
    receipt = json.loads(saved.read_text())
    assert receipt["country"] == "CH" and len(receipt["secret"]) == 64

    deliver(app, tmp_path)
    page.goto(f"{live_server.url}/petitions/call-to-governments/verify")
    assert describe_violations("verify", run_axe(page, axe)) == []
    page.get_by_label("Or choose the receipt file").set_input_files(str(saved))
    page.get_by_role("button", name="Check my receipt").click()
    result = page.get_by_role("status")
    expect(result).to_contain_text("included: leaf 1 of 1.")
    assert overflow(page) <= 0
    assert describe_violations("verify result", run_axe(page, axe)) == []
    screenshot(page, artifacts / "receipt-verify-390.png", full_page=True)
    assert errors == []
