"""On a phone (390 px), in headless Chromium over HTTP: an administrator invites an
organiser, who opens the emailed link and chooses a password; someone who forgot theirs
asks for a link and resets it. Each page passes axe and never scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..helpers.backoffice import sign_in_on_the_way
from ..helpers.browser import (
    AXE,
    browser_errors,
    describe_violations,
    email_overflow,
    run_axe,
    screenshot,
)
from ..helpers.journey import send_outbox
from .helpers import NEW_PASSWORD, link_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _check(page, where: str, artifacts, name: str) -> None:
    violations = run_axe(page, AXE.read_text())
    assert violations == [], "\n".join(describe_violations(where, violations))
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"{where} scrolls sideways by {wide} px"
    screenshot(page, str(artifacts / f"team-{name}.png"), full_page=True)


def _mail_to(live_server, smtp, address: str):
    send_outbox(live_server.app)
    [message] = [m for m in smtp.messages if address in m["To"]]
    return message


def test_an_invitation_on_a_phone(live_server, browser, organisers, smtp, artifacts):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors = browser_errors(page)
    sign_in_on_the_way(page, live_server.url, "/organiser/accounts", organisers["admin"]["email"])
    page.get_by_role("link", name="Invite an organiser").click()
    _check(page, "the invitation form", artifacts, "invite")
    page.get_by_label("Email address").fill("grace.hopper@example.org")
    page.get_by_label("Name (optional)").fill("Grace")
    page.get_by_label("Role").select_option("editor")
    page.get_by_role("button", name="Send the invitation").click()
    expect(
        page.get_by_text("The invitation to grace.hopper@example.org is on its way.")
    ).to_be_visible()
    _check(page, "the invited account", artifacts, "invited-account")
    context.close()

    message = _mail_to(live_server, smtp, "grace.hopper@example.org")
    link = link_in(message, "invitation")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    # The email fits a phone too (its long link breaks rather than widening it).
    assert email_overflow(page, message.get_body(("html",)).get_content(), 320) <= 0
    errors += browser_errors(page)
    page.goto(live_server.url + link)
    expect(page.locator("h1")).to_have_text("Choose your password")
    _check(page, "the invitation's page", artifacts, "choose-password")
    page.get_by_label("New password").fill("too short")
    page.get_by_label("The same password again").fill("too short")
    page.get_by_role("button", name="Set the password and sign in").click()
    expect(page.locator("#error-summary")).to_be_visible()
    _check(page, "the invitation's page with errors", artifacts, "choose-password-errors")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("The same password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the password and sign in").click()
    page.wait_for_url("**/organiser/")
    expect(page.get_by_text("Your password is set and you are signed in.")).to_be_visible()
    expect(page.get_by_text("Grace · Editor")).to_be_visible()
    context.close()
    assert errors == []


def test_a_forgotten_password_on_a_phone(live_server, browser, organisers, smtp, artifacts):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors = browser_errors(page)
    page.goto(live_server.url + "/organiser/sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    _check(page, "the forgotten password form", artifacts, "forgot")
    page.get_by_label("Email address").fill("editor@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(
        page.get_by_text("If an account exists for this address, we've sent a link")
    ).to_be_visible()
    _check(page, "the link-sent page", artifacts, "link-sent")

    message = _mail_to(live_server, smtp, "editor@example.org")
    link = link_in(message, "reset-password")
    # On a blank page: one of the site's would keep its CSP, which blocks the inline styles.
    blank = context.new_page()
    assert email_overflow(blank, message.get_body(("html",)).get_content(), 320) <= 0
    blank.close()
    page.goto(live_server.url + link)
    expect(page.locator("h1")).to_have_text("Choose a new password")
    _check(page, "the reset page", artifacts, "reset")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("The same password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the password and sign in").click()
    page.wait_for_url("**/organiser/")
    expect(page.get_by_text("Your new password is set.")).to_be_visible()
    # Used once: opening it again says so.
    page.goto(live_server.url + link)
    expect(page.get_by_text("This link has already been used.")).to_be_visible()
    _check(page, "the used link", artifacts, "link-used")
    context.close()
    # The used link answers 410 Gone, which Chromium reports: expected, nothing else.
    assert [e for e in errors if "status of 410" not in e] == []
