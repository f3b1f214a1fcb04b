"""Updates to supporters in other languages: editors write a version per language on the
update's page; each signer gets theirs, or the main text with a line saying it was not
translated; a version written against an older text is out of date; everything freezes
once sending starts; hostile input is refused whole.

Through the test client over HTTP, real SMTP (aiosmtpd) and the outbox worker.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.i18n import language_name
from campaign.models import (
    AuditEntry,
    OutboxMessage,
    SupporterUpdate,
    SupporterUpdateTranslation,
)

from ..helpers.backoffice import add_signature, csrf_token
from ..helpers.journey import send_outbox
from .helpers import confirm_send

ENGLISH = {
    "subject": "We delivered the call",
    "body_markdown": "Thank you! The call was handed to **48 governments**.\n\nMore soon.",
}
FRENCH = {
    "subject": "Nous avons remis l’appel\u00a0!",
    "body_markdown": "Merci\u00a0! L’appel a été remis à **48 gouvernements**.\n\nÀ bientôt.",
}
NOTE = (
    "This update has not been translated into your language: here it is in its original "
    "language (%(language)s)."
)


def note(app, language: str) -> str:
    """The line above an untranslated update, in ``language`` as the catalogues have it; the
    name of the original language ("inglés") comes from Babel's data whatever they have."""
    with app.test_request_context(), force_locale(language):
        return gettext(NOTE, language=language_name("en"))


def write_update(client, petition_id: int) -> str:
    """An editor writes the update in the call's main language (English); its page."""
    url = f"/organiser/calls/{petition_id}/updates/new"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), **ENGLISH})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"no hidden {name}"
    return match.group(1)


def translate(client, page: str, language: str = "fr", **values):
    """Post the version in ``language`` with the token and digests its form was served with."""
    url = f"{page}/translations/{language}"
    html = client.get(url).get_data(as_text=True)
    data = {
        "csrf_token": hidden(html, "csrf_token"),
        "main_digest": hidden(html, "main_digest"),
        "translation_digest": hidden(html, "translation_digest"),
        **FRENCH,
        **values,
    }
    return client.post(url, data=data)


def post(client, url: str, page: str):
    return client.post(url, data={"csrf_token": csrf_token(client, page)})


def row(client, page: str, language: str) -> str:
    html = client.get(page).get_data(as_text=True)
    return re.search(rf'<tr id="lang-{language}">.*?</tr>', html, re.S).group(0)


def stored(app, language: str = "fr") -> SupporterUpdateTranslation | None:
    with app.app_context():
        return db.session.scalar(
            select(SupporterUpdateTranslation).where(
                SupporterUpdateTranslation.language == language
            )
        )


def audit_entries(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        )


def queued_updates(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "update")
        )


def parts(message) -> tuple[str, str]:
    """The text and HTML parts, with the line ends the message was written with."""
    return (
        message.get_body(("plain",)).get_content().replace("\r\n", "\n"),
        message.get_body(("html",)).get_content().replace("\r\n", "\n"),
    )


def test_each_signer_gets_the_version_in_their_language_or_the_marked_original(
    app, smtp, as_role, organisers, petition
):
    with app.app_context():
        add_signature(petition["id"], "ana@example.org", name="Ana", updates=True)
        add_signature(petition["id"], "chloe@example.fr", name="Chloé", updates=True, language="fr")
        add_signature(petition["id"], "elena@example.es", name="Elena", updates=True, language="es")
        db.session.commit()
    editor = as_role("editor")
    page = write_update(editor, petition["id"])
    assert "Not translated" in row(editor, page, "fr")
    assert 'id="lang-en"' not in editor.get(page).get_data(as_text=True)  # the main language

    response = translate(editor, page)
    assert response.status_code == 303 and response.headers["Location"] == page
    assert "Up to date" in row(editor, page, "fr")
    assert "Not translated" in row(editor, page, "es")
    [entry] = audit_entries(app, "add_update_translation")
    assert entry.target_type == "supporter_update" and entry.changes["language"] == "fr"
    assert entry.changes["subject"] == {"before": None, "after": FRENCH["subject"]}
    assert entry.changes["body_markdown"]["after"] == FRENCH["body_markdown"]

    # The test send: one copy of each version written, each as its readers get it.
    assert post(editor, page + "/test", page).status_code == 303
    send_outbox(app)
    assert sorted(m["Subject"] for m in smtp.messages) == sorted(
        [ENGLISH["subject"], FRENCH["subject"]]
    )
    assert {m["To"] for m in smtp.messages} == {"Editor <editor@example.org>"}
    assert (
        "A test copy of each version (English and French) is on its way to editor@example.org."
        in editor.get(page).get_data(as_text=True)
    )
    smtp.reset()

    assert confirm_send(editor, page).status_code == 303
    send_outbox(app)
    received = {m["To"]: m for m in smtp.messages}
    assert len(received) == len(smtp.messages) == 3

    # French: the French subject and text, all in French.
    french = received["Chloé <chloe@example.fr>"]
    assert french["Subject"] == FRENCH["subject"]
    text, html = parts(french)
    assert text.startswith(
        "Bonjour Chloé,\n\nMerci\u00a0! L’appel a été remis à **48 gouvernements**."
    )
    assert "We delivered" not in text and "Thank you" not in text
    assert note(app, "fr") not in text
    assert '<html lang="fr">' in html and '<div lang="fr">' in html
    assert "<strong>48 gouvernements</strong>" in html

    # Spanish, with no Spanish version: the English text, after a line in Spanish saying so,
    # and marked English so a screen reader switches.
    spanish = received["Elena <elena@example.es>"]
    assert spanish["Subject"] == ENGLISH["subject"]
    text, html = parts(spanish)
    spanish_note = note(app, "es")
    assert "(inglés)" in spanish_note
    assert text.startswith(f"Hola, Elena:\n\n{spanish_note}\n\nThank you! The call")
    assert '<html lang="es">' in html
    note_at, body_at = html.index(spanish_note), html.index('<div lang="en">')
    assert note_at < body_at < html.index("<strong>48 governments</strong>")
    assert "/es/petitions/unsubscribe/" in text

    # English, the main language: the text as written, no note.
    english = received["Ana <ana@example.org>"]
    assert english["Subject"] == ENGLISH["subject"]
    text, html = parts(english)
    assert text.startswith("Hello Ana,\n\nThank you! The call")
    assert "not been translated" not in text
    assert '<html lang="en">' in html and '<div lang="en">' in html


