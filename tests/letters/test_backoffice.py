"""The letters' back-office pages, through HTTP: the organisation's settings (administrators;
every field checked, a logo re-encoded as PNG or refused, nothing half-written, audited,
previewed) and a call's cover texts (editors; per language, with the default shown)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from campaign.extensions import db
from campaign.models import Petition

from ..helpers.backoffice import csrf_token
from .helpers import (
    SETTINGS_URL,
    audit_actions,
    content,
    drop_settings,
    image_bytes,
    settings_form,
    settings_row,
)


def post_settings(client, logo: tuple[bytes, str] | None = None, **fields):
    data = settings_form(csrf_token(client, SETTINGS_URL), **fields)
    if logo is not None:
        data["logo"] = (io.BytesIO(logo[0]), logo[1])
    return client.post(SETTINGS_URL, data=data, content_type="multipart/form-data")


# -- the organisation's settings --------------------------------------------------------------


def test_an_admin_saves_the_settings_and_sees_the_letterhead(app, as_role, petition):
    drop_settings(app)
    admin = as_role("admin")
    page = admin.get(SETTINGS_URL).get_data(as_text=True)
    assert "Nothing is saved yet" in page

    response = post_settings(admin, logo=(image_bytes("JPEG", (1200, 400)), "logo.jpg"))
    assert response.status_code == 303, response.get_data(as_text=True)
    row = settings_row(app)
    assert row["name"] == "Clinic Friends"
    assert row["postal_address"] == "Rue des Clinics 4\n1204 Geneva\nSwitzerland"
    assert row["contact_email"] == "letters@example.org"
    assert row["place_names"] == {"es": "Ginebra", "fr": "Genève"}
    assert row["signatory"] == "Ada Lovelace, Director"
    # The logo, a JPEG, is kept as a PNG fitted into 600 by 600 pixels.
    stored = Image.open(io.BytesIO(row["logo_png"]))
    assert stored.format == "PNG" and stored.size == (600, 200)
    assert (row["logo_width"], row["logo_height"]) == (600, 200)

    page = admin.get(SETTINGS_URL).get_data(as_text=True)
    assert 'src="data:image/png;base64,' in page and 'alt="Logo of Clinic Friends"' in page
    for line in ("Rue des Clinics 4", "1204 Geneva", "Genève, le ", "Ginebra, ", "Geneva, "):
        assert line in page
    assert 'value="Genève"' in page  # the form shows the saved names again

    # The letters read them at once.
    letter = content(app, petition["id"], "fr")
    assert letter.letterhead.name == "Clinic Friends" and letter.letterhead.logo_size == (600, 200)
    assert letter.place_date == "Genève, le 3 décembre 2026"
    assert letter.closing.lines[1:] == ("Ada Lovelace, Director", "Clinic Friends")


def test_saving_is_audited_without_the_contact_or_the_signatory(app, as_role, petition):
    admin = as_role("admin")
    assert post_settings(admin).status_code == 303
    entry = audit_actions(app, "edit_organisation_settings")[-1]
    assert entry.target_type == "organisation_settings"
    assert entry.changes["name"] == {"before": "CyberPeace Institute", "after": "Clinic Friends"}
    assert entry.changes["fields"] == ["contact_email", "signatory"]
    assert "letters@example.org" not in str(entry.changes)
    assert "Ada Lovelace" not in str(entry.changes)
    # Saving the same again records nothing.
    assert post_settings(admin).status_code == 303
    assert len(audit_actions(app, "edit_organisation_settings")) == 1


@pytest.mark.parametrize(
    ("fields", "logo", "message"),
    [
        ({"contact_email": "letters-at-example.org"}, None, "Please enter a valid email address"),
        ({"website": "clinics.example.org"}, None, "Please enter a full web address."),
        ({"website": "ftp://clinics.example.org/"}, None, "Please enter a full web address."),
        ({"name": ""}, None, "Please enter the organisation"),
        ({}, (b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * 1024 * 1024 + 10), "huge.png"), "too large"),
        ({}, (b"%PDF-1.7 not a picture" * 50, "logo.png"), "not a JPEG, PNG or WebP image"),
        ({}, (image_bytes("GIF", (50, 50), mode="P"), "logo.gif"), "not a JPEG, PNG or WebP"),
    ],
    ids=[
        "bad-email",
        "url-without-scheme",
        "ftp-url",
        "no-name",
        "logo-over-2-mb",
        "not-image",
        "gif",
    ],
)
def test_a_bad_value_is_explained_and_nothing_is_written(
    app, as_role, petition, fields, logo, message
):
    before = settings_row(app)
    response = post_settings(as_role("admin"), logo=logo, **fields)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and "There is a problem" in page
    # Nothing of the good fields was written either, and nothing audited.
    assert settings_row(app) == before
    assert audit_actions(app, "edit_organisation_settings") == []


def test_the_logo_can_be_removed(app, as_role, petition):
    admin = as_role("admin")
    assert (
        post_settings(admin, logo=(image_bytes("PNG", (80, 80), "RGBA"), "l.png")).status_code
        == 303
    )
    assert settings_row(app)["logo_png"] is not None
    assert post_settings(admin, remove_logo="y").status_code == 303
    row = settings_row(app)
    assert row["logo_png"] is None and row["logo_sha256"] is None
    assert (
        audit_actions(app, "edit_organisation_settings")[-1].changes["logo_sha256"]["after"] is None
    )


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_only_admins_reach_the_settings(as_role, petition, role):
    assert as_role(role).get(SETTINGS_URL).status_code == 403
    assert 'href="/organiser/organisation"' not in as_role(role).get("/organiser/").get_data(
        as_text=True
    )
    assert 'href="/organiser/organisation"' in as_role("admin").get("/organiser/").get_data(
        as_text=True
    )


# -- a call's cover texts -------------------------------------------------------------------


def letter_url(petition) -> str:
    return f"/organiser/calls/{petition['id']}/letter"


def post_cover(client, petition, language: str, text: str):
    url = letter_url(petition)
    token = csrf_token(client, url)
    return client.post(
        url,
        data={f"{language}-csrf_token": token, f"{language}-text": text, f"{language}-submit": "1"},
    )


def test_the_page_shows_each_languages_default_and_the_left_out_appeal(as_role, petition):
    page = as_role("editor").get(letter_url(petition)).get_data(as_text=True)
    for default in (
        "Hospitals, medical researchers and public health bodies are under cyberattack.",
        "Hôpitaux, chercheurs en médecine et autorités de santé publique sont la cible",
        "Hospitales, investigadores médicos y organismos de salud pública sufren ciberataques.",
        "تتعرّض المستشفيات والباحثون في المجال الطبي وهيئات الصحة العامة لهجمات سيبرانية.",
        "医院、医学研究人员和公共卫生机构正遭受网络攻击。",
        "Больницы, медицинские исследователи и органы общественного здравоохранения",
    ):
        assert default in page
    assert "Join the call first published" not in page
    assert page.count("No cover text is written") == 6
    assert "Add your name, and help us carry this message" in page  # shown as left out
    # The appeal is left out in every language, Chinese sentences too (no space after 。).
    assert "أضف اسمك، وساعدنا" in page and "请签名，并帮助我们" in page
    assert "Поставьте свою подпись" in page
    for language, name in (
        ("en", "English"),
        ("fr", "French"),
        ("es", "Spanish"),
        ("ar", "Arabic"),
        ("zh", "Chinese"),
        ("ru", "Russian"),
    ):
        assert f'<label for="{language}-text">Cover text in {name}</label>' in page
    # The call's section navigation links here.
    dashboard = as_role("editor").get(f"/organiser/calls/{petition['id']}").get_data(as_text=True)
    assert f'href="{letter_url(petition)}"' in dashboard


def test_an_editor_writes_a_cover_text_in_one_language_then_resets_it(app, as_role, petition):
    editor = as_role("editor")
    text = "Madame la Présidente,\r\n\r\nNous vous remettons cet appel."
    response = post_cover(editor, petition, "fr", text)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#cover-fr")
    page = editor.get(letter_url(petition)).get_data(as_text=True)
    assert "Nous vous remettons cet appel." in page and page.count("No cover text is written") == 5

    french = content(app, petition["id"], "fr")
    assert french.cover == ("Madame la Présidente,", "Nous vous remettons cet appel.")
    assert content(app, petition["id"], "es").cover_is_default
    entry = audit_actions(app, "edit_cover_text")[-1]
    assert entry.changes["language"] == "fr"
    assert entry.changes["cover_text"]["after"].endswith("Nous vous remettons cet appel.")

    # Empty: back to the default, audited.
    assert post_cover(editor, petition, "fr", "  ").status_code == 303
    assert content(app, petition["id"], "fr").cover_is_default
    assert audit_actions(app, "reset_cover_text")[-1].changes["cover_text"]["after"] is None


def test_a_too_long_cover_text_is_refused_and_nothing_is_written(app, as_role, petition):
    response = post_cover(as_role("admin"), petition, "es", "x" * 5001)
    assert response.status_code == 422
    assert "There is a problem" in response.get_data(as_text=True)
    assert content(app, petition["id"], "es").cover_is_default
    assert audit_actions(app, "edit_cover_text") == []


def test_a_language_without_translation_says_the_letter_falls_back(app, as_role, petition):
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        for translation in list(call.translations):
            if translation.language == "es":
                db.session.delete(translation)
        db.session.commit()
    page = as_role("editor").get(letter_url(petition)).get_data(as_text=True)
    assert "The call has no translation into Spanish" in page
    assert "There is no default in this language" in page


def test_moderators_cannot_reach_the_cover_texts(as_role, petition):
    assert as_role("moderator").get(letter_url(petition)).status_code == 403
    assert post_cover(as_role("editor"), petition, "fr", "x").status_code == 303
