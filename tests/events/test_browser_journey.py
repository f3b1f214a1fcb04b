"""The journey a new visitor takes on a phone (390 px, real Chromium): register for the
launch, confirm from the email, get the calendar file and the link, cancel, and see the
place go to the next person waiting. No page scrolls sideways."""

from __future__ import annotations

import re

import icalendar
import pytest
from playwright.sync_api import expect

from ..helpers.events import ONLINE_URL, attachment, links_in, mail_to, make_event
from ..helpers.journey import local_path, send_outbox

PHONE = {"width": 390, "height": 844}
pytestmark = pytest.mark.browser


def _no_sideways_scroll(page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width} px wide"


def _register(page, base: str, name: str, email: str) -> None:
    page.goto(f"{base}/events/launch")
    _no_sideways_scroll(page, "event")
    page.locator("#name").fill(name)
    page.locator("#email").fill(email)
    page.locator("#country").select_option("CH")
    page.locator("#consent").check()
    page.locator(".sign-form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/events/launch/check-email"))
    _no_sideways_scroll(page, "check-email")


def _confirm_from_email(page, app, smtp, base: str, email: str):
    send_outbox(app)
    request = mail_to(smtp, email)[-1]
    page.goto(base + local_path(links_in(request, "confirm")[0]))
    _no_sideways_scroll(page, "confirm")
    page.get_by_role("button", name="Confirm my registration").click()
    page.wait_for_url(re.compile(r".*/events/registration/"))
    _no_sideways_scroll(page, "registration")
    send_outbox(app)
    return mail_to(smtp, email)[-1]


def test_register_confirm_cancel_and_the_next_person_gets_the_place(live_server, browser, smtp):
    app = live_server.app
    make_event(app, capacity=1)
    base = live_server.url
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        _register(page, base, "Ada Lovelace", "ada@example.org")
        place = _confirm_from_email(page, app, smtp, base, "ada@example.org")
        expect(page.locator("main")).to_contain_text("You have a place.")
        expect(page.locator("main")).to_contain_text(ONLINE_URL)
        assert ONLINE_URL in place.get_body(("plain",)).get_content()
        ics = icalendar.Calendar.from_ical(attachment(place).get_content())
        assert str(ics.walk("VEVENT")[0]["LOCATION"]) == ONLINE_URL
        own_page = page.url

        # Someone else finds it full and joins the waiting list.
        other = browser.new_context(viewport=PHONE).new_page()
        other.goto(f"{base}/events/launch")
        expect(other.locator("main")).to_contain_text("Join the waiting list")
        _register(other, base, "Bob Babbage", "bob@example.org")
        waiting = _confirm_from_email(other, app, smtp, base, "bob@example.org")
        assert "waiting list" in waiting["Subject"]
        expect(other.locator("main")).to_contain_text("You are on the waiting list")
        expect(other.locator("main")).not_to_contain_text(ONLINE_URL)

        # Ada cancels from the link in her email; Bob gets the place and the email.
        page.goto(own_page)
        page.get_by_role("button", name="Cancel my registration").click()
        expect(page.locator("main")).to_contain_text("Your registration is cancelled")
        _no_sideways_scroll(page, "cancelled")
        send_outbox(app)
        promoted = mail_to(smtp, "bob@example.org")[-1]
        assert "place has been freed" in promoted.get_body(("plain",)).get_content()
        assert attachment(promoted) is not None
        other.reload()
        expect(other.locator("main")).to_contain_text("You have a place.")
        expect(other.locator("main")).to_contain_text(ONLINE_URL)
        other.goto(f"{base}/events/launch")
        expect(other.locator("main")).to_contain_text("1 person registered")
        expect(other.locator("main")).not_to_contain_text(ONLINE_URL)
    finally:
        context.close()
