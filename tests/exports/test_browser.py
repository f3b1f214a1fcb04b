"""A press officer finds the list from the call's page and downloads it, in headless Chromium."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from campaign.extensions import db

from ..helpers.browser import screenshot
from .helpers import NAMES, add_signature, reconcile

pytestmark = pytest.mark.browser


def test_press_officer_downloads_the_list_for_a_spreadsheet(live_server, page, artifacts):
    from campaign.petitions.cli import seed_demo

    with live_server.app.app_context():
        call, _created = seed_demo()
        db.session.commit()
        for i, name in enumerate(NAMES.values()):
            add_signature(call.id, name, country=["CH", "RU", "EG", "CN", "IN"][i])
        add_signature(call.id, "Hidden Person", public=False, email="hidden@example.org")
        db.session.commit()
        reconcile(call.id)

    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/petitions/call-to-governments")
    page.get_by_role("link", name="See the list of signatories").click()
    page.wait_for_url("**/signatories")
    expect(page.locator("h1")).to_have_text("Signatories")
    for name in NAMES.values():
        expect(page.get_by_text(name, exact=True)).to_be_visible()
    expect(page.get_by_text("And 1 other person who signed without being named.")).to_be_visible()
    screenshot(page, artifacts / "signatories.png", full_page=True)

    page.get_by_label("Search by name").fill("достоевский")
    page.get_by_role("button", name="Show").click()
    # The click only starts the navigation: wait for the results page itself.
    page.wait_for_url("**/signatories?q=*", wait_until="load")
    expect(page.get_by_text(NAMES["cyrillic"], exact=True)).to_be_visible()
    expect(page.get_by_text(NAMES["latin"], exact=True)).to_have_count(0)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV for spreadsheets").click()
    download = download_info.value
    assert download.suggested_filename == "call-to-governments-signatories.csv"
    data = download.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # so Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["kind", "name", "country_code"]
    assert {r[1] for r in rows if r[0] == "signatory"} == set(NAMES.values())
    assert b"hidden" not in data.lower() and b"@" not in data
    assert errors == []  # nothing the Content-Security-Policy refused
