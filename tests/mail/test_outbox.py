"""The outbox: nothing lost while SMTP is down, nothing sent twice by concurrent workers."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from campaign.extensions import db
from campaign.models import OutboxMessage, OutboxStatus, Petition, utcnow

from ..helpers.app import ROOT
from ..helpers.journey import links_in, queue_test_messages, send_outbox, sign
from ..helpers.servers import worker_command_env


def rows(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_smtp_down_then_back_loses_nothing(app, client, smtp, petition):
    smtp.stop()
    for n in range(3):
        assert sign(client, petition["slug"], email=f"person{n}@example.org").status_code == 303
    result = send_outbox(app)
    assert (result.claimed, result.sent, result.retried) == (3, 0, 3)
    waiting = rows(app)
    assert [m.status for m in waiting] == [OutboxStatus.QUEUED] * 3
    assert all(m.attempts == 1 and "Connection refused" in m.last_error for m in waiting)
    message_ids = [m.message_id for m in waiting]

    smtp.start()
    result = send_outbox(app)
    assert result.sent == 3
    assert sorted(m["Message-ID"] for m in smtp.messages) == sorted(message_ids)
    assert [m.status for m in rows(app)] == [OutboxStatus.SENT] * 3
    assert send_outbox(app).claimed == 0  # nothing sent again


def test_temporary_refusal_is_retried(app, client, smtp, petition):
    smtp.handler.refuse_with = "451 4.3.0 Mailbox temporarily unavailable"
    sign(client, petition["slug"])
    assert send_outbox(app).retried == 1
    [row] = rows(app)
    assert row.status == OutboxStatus.QUEUED and row.attempts == 1
    smtp.handler.refuse_with = None
    assert send_outbox(app).sent == 1
    assert len(smtp.messages) == 1


def test_permanent_refusal_stops_retrying_and_shows(app, client, smtp, petition):
    smtp.handler.refuse_with = "550 5.1.1 No such user here"
    sign(client, petition["slug"])
    assert send_outbox(app).failed == 1
    [row] = rows(app)
    assert row.status == OutboxStatus.FAILED
    assert "550" in row.last_error
    smtp.handler.refuse_with = None
    assert send_outbox(app).claimed == 0
    assert smtp.messages == []
    status = app.test_cli_runner().invoke(args=["outbox", "status"]).output
    assert "failed for good (latest 1)" in status and "550 5.1.1 No such user here" in status
    assert "ada@example.org" not in status


def test_a_refusal_that_quotes_the_address_is_stored_without_it(app, client, smtp, petition):
    smtp.handler.refuse_with = "550 5.1.1 <ada@example.org>: Recipient address rejected"
    sign(client, petition["slug"])
    assert send_outbox(app).failed == 1
    [row] = rows(app)
    assert row.last_error == "recipient refused: 550 5.1.1 <[email]>: Recipient address rejected"


def test_a_message_leased_by_a_live_worker_is_not_taken(app, client, smtp, petition):
    from campaign.mail.leases import claim

    sign(client, petition["slug"])
    with app.app_context():
        assert len(claim("worker-a", 10, 60)) == 1
        assert claim("worker-b", 10, 60) == []
    with app.app_context():
        # worker-a died: once its lease has run out, another worker takes the message over.
        db.session.execute(
            update(OutboxMessage).values(lease_until=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
        assert len(claim("worker-c", 10, 60)) == 1


def test_two_worker_processes_never_send_the_same_message(app, smtp, petition, database_url):
    total = 300
    queue_test_messages(app, petition, total)
    env = worker_command_env(database_url, smtp, OUTBOX_BATCH_SIZE="25")
    command = [
        sys.executable,
        "-m",
        "flask",
        "--app",
        "wsgi",
        "outbox",
        "work",
        "--until-empty",
        "--stop-after",
        "30",
    ]
    workers = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=60)[0].decode() for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    received = Counter(m["Message-ID"] for m in smtp.messages)
    assert len(received) == total, outputs
    assert max(received.values()) == 1
    assert {m.status for m in rows(app)} == {OutboxStatus.SENT}


def test_outbox_commands(app, runner, client, smtp, petition):
    sign(client, petition["slug"])
    status = runner.invoke(args=["outbox", "status"])
    assert "waiting: 1" in status.output
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0
    assert "sent 1" in result.output
    assert len(links_in(smtp.messages[0])) == 1


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("template", ["confirm", "already_signed"])
def test_emails_filled_in_from_a_shared_rendering_equal_a_full_rendering(
    make_app, petition, language, template
):
    """Signing renders each email once per call and language, then fills in the person."""
    from flask_babel import force_locale
    from flask_babel import lazy_gettext as _l

    from campaign.mail.services import _fill_in, _render

    app = make_app()
    personal = ("name", "signature_url", "confirm_url")
    with app.test_request_context(), force_locale(language):
        call = db.session.get(Petition, petition["id"])
        # The last looks like a placeholder: it must stay as typed, not become a link.
        for name in [
            'Zoë <b>O\'Brien</b> & "Co"',
            "Ада Лавлейс",
            "李 小龙",
            "\ue000confirm_url\ue001",
        ]:
            context = {
                "petition": call,
                "name": name,
                "signature_url": "https://example.org/withdraw/a.b.c?x=1&y=<2>",
                "confirm_url": "https://example.org/confirm/d.e.f",
                "petition_url": "https://example.org/petitions/x",
                "max_age_days": 30,
            }
            subject = _l("Please confirm your signature: %(title)s", title="Title")
            filled = _fill_in(template, language, context, personal, ("key",), subject)
            # The subject comes in the reader's language, as a full rendering gives it.
            assert filled == (*_render(template, context), str(subject))
            if "\ue000" not in name:
                assert "\ue000" not in filled[0] + filled[1]


def test_a_template_that_changes_a_personal_value_is_rendered_in_full():
    from campaign.mail.services import _only_whole_placeholders, _placeholder

    assert _only_whole_placeholders("Hello " + _placeholder("name"), ("name",))
    # What |upper would make of the placeholder: no longer a placeholder, so no shortcut.
    assert not _only_whole_placeholders("Hello " + _placeholder("name").upper(), ("name",))
