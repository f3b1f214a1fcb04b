"""Registrations under the privacy rules: erasing a person anonymises their registrations
and removes their event mail; the retention run deletes unconfirmed registrations and
erases the rest a set time after the event."""

from __future__ import annotations

from datetime import timedelta

from campaign.extensions import db
from campaign.models import EventRegistration, OutboxMessage, utcnow
from campaign.privacy import services as privacy

from ..helpers.events import make_event, register, register_and_confirm


def _rows(app):
    with app.app_context():
        return [
            (r.email, r.name, r.organisation, r.country, r.status)
            for r in db.session.scalars(db.select(EventRegistration).order_by(EventRegistration.id))
        ]


def _outbox_for(app, address: str) -> int:
    with app.app_context():
        return db.session.scalar(
            db.select(db.func.count()).where(OutboxMessage.to_address == address)
        )


def test_erasing_a_person_anonymises_their_registrations(app, client, runner, smtp):
    make_event(app)
    register_and_confirm(app, app.test_client(), smtp, "launch", "ada@example.org", "Ada")
    register(client, "launch", email="bob@example.org", name="Bob")
    assert _outbox_for(app, "ada@example.org") == 2
    with app.app_context():
        report = privacy.subject_access_report("ada@example.org")
    assert report["event_registrations"][0]["status"] == "place"
    result = runner.invoke(args=["privacy", "erase", "ADA@example.org", "--yes"])
    assert result.exit_code == 0, result.output
    assert "1 event registration" in result.output
    assert _rows(app) == [
        (None, None, None, "CH", "place"),  # still counts as a place taken
        ("bob@example.org", "Bob", "Analytical Engines", "CH", "pending"),
    ]
    assert _outbox_for(app, "ada@example.org") == 0
    assert _outbox_for(app, "bob@example.org") == 1
    assert "1 person registered" in client.get("/events/launch").get_data(as_text=True)


def test_retention_deletes_stale_pending_and_erases_after_the_event(app, client, runner, smtp):
    event = make_event(app, capacity=5)
    register_and_confirm(app, app.test_client(), smtp, "launch", "ada@example.org", "Ada")
    register(client, "launch", email="bob@example.org", name="Bob")
    with app.app_context():
        days = app.config["EVENT_CONFIRM_MAX_AGE_DAYS"]
        bob = db.session.scalar(
            db.select(EventRegistration).where(EventRegistration.email == "bob@example.org")
        )
        bob.created_at = utcnow() - timedelta(days=days + 1)
        db.session.commit()
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 unconfirmed event registrations" in result.output
    assert [row[0] for row in _rows(app)] == ["ada@example.org"]
    # The month after the event: still there (the recording goes to them).
    with app.app_context():
        keep = app.config["EVENT_RETENTION_DAYS"]
        later = event["starts_at"] + timedelta(days=keep - 1)
        privacy.run_retention(later)
        db.session.commit()
    assert [row[0] for row in _rows(app)] == ["ada@example.org"]
    with app.app_context():
        privacy.run_retention(event["starts_at"] + timedelta(days=keep + 1))
        db.session.commit()
    assert _rows(app) == [(None, None, None, "CH", "place")]


def test_the_privacy_page_finds_and_erases_registrations_alone(app, as_role, smtp):
    import re

    from campaign.models import AuditEntry

    make_event(app)
    register_and_confirm(app, app.test_client(), smtp, "launch", "ada@example.org", "Ada")
    admin = as_role("admin")
    page = admin.get("/organiser/privacy").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    found = admin.post("/organiser/privacy", data={"csrf_token": token, "email": "ada@example.org"})
    body = found.get_data(as_text=True)
    assert "1 event registration found" in body and "launch" in body
    erased = admin.post(
        "/organiser/privacy/erase",
        data={"csrf_token": token, "email": "ada@example.org", "confirm": "y"},
    )
    assert erased.status_code in (200, 303)
    assert _rows(app) == [(None, None, None, "CH", "place")]
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "privacy.erase"))
        assert len(entry.changes["event_registration_ids"]) == 1
        assert "ada@example.org" not in str(entry.changes)