def test_a_version_is_out_of_date_once_the_update_changes_until_saved_again(
    app, smtp, as_role, petition
):
    with app.app_context():
        add_signature(petition["id"], "chloe@example.fr", name="Chloé", updates=True, language="fr")
        db.session.commit()
    editor = as_role("editor")
    page = write_update(editor, petition["id"])
    assert translate(editor, page).status_code == 303
    assert "Up to date" in row(editor, page, "fr")
    french_form = editor.get(page + "/translations/fr").get_data(as_text=True)

    # The English text changes: the French version is now out of date.
    edit = page + "/edit"
    changed = {**ENGLISH, "body_markdown": "Thank you! The call was handed to **50 governments**."}
    response = editor.post(edit, data={"csrf_token": csrf_token(editor, edit), **changed})
    assert response.status_code == 303
    assert "Out of date" in row(editor, page, "fr")
    html = editor.get(page + "/translations/fr").get_data(as_text=True)
    assert "Out of date" in html
    assert re.search(r'org-diff-removed">.*?48 governments', html)
    assert re.search(r'org-diff-added">.*?50 governments', html)

    # A form served before the change cannot mark the version checked against it.
    data = {
        "csrf_token": hidden(french_form, "csrf_token"),
        "main_digest": hidden(french_form, "main_digest"),
        "translation_digest": hidden(french_form, "translation_digest"),
        **FRENCH,
    }
    stale = editor.post(page + "/translations/fr", data=data)
    assert stale.status_code == 409
    assert "The update's text changed while you were translating" in unescape(
        stale.get_data(as_text=True)
    )
    assert "Out of date" in row(editor, page, "fr")

    # Sending is refused while a version is out of date: nothing is queued or frozen.
    refused = confirm_send(editor, page)
    assert refused.status_code == 303
    after = editor.get(page).get_data(as_text=True)
    assert "Nothing was sent: the French version was written against an earlier text" in after
    assert queued_updates(app) == 0
    with app.app_context():
        assert db.session.scalar(select(SupporterUpdate.status)) == "draft"

    # Saved again, even unchanged, it is checked against the text as it stands.
    assert translate(editor, page, body_markdown=FRENCH["body_markdown"]).status_code == 303
    assert "Up to date" in row(editor, page, "fr")
    [entry] = audit_entries(app, "edit_update_translation")
    assert set(entry.changes) == {"language", "source_digest"}
    assert confirm_send(editor, page).status_code == 303
    assert queued_updates(app) == 1


def test_versions_are_frozen_once_sending_starts(app, smtp, as_role, petition):
    with app.app_context():
        add_signature(petition["id"], "chloe@example.fr", name="Chloé", updates=True, language="fr")
        db.session.commit()
    editor = as_role("editor")
    page = write_update(editor, petition["id"])
    assert translate(editor, page).status_code == 303
    french_form = editor.get(page + "/translations/fr").get_data(as_text=True)
    spanish_form = editor.get(page + "/translations/es").get_data(as_text=True)
    delete_form = editor.get(page + "/translations/fr/delete").get_data(as_text=True)
    assert confirm_send(editor, page).status_code == 303
    before = stored(app)

    # Forms served before sending started change nothing after.
    for url, form, values in (
        (page + "/translations/fr", french_form, {"subject": "Autre objet"}),
        (page + "/translations/es", spanish_form, {"subject": "Entregamos el llamamiento"}),
        (page + "/translations/fr/delete", delete_form, {}),
    ):
        data = {
            "csrf_token": hidden(form, "csrf_token"),
            **(
                {
                    "main_digest": hidden(form, "main_digest"),
                    "translation_digest": hidden(form, "translation_digest"),
                    **FRENCH,
                }
                if values
                else {}
            ),
            **values,
        }
        response = editor.post(url, data=data)
        assert response.status_code == 303 and response.headers["Location"] == page
        follow = editor.get(page).get_data(as_text=True)
        assert "This update is already being sent and cannot change." in follow
    after = stored(app)
    assert (after.subject, after.body_markdown, after.updated_at) == (
        before.subject,
        before.body_markdown,
        before.updated_at,
    )
    assert stored(app, "es") is None
    assert audit_entries(app, "edit_update_translation") == []
    assert audit_entries(app, "delete_update_translation") == []

    # The page shows the version as sent, with no form to change it.
    html = editor.get(page + "/translations/fr").get_data(as_text=True)
    assert "Sending has started" in html and "48 gouvernements" in html
    assert 'name="subject"' not in html
    assert "/translations/fr/delete" not in editor.get(page).get_data(as_text=True)


