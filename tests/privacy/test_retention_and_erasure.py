"""Retention, subject access and erasure: data goes, counts stay honest."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from sqlalchemy import select

from campaign import stored_files
from campaign.extensions import db
from campaign.models import (
    FileKind,
    OutboxMessage,
    Petition,
    PetitionState,
    Signature,
    StoredFile,
    utcnow,
)

from ..helpers.journey import links_in, local_path, press_button, send_outbox, sign


def confirm_one(app, client, smtp, petition, email):
    sign(client, petition["slug"], email=email)
    send_outbox(app)
    press_button(client, local_path(links_in(smtp.messages[-1])[0]))


def age_signatures(app, days: int) -> None:
    with app.app_context():
        for signature in db.session.scalars(select(Signature)):
            signature.created_at = utcnow() - timedelta(days=days)
        db.session.commit()


def test_pending_signatures_outlive_their_link_then_go(app, client, smtp, runner, petition):
    confirm_one(app, client, smtp, petition, "kept@example.org")
    sign(client, petition["slug"], email="never-confirmed@example.org")
    with app.app_context():
        db.session.get(Petition, petition["id"]).pending_retention_days = 1  # shorter than links
        db.session.commit()
    age_signatures(app, 29)
    assert "deleted 0 unconfirmed" in runner.invoke(args=["retention", "run"]).output
    age_signatures(app, 31)
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0
    assert "deleted 1 unconfirmed" in result.output
    with app.app_context():
        [kept] = db.session.scalars(select(Signature)).all()
        assert kept.email == "kept@example.org"
        assert all(m.signature_id == kept.id for m in db.session.scalars(select(OutboxMessage)))
        assert db.session.get(Petition, petition["id"]).signature_count == 1
    assert "deleted 0 unconfirmed" in runner.invoke(args=["retention", "run"]).output


def test_personal_data_is_erased_after_delivery(app, client, smtp, runner, petition):
    confirm_one(app, client, smtp, petition, "a@example.org")
    confirm_one(app, client, smtp, petition, "b@example.org")
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        call.state = PetitionState.DELIVERED
        call.delivered_at = utcnow() - timedelta(days=29)
        db.session.commit()
    assert "erased personal data of 0" in runner.invoke(args=["retention", "run"]).output
    with app.app_context():
        db.session.get(Petition, petition["id"]).delivered_at = utcnow() - timedelta(days=31)
        db.session.commit()
    with app.app_context():
        names = io.BytesIO(b"names inside")
        stored_files.store(db.session, FileKind.PACKAGE, petition["id"], "ch.zip", names)
        db.session.commit()
    assert "erased personal data of 2" in runner.invoke(args=["retention", "run"]).output
    with app.app_context():
        assert db.session.scalars(select(StoredFile)).all() == []
        for signature in db.session.scalars(select(Signature)):
            assert (signature.name, signature.email, signature.ip_address) == (None, None, None)
            assert signature.status == "confirmed" and signature.country == "CH"
        assert db.session.get(Petition, petition["id"]).signature_count == 2
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_subject_access_export_and_erasure(app, client, smtp, runner, petition, tmp_path):
    confirm_one(app, client, smtp, petition, "Grace.Hopper@gmail.com")
    found = runner.invoke(args=["privacy", "find", "gracehopper+x@gmail.com"])
    assert "call-to-governments\tconfirmed\tok\tCH" in found.output
    out = tmp_path / "report.json"
    runner.invoke(args=["privacy", "export", "gracehopper@gmail.com", "--out", str(out)])
    report = json.loads(out.read_text())
    [entry] = report["signatures"]
    assert entry["email"] == "Grace.Hopper@gmail.com"
    assert entry["ip_address"] == "127.0.0.1"
    assert "privacy notice" in entry["consent_text"]
    assert entry["privacy_notice_version"]
    erased = runner.invoke(args=["privacy", "erase", "grace.hopper@gmail.com", "--yes"])
    assert "erased 1 signature" in erased.output
    with app.app_context():
        signature = db.session.scalars(select(Signature)).one()
        assert signature.email is None and signature.name is None
        assert db.session.get(Petition, petition["id"]).signature_count == 1
    assert (
        "no signature" in runner.invoke(args=["privacy", "find", "grace.hopper@gmail.com"]).output
    )


def test_erasure_asks_before_acting(app, client, runner, petition):
    sign(client, petition["slug"], email="careful@example.org")
    refused = runner.invoke(args=["privacy", "erase", "careful@example.org"], input="n\n")
    assert refused.exit_code != 0
    with app.app_context():
        assert db.session.scalars(select(Signature)).one().email == "careful@example.org"


def test_erasure_takes_a_promoted_signer_off_the_notables(app, client, smtp, runner, petition):
    from campaign.models import NotableSignatory

    sign(client, petition["slug"], email="promoted@example.org", public="y")
    send_outbox(app)
    press_button(client, local_path(links_in(smtp.messages[-1])[0]))
    with app.app_context():
        signature = db.session.scalars(select(Signature)).one()
        db.session.add(
            NotableSignatory(
                petition_id=petition["id"],
                name=signature.name,
                title="Nurse",
                signature_id=signature.id,
            )
        )
        db.session.commit()
    runner.invoke(args=["privacy", "erase", "promoted@example.org", "--yes"])
    with app.app_context():
        linked = db.session.scalars(
            select(NotableSignatory).where(NotableSignatory.signature_id.is_not(None))
        ).all()
        assert linked == []


def test_nothing_is_erased_until_the_call_is_marked_delivered(app, client, smtp, runner, petition):
    confirm_one(app, client, smtp, petition, "early@example.org")
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        call.delivered_at = utcnow() - timedelta(days=90)  # delivered to one government...
        db.session.commit()  # ...but the call is still open for others
    assert "erased personal data of 0" in runner.invoke(args=["retention", "run"]).output
    with app.app_context():
        assert db.session.scalars(select(Signature)).one().email == "early@example.org"


def test_retention_periods_are_set_per_call(app, runner, petition):
    shown = runner.invoke(
        args=[
            "retention",
            "set",
            petition["slug"],
            "--pending-days",
            "7",
            "--erase-after-days",
            "90",
        ]
    )
    assert shown.exit_code == 0
    assert "kept 7 days (never less than the confirmation link's 30)" in shown.output
    assert "erased 90 days after the last delivery" in shown.output
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        assert (call.pending_retention_days, call.erase_after_delivery_days) == (7, 90)
    refused = runner.invoke(args=["retention", "set", petition["slug"], "--pending-days", "0"])
    assert refused.exit_code != 0
    assert "no call" in runner.invoke(args=["retention", "set", "nope"]).output
