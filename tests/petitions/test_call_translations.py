"""Organisers write the call's own text in other languages; the public pages follow.

Through the test client over HTTP against the real database: adding, previewing,
editing and deleting a translation, validation, "out of date" after the main text
changes, edits made meanwhile, who may do it, and the audit log.
"""

from __future__ import annotations

import hashlib
import json
import re
import time

import pytest
from sqlalchemy import delete, func, select

from campaign.extensions import db
from campaign.models import AuditEntry, Petition, PetitionTranslation
from campaign.petitions.services import TRANSLATED_FIELDS, text_digest

from ..helpers.backoffice import call_form, csrf_token

FRENCH = {
    "title": "Protégez les hôpitaux des cyberattaques",
    "summary": "Les hôpitaux sont attaqués ; demandez aux gouvernements d’agir.",
    "body_markdown": "Nous demandons aux **gouvernements** d’agir.\n\n- Protéger\n- Poursuivre",
    "background_markdown": "Publié pour la première fois le 26 mai 2020.",
    "organisation_blurb": "Une organisation indépendante basée à Genève.",
}


def urls(petition: dict, language: str = "fr") -> dict[str, str]:
    base = f"/organiser/calls/{petition['id']}/translations"
    return {"list": base, "edit": f"{base}/{language}", "delete": f"{base}/{language}/delete"}


def translation(app, petition: dict, language: str = "fr") -> PetitionTranslation | None:
    with app.app_context():
        return db.session.scalar(
            select(PetitionTranslation).where(
                PetitionTranslation.petition_id == petition["id"],
                PetitionTranslation.language == language,
            )
        )


def without_translation(app, petition: dict, language: str = "fr") -> None:
    """The demo call comes with French and Spanish; start from none in ``language``."""
    with app.app_context():
        db.session.execute(
            delete(PetitionTranslation).where(
                PetitionTranslation.petition_id == petition["id"],
                PetitionTranslation.language == language,
            )
        )
        db.session.commit()


def audit_entries(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        )


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"no hidden {name}"
    return match.group(1)


def form_data(client, url: str, **values) -> dict[str, str]:
    """What the translation form posts: the token and digests it was served with."""
    html = client.get(url).get_data(as_text=True)
    return {
        "csrf_token": hidden(html, "csrf_token"),
        "main_digest": hidden(html, "main_digest"),
        "translation_digest": hidden(html, "translation_digest"),
        **FRENCH,
        **values,
    }


def english_text(client, petition: dict) -> str:
    """The English page's call, from its header to the end of its text, without the sign
    form's token: the form sits among them (before the text on a phone) and its token
    changes every second."""
    html = client.get(f"/petitions/{petition['slug']}").get_data(as_text=True)
    text = re.search(r'<header class="petition-header">.*?<section class="notables"', html, re.S)[0]
    return re.sub(r'(name="form_token" type="hidden" value=)"[^"]*"', r"\1", text)


def edit_main_text(app, client, petition: dict, **changes) -> None:
    """An editor changes the call through its own form."""
    url = f"/organiser/calls/{petition['id']}/edit"
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        form = call_form(
            csrf_token(client, url),
            slug=call.slug,
            title=call.title,
            summary=call.summary,
            body_markdown=call.body_markdown,
            background_markdown=call.background_markdown,
            organisation=call.organisation,
            organisation_url=call.organisation_url,
            goal=str(call.goal),
            opened_at="2020-05-26T09:00",
            closes_at="",
            timezone="UTC",
            featured="y",
        )
    form.update(changes)
    response = client.post(url, data=form)
    assert response.status_code == 303, response.get_data(as_text=True)


