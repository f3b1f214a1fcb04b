"""Updates to supporters: preview, test send, resumable sending without duplicates,
List-Unsubscribe headers and the unsubscribe page."""

from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import func, select

from campaign.extensions import db
from campaign.models import OutboxMessage, Signature, SupporterUpdate, UpdateDelivery

from ..helpers.backoffice import add_signature, csrf_token
from ..helpers.journey import send_outbox
from .helpers import confirm_send

UNSUBSCRIBE = re.compile(r"http://localhost(?:/[a-z]{2})?/petitions/unsubscribe/[A-Za-z0-9_.\-]+")


def supporters(app, petition_id: int) -> None:
    """Three who should get updates, and four who must not."""
    with app.app_context():
        add_signature(petition_id, "ana@example.org", name="Ana", updates=True)
        add_signature(petition_id, "bo@example.org", name="Bo", updates=True)
        add_signature(petition_id, "chloe@example.fr", name="Chloé", updates=True, language="fr")
        add_signature(petition_id, "no-news@example.org", updates=False)
        add_signature(petition_id, "pending@example.org", updates=True, confirmed=False)
        add_signature(petition_id, "spam@example.org", updates=True, validity="invalidated")
        add_signature(petition_id, "held@example.org", updates=True, validity="suspect")
        db.session.commit()


def write_update(client, petition_id: int) -> str:
    url = f"/organiser/calls/{petition_id}/updates/new"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "subject": "We delivered the call",
            "body_markdown": "Thank you! The call was handed to **48 governments**.",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def post(client, url: str, page: str):
    return client.post(url, data={"csrf_token": csrf_token(client, page)})


def test_preview_test_send_then_send_in_resumable_batches(make_app, smtp, organisers, petition):
    app = make_app(UPDATE_BATCH_SIZE=2)
    from ..helpers.backoffice import signed_in

    client = signed_in(app.test_client(), organisers["editor"])
    supporters(app, petition["id"])
    page = write_update(client, petition["id"])
    preview = client.get(page).get_data(as_text=True)
    assert "<strong>48 governments</strong>" in preview
    assert "3 people would receive it now." in preview

    # A test goes to the organiser only, and marks nobody as served.
    assert post(client, page + "/test", page).status_code == 303
    send_outbox(app)
    [test_copy] = smtp.messages
    assert test_copy["To"] == "Editor <editor@example.org>"
    assert test_copy["Subject"] == "We delivered the call"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UpdateDelivery)) == 0

    # Confirming queues one batch (two messages); sending them is the outbox's job.
    assert confirm_send(client, page).status_code == 303
    send_outbox(app)
    assert len(smtp.messages) == 3
    with app.app_context():
        update = db.session.scalar(select(SupporterUpdate))
        assert update.status == "sending"
    # The periodic job queues the rest, and stops when everyone has had it.
    result = app.test_cli_runner().invoke(args=["organiser", "send-updates"])
    assert "1 messages queued" in result.output
    send_outbox(app)
    # Running the job again sends nothing more (and marks the update sent).
    app.test_cli_runner().invoke(args=["organiser", "send-updates"])
    send_outbox(app)

    updates = [m for m in smtp.messages[1:] if m["Subject"] == "We delivered the call"]
    recipients = Counter(m["To"] for m in updates)
    assert recipients == Counter(
        ["Ana <ana@example.org>", "Bo <bo@example.org>", "Chloé <chloe@example.fr>"]
    )
    with app.app_context():
        assert db.session.scalar(select(SupporterUpdate.status)) == "sent"
    for message in updates:
        body = message.get_body(("plain",)).get_content()
        assert "48 governments" in body
        [link] = UNSUBSCRIBE.findall(body)
        assert message["List-Unsubscribe"] == f"<{link}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # Links in the reader's language.
        assert ("/fr/" in link) == (message["To"].startswith("Chlo"))


def test_a_repeated_batch_never_sends_twice(app, smtp, organisers, petition):
    """Even if an update is started again (a crash, a second process), the delivery
    records keep everyone to one copy."""
    from campaign.models import Organiser
    from campaign.updates import services

    supporters(app, petition["id"])
    with app.app_context():
        from campaign.models import Petition

        editor = db.session.get(Organiser, organisers["editor"]["id"])
        update = services.save_update(
            None, db.session.get(Petition, petition["id"]), "News", "Some news.", editor
        )
        services.start_sending(update, editor)
        assert services.queue_update_batch(update, 10) == 3
        db.session.commit()
        assert update.status == "sending"  # sent once the outbox has sent them
        update.queued_all_at = None  # as if a second process still thought it unfinished
        assert services.queue_update_batch(update, 10) == 0
        db.session.commit()
        counts = db.session.execute(
            select(OutboxMessage.to_address, func.count())
            .where(OutboxMessage.kind == "update")
            .group_by(OutboxMessage.to_address)
        ).all()
        assert sorted(n for _, n in counts) == [1, 1, 1]


def test_unsubscribe_asks_on_get_and_acts_on_post(app, client, smtp, organisers, petition):
    from campaign import tokens

    supporters(app, petition["id"])
    with app.app_context():
        public_id = db.session.scalar(
            select(Signature.public_id).where(Signature.email == "ana@example.org")
        )
        token = tokens.make(tokens.Purpose.UNSUBSCRIBE, public_id)
    url = f"/petitions/unsubscribe/{token}"
    page = client.get(url)
    assert page.status_code == 200 and "Stop receiving news" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"

    def wants_updates() -> bool:
        with app.app_context():
            return db.session.scalar(
                select(Signature.updates).where(Signature.public_id == public_id)
            )

    assert wants_updates()  # a GET (a link scanner) changes nothing
    done = client.post(url)
    assert done.status_code == 200 and "You are unsubscribed" in done.get_data(as_text=True)
    assert not wants_updates()
    # The signature still counts.
    with app.app_context():
        from campaign.models import Petition

        assert db.session.get(Petition, petition["id"]).signature_count == 4


def test_one_click_unsubscribe_from_a_mail_app(app, client, petition):
    from campaign import tokens

    with app.app_context():
        add_signature(petition["id"], "dee@example.org", updates=True)
        db.session.commit()
        public_id = db.session.scalar(select(Signature.public_id))
        token = tokens.make(tokens.Purpose.UNSUBSCRIBE, public_id)
    # RFC 8058: a POST with this body, no cookie, no CSRF token.
    response = client.post(
        f"/petitions/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Signature.updates)) is False


def test_a_bad_unsubscribe_link_explains_itself(client, petition):
    for token in ("nonsense", "test"):
        response = client.get(f"/petitions/unsubscribe/{token}")
        assert response.status_code == 404
        assert "This link does not work" in response.get_data(as_text=True)


def test_a_sent_update_cannot_be_edited(app, as_role, petition):
    client = as_role("editor")
    page = write_update(client, petition["id"])
    with app.app_context():
        add_signature(petition["id"], "ana@example.org", updates=True)
        db.session.commit()
    assert confirm_send(client, page).status_code == 303
    edit = client.get(page + "/edit")
    assert edit.status_code == 302
