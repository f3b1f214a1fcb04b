"""An editor writes the call in Spanish in headless Chromium: signs in, fills the form
beside the English text, previews it, saves it, and reads it on the Spanish page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete

from ..helpers.backoffice import sign_in_on_the_way
from ..helpers.browser import AXE, browser_errors, describe_violations, run_axe, screenshot

pytestmark = pytest.mark.browser

SPANISH_TITLE = "Gobiernos: protejan los hospitales de los ciberataques"


def test_write_a_spanish_translation_in_a_browser(live_server, page, organisers, artifacts):
    from campaign.extensions import db
    from campaign.models import PetitionTranslation
    from campaign.petitions.cli import seed_demo

    with live_server.app.app_context():
        call, _ = seed_demo()
        # The demo comes with Spanish; this editor writes it from nothing.
        db.session.execute(
            delete(PetitionTranslation).where(
                PetitionTranslation.petition_id == call.id, PetitionTranslation.language == "es"
            )
        )
        db.session.commit()
        call_id, slug = call.id, call.slug

    errors = browser_errors(page)

    sign_in_on_the_way(
        page, live_server.url, f"/organiser/calls/{call_id}/translations", "editor@example.org"
    )
    expect(page.locator("h1")).to_have_text("Translations")
    expect(page.locator("#lang-es")).to_contain_text("Not translated")
    expect(page.locator("#lang-fr")).to_contain_text("Up to date")

    page.get_by_role("link", name="Translate into Spanish").click()
    page.wait_for_url(f"**/organiser/calls/{call_id}/translations/es")
    expect(page.locator("h1")).to_have_text("Translation into Spanish")
    # The English text is beside the form for reference.
    expect(page.locator(".org-reference").first).to_contain_text(
        "Governments: stop the cyberattacks on healthcare"
    )
    page.get_by_label("Title", exact=True).fill(SPANISH_TITLE)
    page.get_by_label("Summary", exact=True).fill(
        "Los ciberataques ponen en peligro la atención sanitaria. Pida a los gobiernos que actúen."
    )
    page.get_by_label("Text of the call (Markdown)", exact=True).fill(
        "A los gobiernos del mundo:\n\nLes pedimos que **actúen ya** para proteger la salud."
    )
    page.get_by_label("Background (Markdown)", exact=True).fill(
        "Publicado por primera vez por el CyberPeace Institute el 26 de mayo de 2020."
    )
    # The main text says who runs the call: its translation is asked for too.
    page.get_by_label("About the organisation", exact=True).fill(
        "El CyberPeace Institute es una organización no gubernamental independiente con sede "
        "en Ginebra."
    )

    page.get_by_role("button", name="Preview").click()
    page.wait_for_url(f"**/organiser/calls/{call_id}/translations/es")
    preview = page.locator(".org-translation-preview")
    expect(preview.get_by_role("heading", name="Preview (not saved yet)")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("actúen ya")
    # What was typed is still in the form after the preview.
    expect(page.get_by_label("Title", exact=True)).to_have_value(SPANISH_TITLE)
    screenshot(page, artifacts / "organiser-translation-preview.png", full_page=True)
    problems = describe_violations("translation form", run_axe(page, AXE.read_text()))

    page.get_by_role("button", name="Save the translation").click()
    page.wait_for_url(f"**/organiser/calls/{call_id}/translations")
    expect(page.get_by_role("status")).to_contain_text("The Spanish translation is saved.")
    expect(page.locator("#lang-es")).to_contain_text("Up to date")
    screenshot(page, artifacts / "organiser-translations.png", full_page=True)
    problems += describe_violations("translations", run_axe(page, AXE.read_text()))
    page.locator("#lang-es").get_by_role("link", name="Delete the Spanish translation").click()
    page.wait_for_url(f"**/organiser/calls/{call_id}/translations/es/delete")
    expect(page.locator("h1")).to_have_text("Delete the Spanish translation?")
    problems += describe_violations("delete", run_axe(page, AXE.read_text()))
    assert problems == [], "\n".join(problems)
    page.get_by_role("link", name="Cancel").click()  # nothing deleted
    page.wait_for_url(f"**/organiser/calls/{call_id}/translations")

    page.goto(f"{live_server.url}/es/petitions/{slug}")
    heading = page.locator("h1")
    expect(heading).to_have_text(SPANISH_TITLE)
    expect(heading).not_to_have_attribute("lang", "en")
    expect(page.locator(".petition-text .prose strong").first).to_have_text("actúen ya")
    expect(page.locator('meta[property="og:title"]')).to_have_attribute("content", SPANISH_TITLE)
    screenshot(page, artifacts / "public-spanish-translation.png", full_page=True)
    # The English page still reads in English.
    page.goto(f"{live_server.url}/petitions/{slug}")
    expect(page.locator("h1")).to_have_text("Governments: stop the cyberattacks on healthcare")
    assert errors == []
