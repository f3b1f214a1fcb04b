"""A newsletter's link in headless Chromium: the reader signs from it and confirms, and an
editor on a phone reads on the dashboard where the signature came from."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaign.extensions import db
from campaign.mail.worker import send_batch
from campaign.petitions.cli import seed_demo

from ..helpers.backoffice import sign_in_on_the_way
from ..helpers.browser import AXE, browser_errors, describe_violations, run_axe, screenshot

pytestmark = pytest.mark.browser


def test_a_newsletter_reader_signs_and_the_dashboard_says_so(
    live_server, browser, page, smtp, organisers, artifacts
):
    with live_server.app.app_context():
        call, _created = seed_demo()
        db.session.commit()
        call_id = call.id
    errors = browser_errors(page)
    page.goto(f"{live_server.url}/petitions/call-to-governments?ref=newsletter-june")
    page.get_by_label("Full name").fill("Wangari Maathai")
    page.get_by_label("Email address").fill("wangari@example.org")
    page.get_by_label("Country of residence").select_option("KE")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Sign the call").click()
    page.wait_for_url("**/check-email?s=*")
    assert page.context.cookies() == []  # the ref went through the form, not a cookie
    with live_server.app.app_context():
        assert send_batch().sent == 1
    text = smtp.messages[-1].get_body(("plain",)).get_content()
    [link] = [w for w in text.split() if w.startswith(f"{live_server.url}/petitions/confirm/")]
    page.goto(link)
    page.get_by_role("button", name="Confirm my signature").click()
    page.wait_for_url("**/thank-you")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    editor = phone.new_page()
    path = f"/organiser/calls/{call_id}"
    sign_in_on_the_way(editor, live_server.url, path, organisers["editor"]["email"])

    def cells(table: str, row: str):
        found = editor.get_by_role("table", name=table).get_by_role("row", name=row, exact=True)
        return expect(found.get_by_role("cell"))

    cells("By link", "newsletter-june 1 1 100.0%").to_have_text(["1", "1", "100.0%"])
    cells("By link", "Direct (no ref) 0 0 —").to_have_text(["0", "0", "—"])
    cells("By partner", "Total 1 1 100.0%").to_have_text(["1", "1", "100.0%"])
    sideways = editor.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert sideways <= 0, f"the dashboard scrolls {sideways} px sideways on a phone"
    editor.locator("#sources-heading").scroll_into_view_if_needed()
    screenshot(editor, artifacts / "dashboard-sources-phone.png", full_page=True)
    violations = run_axe(editor, AXE.read_text())
    assert violations == [], "\n".join(describe_violations("the dashboard", violations))
    phone.close()
    assert errors == []