def test_hostile_input_gets_a_clear_message_and_writes_nothing(app, as_role, petition):
    editor = as_role("editor")
    page = write_update(editor, petition["id"])
    cases = [
        (
            {"subject": "x" * 201},
            "The subject can be at most 200 characters long; this one has 201.",
        ),
        ({"subject": "Objet\r\nBcc: everyone@example.org"}, "on one line"),
        ({"subject": "Nouvelles\x07"}, "on one line"),
        ({"body_markdown": "Merci\x00 !"}, "invisible control characters"),
        ({"body_markdown": "Merci \u202egnp.exe"}, "invisible control characters"),
        ({"subject": "   "}, "Please enter the translated subject."),
        ({"body_markdown": "x" * 50_001}, "The text can be at most 50000 characters long"),
    ]
    for values, message in cases:
        response = translate(editor, page, **values)
        assert response.status_code == 422, values
        html = unescape(response.get_data(as_text=True))
        assert message in html, values
        assert 'class="error-summary"' in html
        assert stored(app) is None, values
    assert audit_entries(app, "add_update_translation") == []

    # An existing version stays whole when a bad edit is refused.
    assert translate(editor, page).status_code == 303
    response = translate(editor, page, subject="Nouveau sujet", body_markdown="Oups\x00")
    assert response.status_code == 422
    kept = stored(app)
    assert (kept.subject, kept.body_markdown) == (FRENCH["subject"], FRENCH["body_markdown"])
    assert audit_entries(app, "edit_update_translation") == []
    # A language the site does not have, or the main language, is not a version.
    assert editor.get(page + "/translations/de").status_code == 404
    assert editor.get(page + "/translations/en").status_code == 404


def test_deleting_a_version_asks_then_falls_back_and_is_logged(app, smtp, as_role, petition):
    with app.app_context():
        add_signature(petition["id"], "chloe@example.fr", name="Chloé", updates=True, language="fr")
        db.session.commit()
    editor = as_role("editor")
    page = write_update(editor, petition["id"])
    assert translate(editor, page).status_code == 303
    url = page + "/translations/fr/delete"
    assert "Delete the French version?" in editor.get(url).get_data(as_text=True)
    assert stored(app) is not None  # asking deletes nothing
    assert post(editor, url, url).status_code == 303
    assert stored(app) is None
    [entry] = audit_entries(app, "delete_update_translation")
    assert entry.changes["subject"] == {"before": FRENCH["subject"], "after": None}

    confirm_send(editor, page)
    send_outbox(app)
    [message] = smtp.messages
    assert message["Subject"] == ENGLISH["subject"]
    text, _html = parts(message)
    french_note = note(app, "fr")
    assert "(anglais)" in french_note
    assert text.startswith(f"Bonjour Chloé,\n\n{french_note}\n\nThank you!")


def test_an_edit_racing_the_start_of_sending_is_refused_whole(app, organisers, petition):
    """The page was served while the update was a draft; another press started sending
    before the edit arrived. The edit must not land in what is being sent."""
    from campaign.models import Organiser, Petition
    from campaign.updates import services, translations
    from campaign.updates.drafts import UpdateFrozen

    with app.app_context():
        editor = db.session.get(Organiser, organisers["editor"]["id"])
        call = db.session.get(Petition, petition["id"])
        update = services.save_update(None, call, ENGLISH["subject"], "Some news.", editor)
        db.session.commit()
        assert update.status == "draft"  # as this request read it
        with db.engine.begin() as other_process:
            other_process.execute(
                SupporterUpdate.__table__.update().values(status="sending"),
            )
        with pytest.raises(UpdateFrozen):
            translations.save_translation(update, "fr", "Objet", "Texte.", editor)
        db.session.rollback()
        with pytest.raises(UpdateFrozen):
            services.save_update(update, call, "Changed", "Changed.", editor)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(SupporterUpdateTranslation)) == 0
        assert db.session.scalar(select(SupporterUpdate.body_markdown)) == "Some news."
