"""A person signs and confirms in headless Chromium, reading the mail as it arrives."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from campaign.mail.worker import send_batch

from ..helpers.browser import browser_errors, screenshot

pytestmark = pytest.mark.browser


def deliver(server) -> None:
    with server.app.app_context():
        assert send_batch().sent >= 1


def test_sign_and_confirm_in_a_browser(live_server, page, smtp, artifacts):
    from campaign.extensions import db
    from campaign.petitions.cli import seed_demo

    with live_server.app.app_context():
        seed_demo()
        db.session.commit()

    errors = browser_errors(page)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Read and sign the call").click()
    page.wait_for_url("**/petitions/call-to-governments")
    expect(page.locator("h1")).to_have_text("Governments: stop the cyberattacks on healthcare")
    screenshot(page, artifacts / "petition-page.png", full_page=True)

    # Sending the empty form shows the errors, linked to their fields.
    page.get_by_role("button", name="Sign the call").click()
    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    summary.get_by_role("link", name="Please enter your name.").click()
    assert page.evaluate("document.activeElement.id") == "name"
    screenshot(page, artifacts / "sign-form-errors.png", full_page=True)

    page.get_by_label("Full name").fill("Wangari Maathai")
    page.get_by_label("Email address").fill("wangari@example.org")
    page.get_by_label("Country of residence").select_option("KE")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_label("Show my name on the public list").check()
    page.get_by_role("button", name="Sign the call").click()
    page.wait_for_url(re.compile(r".*/check-email\?s=[^#]+#main$"))
    assert "Check your email" in page.locator("h1").inner_text()
    expect(page.locator(".lede")).to_contain_text("wangari@example.org")
    screenshot(page, artifacts / "check-email.png", full_page=True)

    deliver(live_server)
    mail = smtp.messages[-1]
    assert mail["To"] == "Wangari Maathai <wangari@example.org>"
    [link] = links_in_live(mail, live_server.url)
    page.goto(link)
    assert "Confirm your signature" in page.locator("h1").inner_text()
    screenshot(page, artifacts / "confirm.png", full_page=True)
    page.get_by_role("button", name="Confirm my signature").click()
    page.wait_for_url("**/thank-you")
    assert "confirmed" in page.locator("h1").inner_text()
    expect(page.locator(".count-number")).to_have_text("1")
    assert page.get_by_role("link", name="WhatsApp").count() == 1
    screenshot(page, artifacts / "thank-you.png", full_page=True)

    count = page.request.get(f"{live_server.url}/petitions/call-to-governments/count.json")
    assert count.json() == {"signature_count": 1}
    # No CSP violation or script error on the way (Chrome also notes the form's 422 answer).
    assert [e for e in errors if "status of 422" not in e] == []


def links_in_live(mail, base_url: str) -> list[str]:
    """The confirmation link, pointing at the live server (BASE_URL)."""
    text = mail.get_body(("plain",)).get_content()
    return [word for word in text.split() if word.startswith(f"{base_url}/petitions/confirm/")]
