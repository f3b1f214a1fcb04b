"""What the public reads of the notables in French and Spanish: their titles and categories
on the call's page, the signatories page, the JSON and a government's letter, each in the
reader's language where editors translated it and as written (marked) where not; and the
call's "who runs this call" text likewise."""

from __future__ import annotations

import re

from sqlalchemy import delete, update

from campaign import demo_content
from campaign.extensions import db
from campaign.models import NotableTranslation, PetitionTranslation

from ..letters.helpers import content
from .helpers import notable_id, without_notable_translations

WALESA_EN = "Former President of Poland, Nobel Peace Prize laureate"
WALESA = {
    "fr": "Ancien président de la Pologne, lauréat du prix Nobel de la paix",
    "es": "Expresidente de Polonia, premio Nobel de la Paz",
}
LAUREATES = {"fr": "Lauréats du prix Nobel de la paix", "es": "Premios Nobel de la Paz"}


def notables_section(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    return re.search(r'<section class="notables".*?</section>', page.get_data(as_text=True), re.S)[
        0
    ]


def test_the_demo_calls_page_names_its_first_signatories_in_french_and_spanish(client, petition):
    english_titles = {person["title"] for person in demo_content.NOTABLE_SIGNATORIES}
    for language in ("fr", "es"):
        section = notables_section(client, f"/{language}/petitions/{petition['slug']}")
        # In the page's language: no lang attribute.
        assert f"<h3>{LAUREATES[language]}</h3>" in section
        assert f'<span class="notable-title">{WALESA[language]}</span>' in section
        assert not [title for title in english_titles if title in section]
        assert 'lang="en"' not in section
    english = notables_section(client, f"/petitions/{petition['slug']}")
    assert "<h3>Nobel Peace Prize laureate</h3>" in english
    assert f'<span class="notable-title">{WALESA_EN}</span>' in english


def test_who_runs_the_call_reads_in_the_pages_language(app, client, petition):
    slug = petition["slug"]
    for language in ("fr", "es"):
        blurb = demo_content.TRANSLATIONS[language]["organisation_blurb"]
        page = client.get(f"/{language}/petitions/{slug}").get_data(as_text=True)
        assert f"<span>{blurb}</span>" in page
    # A translation saved before the text could be translated has none: the page shows
    # the main one, marked as English.
    with app.app_context():
        db.session.execute(
            update(PetitionTranslation)
            .where(PetitionTranslation.language == "fr")
            .values(organisation_blurb="")
        )
        db.session.commit()
    page = client.get(f"/fr/petitions/{slug}").get_data(as_text=True)
    assert f'<span lang="en">{demo_content.CALL["organisation_blurb"]}</span>' in page
    # Without a French translation at all, the same.
    with app.app_context():
        db.session.execute(delete(PetitionTranslation).where(PetitionTranslation.language == "fr"))
        db.session.commit()
    page = client.get(f"/fr/petitions/{slug}").get_data(as_text=True)
    assert f'<span lang="en">{demo_content.CALL["organisation_blurb"]}</span>' in page


def test_without_a_translation_a_title_is_shown_as_written_and_marked(app, client, petition):
    with app.app_context():
        db.session.execute(
            delete(NotableTranslation).where(
                NotableTranslation.notable_id == notable_id(app, "Lech Wałęsa"),
                NotableTranslation.language == "fr",
            )
        )
        db.session.commit()
    section = notables_section(client, f"/fr/petitions/{petition['slug']}")
    assert f'<span class="notable-title" lang="en">{WALESA_EN}</span>' in section
    # The others are still French, and the Spanish page is untouched.
    assert "Ancien président de la Colombie, lauréat du prix Nobel de la paix" in section
    assert WALESA["es"] in notables_section(client, f"/es/petitions/{petition['slug']}")

    without_notable_translations(app)
    section = notables_section(client, f"/fr/petitions/{petition['slug']}")
    assert '<h3 lang="en">Nobel Peace Prize laureate</h3>' in section
    assert LAUREATES["fr"] not in section


def test_the_signatories_page_and_the_json_follow_the_language(client, petition):
    slug = petition["slug"]
    page = client.get(f"/es/petitions/{slug}/signatories").get_data(as_text=True)
    assert f'<span class="signatory-title">{WALESA["es"]}</span>' in page
    data = client.get(f"/fr/petitions/{slug}.json").json
    [walesa] = [n for n in data["notable_signatories"] if n["name"] == "Lech Wałęsa"]
    assert (walesa["title"], walesa["category"]) == (WALESA["fr"], LAUREATES["fr"])
    data = client.get(f"/petitions/{slug}.json").json
    [walesa] = [n for n in data["notable_signatories"] if n["name"] == "Lech Wałęsa"]
    assert (walesa["title"], walesa["category"]) == (WALESA_EN, "Nobel Peace Prize laureate")


def test_a_letter_gives_the_first_signatories_titles_in_its_language(app, petition):
    french = content(app, petition["id"], "fr").first_signatories
    titles = {person.name: person.title for person in french.people}
    assert titles["Lech Wałęsa"] == WALESA["fr"]
    assert titles["Brad Smith"] == "Président de Microsoft"
    spanish = content(app, petition["id"], "es", "ES").first_signatories
    assert {p.name: p.title for p in spanish.people}["Lech Wałęsa"] == WALESA["es"]
    english = content(app, petition["id"], "en", "DE").first_signatories
    assert {p.name: p.title for p in english.people}["Lech Wałęsa"] == WALESA_EN

    # Untranslated: the title as written.
    without_notable_translations(app)
    french = content(app, petition["id"], "fr").first_signatories
    assert {p.name: p.title for p in french.people}["Lech Wałęsa"] == WALESA_EN