def test_an_editor_adds_a_french_translation_and_the_french_page_shows_it(
    app, client, as_role, petition
):
    without_translation(app, petition)
    editor, url = as_role("editor"), urls(petition)
    english_before = english_text(client, petition)

    listing = editor.get(url["list"])
    assert listing.headers["Cache-Control"] == "no-store"
    row = re.search(r'<tr id="lang-fr">.*?</tr>', listing.get_data(as_text=True), re.S).group(0)
    assert "Not translated" in row and "Translate" in row
    assert 'id="lang-es"' in listing.get_data(as_text=True)
    assert 'id="lang-en"' not in listing.get_data(as_text=True)  # the main language

    form_page = editor.get(url["edit"])
    assert form_page.status_code == 200
    assert form_page.headers["Cache-Control"] == "no-store"
    html = form_page.get_data(as_text=True)
    # The main text is beside the form, marked as English; the fields are marked French.
    assert "Governments: stop the cyberattacks on healthcare" in html
    assert '<pre class="org-source" lang="en" tabindex="0" role="region"' in html
    assert re.search(r'<textarea[^>]*lang="fr"[^>]*name="body_markdown"', html) or re.search(
        r'<textarea[^>]*name="body_markdown"[^>]*lang="fr"', html
    )

    response = editor.post(url["edit"], data=form_data(editor, url["edit"]))
    assert response.status_code == 303
    assert response.headers["Location"] == url["list"]
    stored = translation(app, petition)
    assert (stored.title, stored.body_markdown) == (FRENCH["title"], FRENCH["body_markdown"])
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        assert stored.source_version == call.text_version
        assert stored.source_digest == text_digest(call)

    french = client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)
    assert f"<h1>{FRENCH['title']}</h1>" in french  # no lang attribute: it is French
    assert "Nous demandons aux <strong>gouvernements</strong> d’agir." in french
    assert f'<meta property="og:title" content="{FRENCH["title"]}">' in french
    assert client.get(f"/fr/petitions/{petition['slug']}.json").json["title"] == FRENCH["title"]
    # English is untouched.
    assert english_text(client, petition) == english_before
    assert "Governments: stop the cyberattacks on healthcare" in english_before

    row = re.search(
        r'<tr id="lang-fr">.*?</tr>', editor.get(url["list"]).get_data(as_text=True), re.S
    ).group(0)
    assert "Up to date" in row and "Text version 1" in row

    [entry] = audit_entries(app, "add_translation")
    assert (entry.target_type, entry.target_id) == ("petition", str(petition["id"]))
    assert entry.changes["language"] == "fr"
    assert entry.changes["title"] == {"before": None, "after": FRENCH["title"]}
    assert entry.changes["body_markdown"]["after"] == FRENCH["body_markdown"]


def test_the_preview_renders_sanitised_markdown_and_saves_nothing(app, as_role, petition):
    without_translation(app, petition)
    editor, url = as_role("editor"), urls(petition)
    body = "Un **appel**.\n\n<script>alert(1)</script> [x](javascript:alert(1))"
    data = form_data(editor, url["edit"], body_markdown=body, preview="Preview")
    response = editor.post(url["edit"], data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Preview (not saved yet)" in html
    assert "Un <strong>appel</strong>." in html
    assert "<script>alert(1)</script>" not in html
    assert 'href="javascript:' not in html
    # What was typed stays in the form.
    assert "Un **appel**." in html
    assert translation(app, petition) is None
    assert audit_entries(app, "add_translation") == []


def test_editing_a_translation_changes_the_page_and_logs_before_and_after(
    app, client, as_role, petition
):
    editor, url = as_role("editor"), urls(petition)
    seeded = translation(app, petition)
    form = editor.get(url["edit"]).get_data(as_text=True)
    assert seeded.title in form and "Up to date" in form and "As published" in form

    data = form_data(editor, url["edit"], title="Gouvernements : protégez la santé")
    for field in ("summary", "body_markdown", "background_markdown", "organisation_blurb"):
        data[field] = getattr(seeded, field)
    assert editor.post(url["edit"], data=data).status_code == 303

    page = client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)
    assert "<h1>Gouvernements : protégez la santé</h1>" in page
    [entry] = audit_entries(app, "edit_translation")
    assert entry.changes == {
        "language": "fr",
        "title": {"before": seeded.title, "after": "Gouvernements : protégez la santé"},
    }

    # Saving again with nothing changed records nothing.
    data = form_data(editor, url["edit"])
    for field in ("summary", "body_markdown", "background_markdown", "organisation_blurb"):
        data[field] = getattr(seeded, field)
    data["title"] = "Gouvernements : protégez la santé"
    assert editor.post(url["edit"], data=data).status_code == 303
    assert len(audit_entries(app, "edit_translation")) == 1


