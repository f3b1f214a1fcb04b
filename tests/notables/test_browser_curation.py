"""An editor curates notable signatories in headless Chromium: signs in, adds people
with portraits, reorders them with the buttons (no JavaScript needed), and sees them
on the public page."""

from __future__ import annotations

import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from ..helpers.backoffice import sign_in_on_the_way
from ..helpers.browser import browser_errors, screenshot

pytestmark = pytest.mark.browser


def portrait(path, colour: str) -> str:
    image = Image.new("RGB", (900, 900), colour)
    ImageDraw.Draw(image).ellipse((250, 150, 650, 550), fill="#f1d2b6")
    image.save(path, format="PNG")
    return str(path)


def test_curate_notables_in_a_browser(live_server, page, organisers, artifacts, tmp_path):
    from campaign.extensions import db
    from campaign.petitions.cli import seed_demo

    with live_server.app.app_context():
        call, _ = seed_demo()
        db.session.commit()
        call_id, slug = call.id, call.slug

    errors = browser_errors(page)

    # Anonymous: to the sign-in page, then back where we were going.
    sign_in_on_the_way(
        page, live_server.url, f"/organiser/calls/{call_id}/notables", "editor@example.org"
    )
    expect(page.locator("h1")).to_have_text("Notable signatories")

    people = [
        ("Ada Example", "Mathematician", "#3a5a8c"),
        ("Grace Example", "Computer scientist", "#8c3a5a"),
    ]
    for name, title, colour in people:
        page.get_by_role("link", name="Add a person").click()
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Title or role").fill(title)
        page.get_by_label("Category").fill("Scientists")
        page.get_by_label("How consent to be featured was obtained").fill(
            "Agreed in writing, 1 May 2026."
        )
        page.get_by_label("Portrait or logo").set_input_files(
            portrait(tmp_path / f"{name}.png", colour)
        )
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(f"**/organiser/calls/{call_id}/notables")
        assert f"{name} is added." in page.get_by_role("status").inner_text()

    section = page.locator(
        "section.org-notables", has=page.get_by_role("heading", name="Scientists")
    )
    assert section.locator("tbody th").all_inner_texts()[0].startswith("Ada Example")
    section.get_by_role("button", name="Move Grace Example up").click()
    page.wait_for_url(re.compile(rf".*/organiser/calls/{call_id}/notables(#n\d+)?$"))
    section = page.locator(
        "section.org-notables", has=page.get_by_role("heading", name="Scientists")
    )
    names = [text.split("\n")[0] for text in section.locator("tbody th").all_inner_texts()]
    assert names == ["Grace Example", "Ada Example"]
    # The portraits show in the list (served from the database).
    assert section.locator("img.org-portrait").count() == 2
    screenshot(page, artifacts / "organiser-notables.png", full_page=True)

    page.goto(f"{live_server.url}/petitions/{slug}")
    public = page.locator("section.notables")
    heading = public.get_by_role("heading", name="Scientists")
    assert heading.count() == 1
    scientists = public.locator("h3:has-text('Scientists') + ul li .notable-name")
    assert scientists.all_inner_texts() == ["Grace Example", "Ada Example"]
    image = public.get_by_role("img", name="Grace Example")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [400, 400]
    heading.scroll_into_view_if_needed()
    screenshot(page, artifacts / "public-notables.png", full_page=True)
    assert errors == []
