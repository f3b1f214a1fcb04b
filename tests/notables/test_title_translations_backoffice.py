"""Editors translate the notables' titles and categories, all of a call's on one page per
language, through the back office over HTTP: saving, "out of date" after the English
title changes, changes made meanwhile, hostile input, and who may do it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.models import (
    AuditEntry,
    NotableCategoryTranslation,
    NotableSignatory,
    NotableTranslation,
)
from campaign.notables.forms import category_field_name

from ..helpers.backoffice import csrf_token
from .helpers import (
    audit_entries,
    category_field,
    notable_id,
    page_fields,
    stored_categories,
    stored_titles,
    title_field,
    translation_urls,
    without_notable_translations,
)

WALESA_EN = "Former President of Poland, Nobel Peace Prize laureate"
WALESA_FR = "Ancien président de la Pologne, lauréat du prix Nobel de la paix"


def served(client, url: str) -> tuple[str, dict[str, str]]:
    page = client.get(url)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    return html, page_fields(html)


def row_of(html: str, name: str) -> str:
    """The part of the form page about one notable: from its label to the next field."""
    return re.search(rf">{re.escape(name)}</label>.*?</div>", html, re.S)[0]


def edit_english_title(app, client, name: str, title: str) -> None:
    """An editor changes a notable's title through its own form."""
    with app.app_context():
        notable = db.session.get(NotableSignatory, notable_id(app, name))
        url = f"/organiser/calls/{notable.petition_id}/notables/{notable.id}/edit"
        data = {
            "name": notable.name,
            "title": title,
            "organisation": notable.organisation,
            "country": notable.country,
            "category": notable.category,
            "url": notable.url,
            "consent_note": notable.consent_note,
            "visible": "y",
        }
    data["csrf_token"] = csrf_token(client, url)
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)


def test_an_editor_translates_titles_and_categories_on_one_page(app, client, as_role, petition):
    without_notable_translations(app)
    editor, url = as_role("editor"), translation_urls(petition)
    listing = editor.get(url["list"]).get_data(as_text=True)
    french = re.search(r'<tr id="lang-fr">.*?</tr>', listing, re.S)[0]
    assert "0 of 16" in french and "0 of 6" in french
    assert 'id="lang-en"' not in listing  # the call's own language

    html, data = served(editor, url["edit"])
    # Every notable with a title, beside its English title (marked as English).
    assert html.count('<span class="tag tag--bad">Not translated</span>') == 16
    assert f'<span lang="en">{WALESA_EN}</span>' in row_of(html, "Lech Wałęsa")
    assert re.search(rf'name="{title_field(app, "Lech Wałęsa")}"[^>]*lang="fr"', html) or re.search(
        rf'lang="fr"[^>]*name="{title_field(app, "Lech Wałęsa")}"', html
    )

    data[title_field(app, "Lech Wałęsa")] = (
        "  Ancien président de la Pologne,   lauréat du prix Nobel de la paix "
    )
    data[title_field(app, "Brad Smith")] = "Président de Microsoft"
    data[category_field(html, "Nobel Peace Prize laureate")] = "Prix Nobel de la paix"
    response = editor.post(url["edit"], data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == url["list"]

    assert stored_titles(app, "fr") == {
        "Lech Wałęsa": (WALESA_FR, WALESA_EN),
        "Brad Smith": ("Président de Microsoft", "President of Microsoft"),
    }
    assert stored_categories(app, "fr") == {"Nobel Peace Prize laureate": "Prix Nobel de la paix"}
    assert stored_titles(app, "es") == {}

    page = client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)
    assert f'<span class="notable-title">{WALESA_FR}</span>' in page
    assert "<h3>Prix Nobel de la paix</h3>" in page
    # Not translated yet: as written, marked as English.
    assert '<span class="notable-title" lang="en">Former President of Mexico</span>' in page
    assert '<h3 lang="en">Industry</h3>' in page

    french = re.search(
        r'<tr id="lang-fr">.*?</tr>', editor.get(url["list"]).get_data(as_text=True), re.S
    )[0]
    assert "2 of 16" in french and "1 of 6" in french
    entries = audit_entries(app, "translate_notable_title", "translate_notable_category")
    assert [e.action for e in entries].count("translate_notable_title") == 2
    walesa = next(e for e in entries if e.target_id == str(notable_id(app, "Lech Wałęsa")))
    assert walesa.changes == {
        "language": "fr",
        "title": {"before": None, "after": WALESA_FR},
        "source_title": {"before": None, "after": WALESA_EN},
    }
    [category] = [e for e in entries if e.action == "translate_notable_category"]
    assert category.changes["name"] == {"before": None, "after": "Prix Nobel de la paix"}

    # Saving again unchanged records nothing; emptying a field removes the translation.
    html, data = served(editor, url["edit"])
    assert editor.post(url["edit"], data=data).status_code == 303
    assert len(audit_entries(app, "translate_notable_title", "translate_notable_category")) == 3
    data[title_field(app, "Brad Smith")] = ""
    assert editor.post(url["edit"], data=data).status_code == 303
    assert "Brad Smith" not in stored_titles(app, "fr")
    page = client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)
    assert '<span class="notable-title" lang="en">President of Microsoft</span>' in page


