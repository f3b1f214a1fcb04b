"""What a form tells before anything goes wrong: which fields must be filled (a visible
marker and the ``required`` attribute, from the one label macro), and the promote form's
country by its name, in the reader's language."""

from __future__ import annotations

import re

from campaign.extensions import db

from ..helpers.backoffice import add_signature


def _label(html: str, field_id: str) -> str:
    match = re.search(rf'<label for="{field_id}"[^>]*>', html)
    assert match, field_id
    return match.group(0)


def _input(html: str, field_id: str) -> str:
    match = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{field_id}"[^>]*>', html)
    assert match, field_id
    return match.group(0)


REQUIRED = 'data-required="required"'  # drawn as "(required)" by the style sheets


def test_the_marker_is_drawn_by_the_site_style_sheet(client):
    css = client.get("/static/css/site.css").get_data(as_text=True)
    assert 'label[data-required]::after { content: " (" attr(data-required) ")"' in css


def test_required_fields_are_marked_before_any_error(as_role, petition):
    pages = {
        # back office: page, fields that must be filled, fields that need not be
        "/organiser/blocklist": (["value"], ["reason"]),
        f"/organiser/calls/{petition['id']}/notables/new": (["name", "category"], ["title"]),
        "/organiser/privacy": (["email"], []),
    }
    for path, (required, optional) in pages.items():
        html = as_role("admin").get(path).get_data(as_text=True)
        assert 'class="error-summary"' not in html
        for field_id in required:
            assert REQUIRED in _label(html, field_id), (path, field_id)
            assert " required" in _input(html, field_id), (path, field_id)
        for field_id in optional:
            assert REQUIRED not in _label(html, field_id), (path, field_id)
            assert " required" not in _input(html, field_id), (path, field_id)


def test_the_public_sign_form_marks_them_the_same_way(client, petition):
    html = client.get(f"/petitions/{petition['slug']}").get_data(as_text=True)
    for field_id in ("name", "email", "country", "consent"):
        assert REQUIRED in _label(html, field_id), field_id
    assert REQUIRED not in _label(html, "public")


def test_the_promote_form_names_the_country(app, as_role, petition):
    with app.app_context():
        signature = add_signature(
            petition["id"], "greta@example.org", name="Greta T.", public=True, country="DE"
        )
        db.session.commit()
    path = f"/organiser/calls/{petition['id']}/notables/promote/{signature}"
    editor = as_role("editor")
    english = editor.get(path).get_data(as_text=True)
    assert "from Germany and chose" in english and "from DE " not in english
    french = editor.get("/fr" + path).get_data(as_text=True)
    assert "Allemagne" in french and "DE" not in re.sub(r"<[^>]+>", "", french).split()
    search = editor.get(f"/organiser/calls/{petition['id']}/notables/promote")
    assert "<td>Germany</td>" in search.get_data(as_text=True)
