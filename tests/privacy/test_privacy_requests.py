"""Admins answer subject access and erasure requests; each is in the audit log."""

from __future__ import annotations

import json

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, OutboxMessage, Signature, utcnow

from ..helpers.backoffice import add_signature, csrf_token


def test_find_export_and_erase_a_person(app, as_role, petition):
    with app.app_context():
        signature_id = add_signature(petition["id"], "Grace.Hopper@gmail.com", name="Grace Hopper")
        db.session.commit()
    admin = as_role("admin")
    token = csrf_token(admin, "/organiser/privacy")

    found = admin.post(
        "/organiser/privacy", data={"csrf_token": token, "email": "gracehopper+x@gmail.com"}
    )
    html = found.get_data(as_text=True)
    assert found.status_code == 200 and found.headers["Cache-Control"] == "no-store"
    assert "1 signature found" in html and "Grace Hopper" in html

    export = admin.post(
        "/organiser/privacy/export", data={"csrf_token": token, "email": "grace.hopper@gmail.com"}
    )
    assert export.status_code == 200
    assert export.headers["Content-Disposition"] == 'attachment; filename="subject-access.json"'
    report = json.loads(export.get_data(as_text=True))
    assert report["signatures"][0]["email"] == "Grace.Hopper@gmail.com"

    unconfirmed = admin.post(
        "/organiser/privacy/erase", data={"csrf_token": token, "email": "grace.hopper@gmail.com"}
    )
    assert unconfirmed.status_code == 422
    assert "tick the box" in unconfirmed.get_data(as_text=True)
    erased = admin.post(
        "/organiser/privacy/erase",
        data={"csrf_token": token, "email": "grace.hopper@gmail.com", "confirm": "y"},
    )
    assert erased.status_code == 303

    with app.app_context():
        signature = db.session.get(Signature, signature_id)
        assert (signature.name, signature.email, signature.ip_address) == (None, None, None)
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("privacy.%")).order_by(AuditEntry.id)
        ).all()
        assert [e.action for e in entries] == ["privacy.export", "privacy.erase"]
        for entry in entries:
            assert entry.changes["signature_ids"] == [signature_id]
            assert "gmail" not in json.dumps(entry.changes).lower()  # ids, never the address


def test_the_lookup_never_puts_the_address_in_a_url(as_role, petition):
    page = as_role("admin").get("/organiser/privacy")
    html = page.get_data(as_text=True)
    assert 'method="post" action="/organiser/privacy"' in html


def test_the_dashboard_shows_mail_refused_for_good(app, as_role, petition):
    with app.app_context():
        db.session.add(
            OutboxMessage(
                message_id="<x@localhost>",
                kind="confirm",
                petition_id=petition["id"],
                to_address="typo@exmaple.org",
                subject="s",
                body_text="t",
                body_html="h",
                status="failed",
                last_error="recipient refused: 550 5.1.1 No such user",
                created_at=utcnow(),
            )
        )
        db.session.commit()
    html = as_role("moderator").get(f"/organiser/calls/{petition['id']}").get_data(as_text=True)
    assert "1 message to this call" in html
    assert "550 5.1.1 No such user" in html
    assert "typo@exmaple.org" not in html