def test_the_public_page_changes_within_the_micro_cache_second(make_app, petition, organisers):
    """With the production micro-cache on, the French page shows the edit within ~1 s."""
    from ..helpers.backoffice import signed_in

    app = make_app(PUBLIC_RESPONSE_CACHE_SECONDS=1)
    public, editor = app.test_client(), signed_in(app.test_client(), organisers["editor"])
    page_url = f"/fr/petitions/{petition['slug']}"
    assert "Gouvernements\u00a0: mettez fin" in public.get(page_url).get_data(as_text=True)

    url = urls(petition)
    seeded = translation(app, petition)
    data = form_data(editor, url["edit"], title="Nouveau titre")
    for field in ("summary", "body_markdown", "background_markdown", "organisation_blurb"):
        data[field] = getattr(seeded, field)
    assert editor.post(url["edit"], data=data).status_code == 303

    deadline = time.monotonic() + 3
    while "<h1>Nouveau titre</h1>" not in public.get(page_url).get_data(as_text=True):
        assert time.monotonic() < deadline, "the French page still shows the old title"
        time.sleep(0.1)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Please enter the translated title."),
        ("title", "Un\r\ndeux", "on one line"),
        ("title", "x" * 201, "Field cannot be longer than 200 characters."),
        ("body_markdown", "", "Please write the translated text of the call."),
        ("body_markdown", "Texte\x00caché", "invisible control characters"),
        ("background_markdown", "Texte \u202eesrever", "invisible control characters"),
        # The main text has a summary and a background: so must the translation.
        ("summary", "", "The main text has a summary: please translate it too."),
        ("background_markdown", "  ", "The main text has a background: please translate it too."),
        (
            "organisation_blurb",
            "",
            "The main text says who runs the call: please translate it too.",
        ),
        ("organisation_blurb", "Basée à\x00Genève", "invisible control characters"),
        ("organisation_blurb", "x" * 2001, "Field cannot be longer than 2000 characters."),
    ],
)
def test_invalid_translations_get_a_clear_message_and_store_nothing(
    app, as_role, petition, field, value, message
):
    without_translation(app, petition)
    editor, url = as_role("editor"), urls(petition)
    response = editor.post(url["edit"], data=form_data(editor, url["edit"], **{field: value}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert message in html
    assert f'href="#{field}"' in html  # the summary links to the field
    assert translation(app, petition) is None
    assert audit_entries(app, "add_translation") == []


def test_a_post_without_the_session_token_is_refused(app, as_role, petition):
    without_translation(app, petition)
    editor, url = as_role("editor"), urls(petition)
    data = form_data(editor, url["edit"])
    data["csrf_token"] = "forged"
    assert editor.post(url["edit"], data=data).status_code == 400
    assert translation(app, petition) is None


def test_changing_the_main_text_marks_the_translation_out_of_date(app, as_role, petition):
    editor, url = as_role("editor"), urls(petition)
    with app.app_context():
        body = db.session.get(Petition, petition["id"]).body_markdown
    edit_main_text(app, editor, petition, body_markdown=body + "\n\nAnd protect medical research.")

    listing = editor.get(url["list"]).get_data(as_text=True)
    french = re.search(r'<tr id="lang-fr">.*?</tr>', listing, re.S).group(0)
    assert "Out of date" in french and "Text version 1" in french and "now 2" in french
    form = editor.get(url["edit"]).get_data(as_text=True)
    assert "What changed in the main title and text since version 1" in form
    assert re.search(
        r'<span class="org-diff-added">.*?\+ And protect medical research\.</span>', form
    )
    # The public French page still shows the French text meanwhile.
    seeded = translation(app, petition)
    assert seeded.title in editor.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)

    # Saving the checked translation, even unchanged, marks it up to date.
    data = form_data(editor, url["edit"])
    for field in TRANSLATED_FIELDS:
        data[field] = getattr(seeded, field)
    assert editor.post(url["edit"], data=data).status_code == 303
    assert translation(app, petition).source_version == 2
    listing = editor.get(url["list"]).get_data(as_text=True)
    assert "Up to date" in re.search(r'<tr id="lang-fr">.*?</tr>', listing, re.S).group(0)
    [entry] = audit_entries(app, "edit_translation")
    assert entry.changes == {"language": "fr", "source_version": {"before": 1, "after": 2}}


def test_a_summary_change_alone_also_marks_translations_out_of_date(app, as_role, petition):
    """The summary is not versioned (signatures are bound to title and text), but it is
    translated, so changing it must flag the translations too."""
    editor, url = as_role("editor"), urls(petition)
    edit_main_text(app, editor, petition, summary="A shorter summary.")
    with app.app_context():
        assert db.session.get(Petition, petition["id"]).text_version == 1
    listing = editor.get(url["list"]).get_data(as_text=True)
    for language in ("fr", "es"):
        row = re.search(rf'<tr id="lang-{language}">.*?</tr>', listing, re.S).group(0)
        assert "Out of date" in row


def test_translations_saved_before_tracking_ask_to_be_checked(app, as_role, petition):
    """What the migration leaves on existing rows: 0 and an empty digest."""
    with app.app_context():
        db.session.execute(
            PetitionTranslation.__table__.update().values(source_version=0, source_digest="")
        )
        db.session.commit()
    editor, url = as_role("editor"), urls(petition)
    listing = editor.get(url["list"]).get_data(as_text=True)
    assert "Not checked against the main text" in listing
    assert "saved before the site recorded" in editor.get(url["edit"]).get_data(as_text=True)


def test_a_main_text_change_while_translating_is_shown_before_saving(app, as_role, petition):
    without_translation(app, petition)
    editor, url = as_role("editor"), urls(petition)
    data = form_data(editor, url["edit"])  # the translator opens the form ...
    edit_main_text(app, as_role("admin"), petition, title="A new main title")  # ... meanwhile
    response = editor.post(url["edit"], data=data)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "The main text changed while you were translating." in html
    assert "A new main title" in html  # the reference shows the new text
    assert FRENCH["body_markdown"].split("\n")[0] in html  # their text is kept
    assert translation(app, petition) is None
    # Saving again (the form now carries the current digests) goes through.
    data["main_digest"] = hidden(html, "main_digest")
    data["translation_digest"] = hidden(html, "translation_digest")
    assert editor.post(url["edit"], data=data).status_code == 303
    assert translation(app, petition).source_version == 2


def test_a_translation_saved_by_someone_else_meanwhile_is_not_overwritten_silently(
    app, as_role, petition
):
    editor, admin, url = as_role("editor"), as_role("admin"), urls(petition)
    seeded = translation(app, petition)
    stale = form_data(editor, url["edit"], title="Titre de l’éditeur")
    theirs = form_data(admin, url["edit"], title="Titre de l’administratrice")
    for data in (stale, theirs):
        for field in ("summary", "body_markdown", "background_markdown", "organisation_blurb"):
            data[field] = getattr(seeded, field)
    assert admin.post(url["edit"], data=theirs).status_code == 303
    response = editor.post(url["edit"], data=stale)
    assert response.status_code == 409
    assert "Someone else saved this translation" in response.get_data(as_text=True)
    assert translation(app, petition).title == "Titre de l’administratrice"


def test_deleting_a_translation_falls_back_to_the_main_text(app, client, as_role, petition):
    editor, url = as_role("editor"), urls(petition)
    seeded = translation(app, petition)
    assert seeded.title in client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)

    confirm = editor.get(url["delete"])
    assert confirm.status_code == 200
    assert confirm.headers["Cache-Control"] == "no-store"
    html = confirm.get_data(as_text=True)
    assert "Delete the French translation?" in html and seeded.title in html
    assert translation(app, petition) is not None  # asking deletes nothing

    response = editor.post(url["delete"], data={"csrf_token": hidden(html, "csrf_token")})
    assert response.status_code == 303
    assert translation(app, petition) is None
    assert translation(app, petition, "es") is not None

    french = client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)
    # The main English text, marked as English for screen readers, under French chrome.
    assert '<h1 lang="en">Governments: stop the cyberattacks on healthcare</h1>' in french
    assert seeded.title not in french
    listing = editor.get(url["list"]).get_data(as_text=True)
    assert "Not translated" in re.search(r'<tr id="lang-fr">.*?</tr>', listing, re.S).group(0)

    [entry] = audit_entries(app, "delete_translation")
    assert entry.changes["language"] == "fr"
    assert entry.changes["title"] == {"before": seeded.title, "after": None}
    assert entry.changes["body_markdown"]["before"] == seeded.body_markdown

    # Deleting again: nothing left to delete.
    assert editor.get(url["delete"]).status_code == 404


