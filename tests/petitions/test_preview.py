"""An editor previews a call as the public will see it: a draft too, marked as a preview,
with the form inert, never cached and never indexed."""

from __future__ import annotations

import re

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import Petition

from ..helpers.backoffice import NEW, call_form, csrf_token


def _draft(app, as_role) -> int:
    client = as_role("editor")
    token = csrf_token(client, NEW)
    response = client.post(NEW, data=call_form(token, state="draft", slug="a-draft"))
    assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    with app.app_context():
        return db.session.scalar(select(Petition.id).where(Petition.slug == "a-draft"))


def test_an_editor_previews_a_draft_as_the_public_will_see_it(app, as_role, client, petition):
    call_id = _draft(app, as_role)
    editor = as_role("editor")
    nav = editor.get(f"/organiser/calls/{call_id}").get_data(as_text=True)
    assert f'href="/organiser/calls/{call_id}/preview">Preview the public page</a>' in nav

    response = editor.get(f"/organiser/calls/{call_id}/preview")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    html = response.get_data(as_text=True)
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "This call is not published: only organisers can see this page." in html
    assert "<h1>Protect the helpers</h1>" in html and "Humanitarian workers need" in html
    # The form is there, as the public will see it, but inert.
    assert re.search(r"<div inert>\s*<form", html)

    # In French, as the French page will read.
    french = editor.get(f"/fr/organiser/calls/{call_id}/preview").get_data(as_text=True)
    assert '<html lang="fr">' in french and "Aperçu" in french

    # The public, and the public URL, see nothing of it.
    assert client.get("/petitions/a-draft").status_code == 404
    assert client.get(f"/organiser/calls/{call_id}/preview").status_code in (302, 303)


def test_a_published_call_has_its_public_page_linked_instead(as_role, petition):
    moderator = as_role("moderator")
    nav = moderator.get(f"/organiser/calls/{petition['id']}").get_data(as_text=True)
    assert "Preview the public page" not in nav and ">Public page</a>" in nav
    html = moderator.get(f"/organiser/calls/{petition['id']}/preview").get_data(as_text=True)
    assert "the sign form is inactive here" in html
