"""Targets in the back office: the governments a call addresses, for editors and admins."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import GovernmentTarget

from ..exports.helpers import add_signature, reconcile
from .helpers import audit_entries, calls_base, post_form, targets_snapshot


@pytest.fixture
def counted(app, petition):
    """Counted signatures: 3 from Switzerland, 1 from Italy (a country with no target)."""
    with app.app_context():
        for n in range(3):
            add_signature(petition["id"], f"Swiss Signer {n}", country="CH")
        add_signature(petition["id"], "Italian Signer", country="IT")
        db.session.commit()
        reconcile(petition["id"])
    return petition


def _target_id(app, country: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(GovernmentTarget.id).where(GovernmentTarget.country == country)
        )


def test_the_pages_are_for_editors_and_admins_only(app, as_role, petition):
    base = calls_base(petition)
    ch = _target_id(app, "CH")
    pages = [
        f"{base}/governments",
        f"{base}/governments/new",
        f"{base}/governments/{ch}/edit",
        f"{base}/governments/import",
        f"{base}/deliveries",
        f"{base}/deliveries/new?country=CH",
    ]
    for url in pages:
        anonymous = as_role(None).get(url)
        assert anonymous.status_code == 302, url
        assert anonymous.headers["Location"].startswith("/organiser/sign-in?next=")
        moderator = as_role("moderator").get(url)
        assert moderator.status_code == 403, url
        assert moderator.headers["Cache-Control"] == "no-store"
    for role in ("editor", "admin"):
        page = as_role(role).get(f"{base}/governments")
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    # a moderator cannot delete either, even with a valid CSRF token from a page of theirs
    refused = post_form(
        as_role("moderator"), f"{base}/signatures", {}, to=f"{base}/governments/{ch}/delete"
    )
    assert refused.status_code == 403
    assert "CH" in targets_snapshot(app)


def test_list_shows_each_government_with_its_count_and_is_linked_from_the_call(
    app, as_role, counted
):
    base = calls_base(counted)
    client = as_role("editor")
    dashboard = client.get(f"{base}").get_data(as_text=True)
    assert f'href="{base}/governments"' in dashboard and f'href="{base}/deliveries"' in dashboard
    html = client.get(f"{base}/governments").get_data(as_text=True)
    assert "Federal Department of Foreign Affairs" in html  # the demo's targets
    assert "Ministry of Foreign and Diaspora Affairs" in html
    swiss_row = html.split('id="t', 1)[1].split("</tr>", 1)[0]
    assert "Brazil" in html and ">3<" in html.split("Switzerland", 1)[1].split("</tr>", 1)[0]
    assert "2 addresses" in html
    assert "Other countries with signatures" in html and "Italy" in html
    # contacts are never listed, only counted (they are on the edit form)
    assert "@example.org" not in html
    assert swiss_row


def test_moderators_see_no_link_to_governments(as_role, petition):
    html = as_role("moderator").get(calls_base(petition)).get_data(as_text=True)
    assert "/governments" not in html


def test_editor_adds_edits_and_removes_a_government(app, as_role, organisers, petition):
    base = calls_base(petition)
    client = as_role("editor")
    added = post_form(
        client,
        f"{base}/governments/new",
        {
            "country": "JP",
            "body": "  Ministry of Foreign Affairs  ",
            "emails": "a.contact@example.org\r\nb.contact@example.org\r\n",
            "postal_address": "2-2-1 Kasumigaseki\r\nTokyo",
            "languages": "en fr",
            "threshold": "300",
        },
    )
    assert added.status_code == 303 and added.headers["Location"] == f"{base}/governments"
    with app.app_context():
        japan = db.session.scalar(select(GovernmentTarget).where(GovernmentTarget.country == "JP"))
        assert japan.body == "Ministry of Foreign Affairs"
        assert japan.email_list == ["a.contact@example.org", "b.contact@example.org"]
        assert japan.language_list == ["en", "fr"] and japan.threshold == 300
        assert japan.postal_address == "2-2-1 Kasumigaseki\nTokyo"
        japan_id = japan.id
    [entry] = audit_entries(app, "add_government_target")
    assert entry.actor_id == organisers["editor"]["id"] and entry.target_id == str(japan_id)
    assert entry.changes["country"] == "JP" and "emails" in entry.changes["fields"]
    assert "@" not in json.dumps(entry.changes) and "Tokyo" not in json.dumps(entry.changes)

    form = client.get(f"{base}/governments/{japan_id}/edit").get_data(as_text=True)
    assert "a.contact@example.org\nb.contact@example.org" in form  # one per line
    edited = post_form(
        client,
        f"{base}/governments/{japan_id}/edit",
        {
            "country": "JP",
            "body": "Ministry of Foreign Affairs",
            "emails": "a.contact@example.org; b.contact@example.org",
            "postal_address": "2-2-1 Kasumigaseki\nTokyo",
            "languages": "fr en",
            "threshold": "500",
        },
    )
    assert edited.status_code == 303
    [entry] = audit_entries(app, "edit_government_target")
    assert entry.changes == {"country": "JP", "fields": ["languages", "threshold"]}

    removed = post_form(
        client, f"{base}/governments", {}, to=f"{base}/governments/{japan_id}/delete"
    )
    assert removed.status_code == 303
    assert "JP" not in targets_snapshot(app)
    [entry] = audit_entries(app, "delete_government_target")
    assert entry.changes == {"petition_id": petition["id"], "country": "JP"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("country", "", "Please give the country"),
        ("country", "CH", "This call already addresses Switzerland."),
        ("body", " ", "Please name the body the letter is addressed to."),
        (
            "emails",
            "ok@example.org\nnot-an-address",
            "“not-an-address” is not a valid email address.",
        ),
        (
            "languages",
            "en de",
            "“de” is not a language the letter can be written in: use en fr es ar zh ru.",
        ),
        ("languages", "", "Please give the letter"),
        ("threshold", "-5", "The threshold must be a whole number of signatures, 0 or more."),
        ("threshold", "many", "The threshold must be a whole number of signatures, 0 or more."),
    ],
)
def test_the_form_refuses_bad_values(app, as_role, petition, field, value, message):
    base = calls_base(petition)
    before = targets_snapshot(app)
    data = {
        "country": "JP",
        "body": "Ministry of Foreign Affairs",
        "emails": "contact@example.org",
        "postal_address": "",
        "languages": "en",
        "threshold": "10",
        field: value,
    }
    response = post_form(as_role("editor"), f"{base}/governments/new", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert targets_snapshot(app) == before


def test_editing_a_target_onto_another_country_is_refused(app, as_role, petition):
    base = calls_base(petition)
    france = _target_id(app, "FR")
    before = targets_snapshot(app)
    response = post_form(
        as_role("admin"),
        f"{base}/governments/{france}/edit",
        {"country": "CH", "body": "Someone", "emails": "", "languages": "fr", "threshold": "1"},
    )
    assert response.status_code == 422
    assert "This call already addresses Switzerland." in response.get_data(as_text=True)
    assert targets_snapshot(app) == before


def test_another_calls_target_is_not_found(app, as_role, petition):
    ch = _target_id(app, "CH")
    client = as_role("editor")
    assert client.get(f"/organiser/calls/{petition['id'] + 1000}/governments").status_code == 404
    assert (
        client.get(f"/organiser/calls/{petition['id'] + 1000}/governments/{ch}/edit").status_code
        == 404
    )