def test_changing_the_english_title_marks_its_translations_out_of_date(
    app, client, as_role, petition
):
    editor, url = as_role("editor"), translation_urls(petition)
    new_title = "Former President of Poland, Nobel Peace Prize laureate 1983"
    edit_english_title(app, editor, "Lech Wałęsa", new_title)

    listing = editor.get(url["list"]).get_data(as_text=True)
    for language in ("fr", "es"):
        row = re.search(rf'<tr id="lang-{language}">.*?</tr>', listing, re.S)[0]
        assert '<span class="tag tag--warn">1</span>' in row
    html, data = served(editor, url["edit"])
    walesa = row_of(html, "Lech Wałęsa")
    assert "Out of date" in walesa
    assert f'<span lang="en">{new_title}</span>' in walesa
    assert f'Translated from: <span lang="en">{WALESA_EN}</span>' in walesa
    assert html.count("Out of date") == 1 and "One title changed" in html
    # The message at the top leads to the field.
    assert f'<a href="#{title_field(app, "Lech Wałęsa")}">Lech Wałęsa</a>' in html
    # The public page keeps the French meanwhile.
    assert WALESA_FR in client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)

    # Saved untouched and not confirmed: still out of date.
    assert editor.post(url["edit"], data=data).status_code == 303
    assert stored_titles(app, "fr")["Lech Wałęsa"] == (WALESA_FR, WALESA_EN)
    # Confirmed as still right: up to date, written from the new title.
    html, data = served(editor, url["edit"])
    data[f"confirm_{notable_id(app, 'Lech Wałęsa')}"] = "y"
    assert editor.post(url["edit"], data=data).status_code == 303
    assert stored_titles(app, "fr")["Lech Wałęsa"] == (WALESA_FR, new_title)
    assert "Out of date" not in editor.get(url["edit"]).get_data(as_text=True)
    [entry] = audit_entries(app, "translate_notable_title")
    assert entry.changes == {
        "language": "fr",
        "source_title": {"before": WALESA_EN, "after": new_title},
    }

    # In Spanish, correcting the text is enough.
    es = translation_urls(petition, "es")
    html, data = served(editor, es["edit"])
    data[title_field(app, "Lech Wałęsa")] = "Expresidente de Polonia, premio Nobel de la Paz 1983"
    assert editor.post(es["edit"], data=data).status_code == 303
    assert stored_titles(app, "es")["Lech Wałęsa"][1] == new_title