def test_a_delete_without_the_session_token_deletes_nothing(app, as_role, petition):
    editor, url = as_role("editor"), urls(petition)
    assert editor.post(url["delete"], data={}).status_code == 400
    assert translation(app, petition) is not None


@pytest.mark.parametrize("language", ["en", "de", "xx"])
def test_only_the_sites_other_languages_can_be_translated(as_role, petition, language):
    """English is the demo call's main language; German is not a site language."""
    editor = as_role("editor")
    assert editor.get(urls(petition, language)["edit"]).status_code == 404


def test_moderators_are_refused_and_anonymous_visitors_sent_to_sign_in(app, as_role, petition):
    url = urls(petition)
    moderator = as_role("moderator")
    for path in url.values():
        assert moderator.get(path).status_code == 403
    token = csrf_token(moderator, "/organiser/")
    assert moderator.post(url["delete"], data={"csrf_token": token}).status_code == 403
    assert moderator.post(url["edit"], data={"csrf_token": token, **FRENCH}).status_code == 403
    assert translation(app, petition).title != FRENCH["title"]

    anonymous = as_role(None)
    for path in url.values():
        response = anonymous.get(path)
        assert response.status_code == 302
        assert response.headers["Location"] == f"/organiser/sign-in?next={path}"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_the_nav_links_to_translations_for_editors_only(as_role, petition):
    dashboard = f"/organiser/calls/{petition['id']}"
    assert urls(petition)["list"] in as_role("editor").get(dashboard).get_data(as_text=True)
    assert urls(petition)["list"] not in as_role("moderator").get(dashboard).get_data(as_text=True)


