"""The outbox's faster path: messages built once as bytes, sent rows marked in groups.

Grouping the marks must not weaken the promise of the decisions: a message
the server accepted is marked sent even when the connection drops later in
the batch, so it is never sent again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.mail.services import enqueue
from campaign.mail.worker import send_batch
from campaign.models import OutboxMessage, OutboxStatus, Petition

from ..helpers.app import ROOT, SECRET_KEY
from ..helpers.journey import queue_test_messages, send_outbox
from ..helpers.servers import free_port


class DropsAfter:
    """Accepts ``accept`` messages, then drops the connection at the next one's DATA."""

    def __init__(self, accept: int) -> None:
        self.accept = accept
        self.received: list = []

    async def handle_DATA(self, server, session, envelope):
        if len(self.received) >= self.accept:
            server.transport.close()
            return "421 closing"
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def statuses(app) -> Counter:
    with app.app_context():
        return Counter(db.session.scalars(select(OutboxMessage.status)))


def test_accented_names_and_subjects_arrive_intact(make_app, smtp, petition):
    app = make_app()
    subject = "Signature confirmée — « Appel aux gouvernements » " + " ".join(["très long"] * 8)
    with app.app_context():
        enqueue(
            kind="test",
            to_address="zoe@bücher.example",
            to_name="Zoë Ådams-Núñez",
            template="already_signed",
            subject=subject,
            language="fr",
            context={
                "petition": db.session.get(Petition, petition["id"]),
                "name": "Zoë",
                "signature_url": "x",
                "petition_url": "y",
            },
        )
        db.session.commit()
    assert send_outbox(app).sent == 1
    [message] = smtp.messages
    assert message["Subject"] == subject
    [to] = message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Zoë Ådams-Núñez", "zoe@xn--bcher-kva.example")
    assert message["From"].addresses[0].display_name == "Call to Governments"
    assert message["Auto-Submitted"] == "auto-generated"
    assert "Zoë" in message.get_body(("plain",)).get_content()
    assert message.get_body(("html",)) is not None
    with app.app_context():
        [row] = db.session.scalars(select(OutboxMessage))
        assert message["Message-ID"] == row.message_id


def test_what_the_server_accepted_is_marked_when_the_connection_drops(make_app, petition):
    handler = DropsAfter(accept=3)
    port = free_port()
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    try:
        # Marks grouped by 50: the three accepted messages are still unmarked when it drops.
        app = make_app(MAIL_PORT=port, OUTBOX_MARK_EVERY=50)
        queue_test_messages(app, petition, 5)
        with app.app_context():
            result = send_batch()
        assert (result.sent, result.retried) == (3, 2)
        assert statuses(app) == {OutboxStatus.SENT: 3, OutboxStatus.QUEUED: 2}

        handler.accept = 100
        with app.app_context():
            assert send_batch().sent == 2
        assert statuses(app) == {OutboxStatus.SENT: 5}
        ids = Counter(m["Message-ID"] for m in handler.received)
        assert len(ids) == 5 and max(ids.values()) == 1, "nothing was sent twice"
    finally:
        server.stop()


def test_marks_in_groups_and_sends_everything_once(make_app, smtp, petition):
    app = make_app(OUTBOX_MARK_EVERY=4)
    queue_test_messages(app, petition, 10)
    assert send_outbox(app).sent == 10
    assert statuses(app) == {OutboxStatus.SENT: 10}
    assert len({m["Message-ID"] for m in smtp.messages}) == len(smtp.messages) == 10


def test_a_rate_limited_batch_fits_well_within_its_lease(make_app, smtp, petition):
    # 1 message a second with a 4-second lease: claim 2, not the whole batch of 200,
    # or the last messages would outlive the lease while still waiting their turn.
    app = make_app(OUTBOX_RATE_PER_SECOND=1, OUTBOX_LEASE_SECONDS=4)
    queue_test_messages(app, petition, 5)
    result = send_outbox(app)
    assert (result.claimed, result.sent) == (2, 2)


def test_sigterm_lets_the_worker_finish_and_mark_its_batch(make_app, smtp, petition, database_url):
    app = make_app()
    queue_test_messages(app, petition, 30)
    env = {
        **os.environ,
        "CAMPAIGN_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        # 20 a second: the batch of 30 takes 1.5 s, so the signal arrives in the middle.
        "OUTBOX_RATE_PER_SECOND": "20",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "work"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while len(smtp.messages) < 3:
            assert time.monotonic() < deadline and worker.poll() is None, "no mail was sent"
            time.sleep(0.05)
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=20)[0].decode()
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    assert statuses(app) == {OutboxStatus.SENT: 30}, "the batch in hand was sent and marked"
    ids = Counter(m["Message-ID"] for m in smtp.messages)
    assert len(ids) == 30 and max(ids.values()) == 1
    with app.app_context():
        assert (
            db.session.scalar(select(func.count()).where(OutboxMessage.lease_owner.is_not(None)))
            == 0
        )