def test_a_renamed_category_loses_its_translation(app, client, as_role, petition):
    editor, url = as_role("editor"), translation_urls(petition)
    with app.app_context():
        db.session.execute(
            NotableSignatory.__table__.update()
            .where(NotableSignatory.category == "Industry")
            .values(category="Business")
        )
        db.session.commit()
    page = client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)
    assert '<h3 lang="en">Business</h3>' in page and "Entreprises" not in page
    html, data = served(editor, url["edit"])
    data[category_field(html, "Business")] = "Entreprises"
    assert editor.post(url["edit"], data=data).status_code == 303
    names = stored_categories(app, "fr")
    assert names["Business"] == "Entreprises" and "Industry" not in names  # unused: gone
    assert "<h3>Entreprises</h3>" in client.get(f"/fr/petitions/{petition['slug']}").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("walesa", "x" * 301, "Lech Wałęsa: Field cannot be longer than 300 characters."),
        ("walesa", "Ancien président\r\nde la Pologne", "Lech Wałęsa: Please use letters"),
        ("walesa", "Ancien\x00président", "Lech Wałęsa: Please use letters"),
        ("walesa", "Ancien \u2028président", "Lech Wałęsa: Please use letters"),
        (
            "laureates",
            "p" * 101,
            "Nobel Peace Prize laureate: Field cannot be longer than 100 characters.",
        ),
        ("laureates", "Prix\x07Nobel", "Nobel Peace Prize laureate: Please use letters"),
    ],
)
def test_hostile_input_gets_a_clear_message_and_writes_nothing(
    app, as_role, petition, field, value, message
):
    editor, url = as_role("editor"), translation_urls(petition)
    titles_before, categories_before = stored_titles(app, "fr"), stored_categories(app, "fr")
    html, data = served(editor, url["edit"])
    # A valid change beside the bad one: it must not be saved alone.
    data[title_field(app, "Brad Smith")] = "Président du conseil de Microsoft"
    name = (
        title_field(app, "Lech Wałęsa")
        if field == "walesa"
        else category_field(html, "Nobel Peace Prize laureate")
    )
    data[name] = value
    response = editor.post(url["edit"], data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and message in page
    assert f'href="#{name}"' in page  # the summary links to the field
    assert stored_titles(app, "fr") == titles_before
    assert stored_categories(app, "fr") == categories_before
    assert audit_entries(app, "translate_notable_title", "translate_notable_category") == []


def test_only_the_calls_own_notables_and_languages_can_be_written(app, as_role, petition):
    """A field named after another call's notable is ignored; the call's own language and
    languages the site lacks have no page."""
    from campaign.models import Petition

    with app.app_context():
        other = Petition(slug="other-call", title="Another call", language="en")
        db.session.add(other)
        db.session.flush()
        stranger = NotableSignatory(
            petition_id=other.id, name="Someone Else", title="Mayor", category="Cities"
        )
        db.session.add(stranger)
        db.session.commit()
        stranger_id = stranger.id
    editor, url = as_role("editor"), translation_urls(petition)
    _html, data = served(editor, url["edit"])
    data[f"title_{stranger_id}"] = "Maire"
    data[category_field_name("Cities")] = "Villes"
    assert editor.post(url["edit"], data=data).status_code == 303
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(NotableTranslation)
                .where(NotableTranslation.notable_id == stranger_id)
            )
            == 0
        )
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(NotableCategoryTranslation)
                .where(NotableCategoryTranslation.name == "Villes")
            )
            == 0
        )
    for language in ("en", "de", "xx"):
        assert editor.get(translation_urls(petition, language)["edit"]).status_code == 404


