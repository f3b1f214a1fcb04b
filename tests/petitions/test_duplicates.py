"""Signing again with the same mailbox: one signature, capped emails, nothing revealed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign import emails
from campaign.extensions import db
from campaign.models import OutboxMessage, Petition, Signature

from ..helpers.journey import links_in, local_path, press_button, send_outbox, sign


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Ada@Example.ORG", "ada@example.org"),
        ("a.d.a+petitions@gmail.com", "ada@gmail.com"),
        ("ADA@googlemail.com", "ada@gmail.com"),
        ("ada+news@outlook.com", "ada@outlook.com"),
        ("a.da@example.org", "a.da@example.org"),  # dots matter outside Gmail
        ("ada+tag@example.org", "ada+tag@example.org"),  # and so do tags
        ("ada@BÜCHER.example", "ada@xn--bcher-kva.example"),
    ],
)
def test_canonical_forms(typed, canonical):
    assert emails.canonical(typed) == canonical


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_pending_duplicate_resends_the_confirmation_with_the_same_response(app, client, petition):
    first = sign(client, petition["slug"], email="ada.lovelace@gmail.com")
    second = sign(client, petition["slug"], email="AdaLovelace+call@GMAIL.com", name="Someone")
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        [signature] = db.session.scalars(select(Signature)).all()
        assert signature.name == "Ada Lovelace"
        assert signature.emails_sent == 2
    messages = outbox(app)
    assert [m.kind for m in messages] == ["confirm", "confirm"]
    # Both go to the address that signed first, whatever the second submission typed.
    assert {m.to_address for m in messages} == {"ada.lovelace@gmail.com"}


def test_at_most_five_emails_per_signature(app, client, petition):
    for _ in range(8):
        assert sign(client, petition["slug"]).status_code == 303
    assert len(outbox(app)) == 5
    with app.app_context():
        assert len(db.session.scalars(select(Signature)).all()) == 1


def test_confirmed_duplicate_gets_an_already_signed_email(app, client, smtp, petition):
    sign(client, petition["slug"])
    send_outbox(app)
    [link] = links_in(smtp.messages[-1])
    press_button(client, local_path(link))
    again = sign(client, petition["slug"], email="ADA@example.org")
    assert again.status_code == 303
    assert send_outbox(app).sent == 1
    note = smtp.messages[-1]
    assert "already signed" in note["Subject"]
    body = note.get_body(("plain",)).get_content()
    assert "already confirmed and counted" in body
    assert "/petitions/confirm/" not in body
    with app.app_context():
        assert db.session.get(Petition, petition["id"]).signature_count == 1
        assert len(db.session.scalars(select(Signature)).all()) == 1


def test_the_same_address_on_two_calls_is_two_signatures(app, client, petition):
    with app.app_context():
        other = Petition(slug="second-call", title="Second call", state="open")
        db.session.add(other)
        db.session.commit()
    sign(client, petition["slug"])
    sign(client, "second-call")
    with app.app_context():
        assert len(db.session.scalars(select(Signature)).all()) == 2