def test_the_organiser_pages_work_in_french_too(as_role, petition):
    """The area itself can be used in French: language names come from Babel."""
    html = as_role("editor").get(f"/fr{urls(petition)['list']}").get_data(as_text=True)
    assert "espagnol" in html


def test_french_typography_and_browser_line_breaks_survive_saving(app, as_role, petition):
    """A no-break space before ":" is kept (the title's spaces are otherwise cleaned), and
    the CRLF line breaks browsers send become LF, so an unchanged text stays unchanged."""
    without_translation(app, petition)
    editor, url = as_role("editor"), urls(petition)
    data = form_data(
        editor,
        url["edit"],
        title="  Gouvernements\u00a0:   agissez\u200b ",
        body_markdown="Premier paragraphe.\r\n\r\n- un\r\n- deux",
    )
    assert editor.post(url["edit"], data=data).status_code == 303
    stored = translation(app, petition)
    assert stored.title == "Gouvernements\u00a0: agissez"
    assert stored.body_markdown == "Premier paragraphe.\n\n- un\n- deux"


def test_a_translation_into_what_became_the_main_language_can_be_deleted(app, as_role, petition):
    """The call's main language changed to French: its French translation is never shown,
    the list offers English and Spanish instead, and says so."""
    with app.app_context():
        db.session.get(Petition, petition["id"]).language = "fr"
        db.session.commit()
    editor, url = as_role("editor"), urls(petition)
    listing = editor.get(url["list"]).get_data(as_text=True)
    assert 'id="lang-en"' in listing and 'id="lang-es"' in listing
    assert 'id="lang-fr"' not in listing
    assert "There is also a translation into French" in listing
    assert editor.get(url["edit"]).status_code == 404  # French is the main language now
    html = editor.get(url["delete"]).get_data(as_text=True)
    assert "it is never shown" in html
    response = editor.post(url["delete"], data={"csrf_token": hidden(html, "csrf_token")})
    assert response.status_code == 303
    assert translation(app, petition) is None


def test_the_organisation_text_is_translated_beside_the_main_one(app, client, as_role, petition):
    """ "Who runs this call" is part of the call's translation: a change to the main one
    marks the translations out of date, and the French page shows the French."""
    editor, url = as_role("editor"), urls(petition)
    edit_main_text(app, editor, petition, organisation_blurb="A new text about the institute.")
    listing = editor.get(url["list"]).get_data(as_text=True)
    for language in ("fr", "es"):
        row = re.search(rf'<tr id="lang-{language}">.*?</tr>', listing, re.S).group(0)
        assert "Out of date" in row
    form = editor.get(url["edit"]).get_data(as_text=True)
    assert '<p lang="en">A new text about the institute.</p>' in form  # beside the field
    assert re.search(r'<textarea[^>]*lang="fr"[^>]*name="organisation_blurb"', form) or re.search(
        r'<textarea[^>]*name="organisation_blurb"[^>]*lang="fr"', form
    )

    seeded = translation(app, petition)
    data = form_data(editor, url["edit"], organisation_blurb="Un nouveau texte sur l’institut.")
    for field in ("title", "summary", "body_markdown", "background_markdown"):
        data[field] = getattr(seeded, field)
    assert editor.post(url["edit"], data=data).status_code == 303
    page = client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)
    assert "<span>Un nouveau texte sur l’institut.</span>" in page
    [entry] = audit_entries(app, "edit_translation")
    assert entry.changes["organisation_blurb"] == {
        "before": seeded.organisation_blurb,
        "after": "Un nouveau texte sur l’institut.",
    }


def test_translations_of_a_call_without_organisation_text_stay_up_to_date(app, as_role, petition):
    """Translations saved before the organisation text could be translated recorded a
    digest of four parts; a call with no such text still matches it."""
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        call.organisation_blurb = ""
        parts = [call.title, call.summary, call.body_markdown, call.background_markdown]
        legacy = hashlib.sha256(json.dumps(parts).encode()).hexdigest()
        db.session.execute(
            PetitionTranslation.__table__.update().values(
                source_digest=legacy, organisation_blurb=""
            )
        )
        db.session.commit()
    listing = as_role("editor").get(urls(petition)["list"]).get_data(as_text=True)
    for language in ("fr", "es"):
        row = re.search(rf'<tr id="lang-{language}">.*?</tr>', listing, re.S).group(0)
        assert "Up to date" in row