def test_changes_made_meanwhile_are_shown_before_saving(app, as_role, petition):
    editor, admin, url = as_role("editor"), as_role("admin"), translation_urls(petition)
    _html, stale = served(editor, url["edit"])  # the translator opens the page ...
    stale[title_field(app, "Brad Smith")] = "Président de Microsoft Corporation"
    edit_english_title(app, admin, "Brad Smith", "Vice Chair and President of Microsoft")
    response = editor.post(url["edit"], data=stale)  # ... and saves after the change
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "changed while you were translating" in page
    assert "Vice Chair and President of Microsoft" in page  # the page shows the new title
    assert "Président de Microsoft Corporation" in page  # and keeps what they typed
    assert stored_titles(app, "fr")["Brad Smith"][0] == "Président de Microsoft"
    # Saving again, with the page as it now stands, goes through.
    again = page_fields(page)
    assert editor.post(url["edit"], data=again).status_code == 303
    assert stored_titles(app, "fr")["Brad Smith"] == (
        "Président de Microsoft Corporation",
        "Vice Chair and President of Microsoft",
    )

    # Another editor saved the language meanwhile.
    _html, mine = served(editor, url["edit"])
    _html, theirs = served(admin, url["edit"])
    theirs[title_field(app, "Brad Smith")] = "Vice-président et président de Microsoft"
    assert admin.post(url["edit"], data=theirs).status_code == 303
    response = editor.post(url["edit"], data=mine)
    assert response.status_code == 409
    assert "Someone else saved translations" in response.get_data(as_text=True)
    assert stored_titles(app, "fr")["Brad Smith"][0] == "Vice-président et président de Microsoft"


def test_removing_a_notable_removes_its_translations(app, as_role, petition):
    editor = as_role("editor")
    walesa = notable_id(app, "Lech Wałęsa")
    page = f"/organiser/calls/{petition['id']}/notables"
    response = editor.post(f"{page}/{walesa}/delete", data={"csrf_token": csrf_token(editor, page)})
    assert response.status_code == 303
    with app.app_context():
        left = db.session.scalar(
            select(func.count())
            .select_from(NotableTranslation)
            .where(NotableTranslation.notable_id == walesa)
        )
    assert left == 0
    assert "Lech Wałęsa" not in stored_titles(app, "es")


def test_editors_and_administrators_may_translate_moderators_may_not(app, as_role, petition):
    url = translation_urls(petition)
    for role in ("editor", "admin"):
        assert as_role(role).get(url["edit"]).status_code == 200
        assert as_role(role).get(url["list"]).status_code == 200

    moderator = as_role("moderator")
    for path in url.values():
        assert moderator.get(path).status_code == 403
    token = csrf_token(moderator, "/organiser/")
    data = {"csrf_token": token, title_field(app, "Lech Wałęsa"): "Piraté"}
    assert moderator.post(url["edit"], data=data).status_code == 403
    assert stored_titles(app, "fr")["Lech Wałęsa"][0] == WALESA_FR

    anonymous = as_role(None)
    for path in url.values():
        response = anonymous.get(path)
        assert response.status_code == 302
        assert response.headers["Location"] == f"/organiser/sign-in?next={path}"
    assert anonymous.post(url["edit"], data=data).status_code in (302, 400)
    assert stored_titles(app, "fr")["Lech Wałęsa"][0] == WALESA_FR
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_a_post_without_the_session_token_is_refused(app, as_role, petition):
    editor, url = as_role("editor"), translation_urls(petition)
    _html, data = served(editor, url["edit"])
    data["csrf_token"] = "forged"
    data[title_field(app, "Lech Wałęsa")] = "Piraté"
    assert editor.post(url["edit"], data=data).status_code == 400
    assert stored_titles(app, "fr")["Lech Wałęsa"][0] == WALESA_FR


def test_the_pages_link_to_each_other_for_editors(as_role, petition):
    editor, url = as_role("editor"), translation_urls(petition)
    notables = editor.get(f"/organiser/calls/{petition['id']}/notables").get_data(as_text=True)
    assert url["list"] in notables
    translations = editor.get(f"/organiser/calls/{petition['id']}/translations")
    assert url["list"] in translations.get_data(as_text=True)
    assert url["edit"] in editor.get(url["list"]).get_data(as_text=True)
