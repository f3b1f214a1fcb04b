"""Editing calls: validation, time zones, text versions, closing by itself, the dashboard."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import (
    AuditEntry,
    Petition,
    PetitionTextVersion,
    Signature,
    utcnow,
)

from ..helpers.backoffice import NEW, add_signature, call_form, csrf_token
from ..helpers.journey import links_in, local_path, send_outbox, sign


def stored(app, slug: str) -> Petition:
    with app.app_context():
        return db.session.scalar(select(Petition).where(Petition.slug == slug))


def test_an_editor_creates_a_call_with_dates_in_its_time_zone(app, as_role):
    client = as_role("editor")
    response = client.post(NEW, data=call_form(csrf_token(client, NEW), featured="y"))
    assert response.status_code == 303, response.get_data(as_text=True)
    call = stored(app, "protect-the-helpers")
    # 09:00 in Zurich in summer is 07:00 UTC; 18:00 in winter is 17:00 UTC.
    assert call.opened_at == datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
    assert call.closes_at == datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    assert (call.state, call.goal, call.text_version, call.featured) == ("open", 1000, 1, True)
    with app.app_context():
        [version] = db.session.scalars(select(PetitionTextVersion)).all()
        assert (version.version, version.title) == (1, "Protect the helpers")
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "create_petition"))
        assert entry.changes["slug"] == "protect-the-helpers"
    # The form shows the dates back in the call's time zone.
    edit = client.get(f"/organiser/calls/{call.id}/edit").get_data(as_text=True)
    assert 'value="2026-06-01T09:00"' in edit
    assert client.get("/petitions/protect-the-helpers").status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slug", "Has Spaces", "Use lower-case letters, digits and single hyphens"),
        ("slug", "double--hyphen", "Use lower-case letters, digits and single hyphens"),
        ("slug", "confirm", "This word is taken by the site itself"),
        ("slug", "withdraw", "This word is taken by the site itself"),
        ("slug", "call-to-governments", "Another call already has this address."),
        ("timezone", "Mars/Olympus_Mons", "Please choose a time zone from the list"),
        ("closes_at", "2026-05-01T09:00", "The call must close after it opens."),
        ("closes_at", "31/12/2026", "Not a valid datetime value."),
        ("goal", "lots", "Not a valid integer value"),
        ("goal", "-5", "Please enter a whole number."),
        ("title", "", "Please enter a title."),
        ("organisation_url", "javascript:alert(1)", "Please enter a full web address."),
        ("state", "published", "Not a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_error(app, as_role, petition, field, value, message):
    client = as_role("editor")
    response = client.post(NEW, data=call_form(csrf_token(client, NEW), **{field: value}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert message in html
    assert stored(app, "protect-the-helpers") is None


def test_editing_the_text_makes_a_version_and_a_public_history(app, client, as_role, petition):
    editor = as_role("editor")
    url = f"/organiser/calls/{petition['id']}/edit"
    before = stored(app, petition["slug"])
    form = call_form(
        csrf_token(editor, url),
        slug=before.slug,
        title=before.title,
        body_markdown=before.body_markdown + "\n\nAnd protect medical research.",
        opened_at="2020-05-26T09:00",
        closes_at="",
        timezone="UTC",
        note="Added medical research",
    )
    assert editor.post(url, data=form).status_code == 303
    after = stored(app, petition["slug"])
    assert after.text_version == 2
    with app.app_context():
        versions = db.session.scalars(
            select(PetitionTextVersion).order_by(PetitionTextVersion.version)
        ).all()
        # The text before versioning began is kept as version 1.
        assert [v.version for v in versions] == [1, 2]
        assert versions[0].body_markdown == before.body_markdown
        assert versions[1].note == "Added medical research"
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "edit_petition"))
        assert entry.changes["body_markdown"]["before"] == before.body_markdown
        assert entry.changes["body_markdown"]["after"].endswith("medical research.")
        assert "title" not in entry.changes  # only what changed

    page = client.get(f"/petitions/{petition['slug']}").get_data(as_text=True)
    assert "Changes to the text" in page and "Added medical research" in page
    # New signatures record the version they were signed under.
    sign(client, petition["slug"])
    with app.app_context():
        assert db.session.scalar(select(Signature.text_version)) == 2

    # Saving without touching the text makes no new version.
    form["note"] = ""
    editor.post(url, data=form)
    assert stored(app, petition["slug"]).text_version == 2


def test_featuring_a_call_unfeatures_the_others(app, as_role, petition):
    client = as_role("admin")
    client.post(NEW, data=call_form(csrf_token(client, NEW), featured="y"))
    assert stored(app, "protect-the-helpers").featured
    assert not stored(app, petition["slug"]).featured


def test_a_call_closes_by_itself_and_confirmations_get_a_grace_period(app, client, smtp, petition):
    sign(client, petition["slug"])
    send_outbox(app)
    [link] = links_in(smtp.messages[0])
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        call.closes_at = utcnow() - timedelta(minutes=1)  # still in state "open"
        db.session.commit()
    # Signing stops with the clear page...
    closed = sign(client, petition["slug"], email="late@example.org", form_token="stale")
    assert closed.status_code == 409
    assert "Signing is closed" in closed.get_data(as_text=True)
    assert "Signing is closed" in client.get(f"/petitions/{petition['slug']}").get_data(
        as_text=True
    )
    # ...but a confirmation already under way is still accepted.
    page = client.get(local_path(link))
    assert page.status_code == 200 and "Confirm your signature" in page.get_data(as_text=True)
    # After the grace period, it is not.
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        call.closes_at = utcnow() - timedelta(days=8)
        db.session.commit()
    assert client.get(local_path(link)).status_code == 409


def test_the_dashboard_counts_and_draws_without_inline_styles(app, as_role, petition):
    with app.app_context():
        for n in range(3):
            add_signature(petition["id"], f"ok{n}@spam.example", ip="198.51.100.20")
        add_signature(petition["id"], "p@example.org", confirmed=False)
        add_signature(petition["id"], "s@example.org", validity="suspect")
        add_signature(petition["id"], "i@example.org", validity="invalidated")
        add_signature(petition["id"], "old@example.org", created_at=utcnow() - timedelta(days=3))
        db.session.commit()
    html = as_role("moderator").get(f"/organiser/calls/{petition['id']}").get_data(as_text=True)
    for label, number in [
        ("counted", 4),
        ("confirmed", 4),
        ("waiting for confirmation", 1),
        ("suspect", 1),
        ("invalidated", 1),
    ]:
        assert f"<strong>{number}</strong> {label}" in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count("<rect") == 30 and "style=" not in svg and 'fill="#0b5e3b"' in svg
    today = utcnow().strftime("%Y-%m-%d")
    assert f"<title>{today}: 6</title>" in svg
    assert re.search(r"198\.51\.100\.20(</a>)?</td><td class=\"num\">3<", html)
    assert re.search(r"spam\.example(</a>)?</td><td class=\"num\">3<", html)
    # Editors see the totals, not the addresses.
    editor = as_role("editor").get(f"/organiser/calls/{petition['id']}").get_data(as_text=True)
    assert "<strong>4</strong> counted" in editor and "198.51.100.20" not in editor
