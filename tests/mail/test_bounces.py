"""Bounces: VERP envelope senders, delivery status notifications piped in, suppression.

The DSNs are built with the ``email`` package as a receiving MTA writes them
(RFC 3464: multipart/report with message/delivery-status and the returned
message or its headers), and fed to ``flask outbox bounce`` on standard input
or through a Maildir, as an MTA would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from campaign.config import ConfigurationError
from campaign.extensions import db
from campaign.models import OutboxStatus, Petition, Signature

from ..helpers.app import ROOT
from ..helpers.backoffice import add_signature
from ..helpers.journey import send_outbox, sign
from ..helpers.servers import worker_command_env
from .helpers import ADDRESS, BOUNCES, bounce, dsn, rows, signed_and_sent, tag_of


@pytest.fixture
def app(make_app):
    return make_app(MAIL_BOUNCE_ADDRESS=BOUNCES)


def assert_no_address_stored(app, address: str = ADDRESS) -> None:
    """No field but the one mail is sent to holds the address; no text its local part.

    (The Message-ID is random hex, which may contain "ada" by chance, as a word never.)
    """
    local = re.compile(rf"\b{re.escape(address.partition('@')[0])}\b", re.IGNORECASE)
    for row in rows(app):
        for field in ("last_error", "bounce_status", "bounce_diagnostic", "kind", "message_id"):
            value = (getattr(row, field) or "").lower()
            assert address not in value and not local.search(value), (field, value)


# -- VERP ------------------------------------------------------------------------------


def test_the_envelope_sender_names_the_message_and_never_the_address(app, client, smtp, petition):
    row = signed_and_sent(app, client, petition, smtp)
    [(mail_from, rcpt_tos)] = smtp.envelopes
    tag = tag_of(row.message_id)
    assert mail_from == f"bounces+{tag}@campaign.example"
    assert "ada" not in mail_from and "example.org" not in mail_from
    assert rcpt_tos == [ADDRESS]
    [message] = smtp.messages
    # The reader still sees the From address; the Message-ID is the stored, stable one.
    assert message["From"].addresses[0].addr_spec == "campaign@example.org"
    assert message["Message-ID"] == row.message_id


def test_without_a_bounce_address_the_envelope_sender_is_the_from_address(make_app, smtp, petition):
    app = make_app()
    signed_and_sent(app, app.test_client(), petition, smtp)
    assert smtp.envelopes[0][0] == "campaign@example.org"


def test_a_bounce_address_with_a_plus_is_refused(make_app):
    with pytest.raises(ConfigurationError, match="MAIL_BOUNCE_ADDRESS"):
        make_app(MAIL_BOUNCE_ADDRESS="bounces+x@campaign.example")


# -- reading bounces -------------------------------------------------------------------


def test_a_hard_bounce_marks_the_message_bounced_once(app, client, smtp, petition):
    row = signed_and_sent(app, client, petition, smtp)
    verp = f"bounces+{tag_of(row.message_id)}@campaign.example"
    data = dsn(to=verp, delivered_to=verp)

    result = bounce(app, data)
    assert result.exit_code == 0
    assert f"hard bounce 5.1.1 recorded for outbox message #{row.id} (confirm)" in result.output
    [bounced] = rows(app)
    assert bounced.status == OutboxStatus.BOUNCED and bounced.bounce_status == "5.1.1"
    assert bounced.bounced_at is not None
    assert bounced.bounce_diagnostic == (
        "550 5.1.1 <[email]>: Recipient address rejected: "
        "User [email] unknown in virtual mailbox table"
    )
    assert ADDRESS not in result.output

    again = bounce(app, data)
    assert again.exit_code == 0 and "already recorded" in again.output
    [same] = rows(app)
    assert (same.status, same.bounced_at, same.bounce_diagnostic) == (
        bounced.status,
        bounced.bounced_at,
        bounced.bounce_diagnostic,
    )
    assert_no_address_stored(app)


def test_the_recipient_option_carries_the_tag(app, client, smtp, petition):
    """Postfix's pipe(8) passes ${recipient}; the DSN's own headers need not name the tag."""
    row = signed_and_sent(app, client, petition, smtp)
    data = dsn(to=BOUNCES)
    unmatched = bounce(app, data)
    assert unmatched.exit_code == 0 and "matches no outbox message" in unmatched.output
    assert rows(app)[0].status == OutboxStatus.SENT

    verp = f"bounces+{tag_of(row.message_id)}@campaign.example"
    result = bounce(app, data, "--recipient", verp)
    assert result.exit_code == 0 and "recorded" in result.output
    assert rows(app)[0].status == OutboxStatus.BOUNCED


def test_a_delay_records_nothing(app, client, smtp, petition):
    row = signed_and_sent(app, client, petition, smtp)
    verp = f"bounces+{tag_of(row.message_id)}@campaign.example"
    data = dsn(
        to=verp,
        action="delayed",
        status="4.4.1",
        diagnostic="smtp; 451 4.4.1 Connection timed out",
    )
    result = bounce(app, data)
    assert result.exit_code == 0
    assert f"delivery delayed (action delayed, status 4.4.1) for outbox message #{row.id}" in (
        result.output
    )
    [same] = rows(app)
    assert same.status == OutboxStatus.SENT and same.bounced_at is None
    # Nor does a final failure with a temporary status (the relay gave up on a 4xx).
    bounce(app, dsn(to=verp, status="4.4.7", diagnostic="smtp; 451 4.4.7 expired"))
    assert rows(app)[0].status == OutboxStatus.SENT


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\xff\xfe garbage \x80\x81" * 50,
        b"From: someone@example.net\r\nSubject: Out of office\r\n\r\nI am away until Monday.\r\n",
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n--x\r\n",
        b"Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\nAction:",
    ],
    ids=["empty", "binary", "auto-reply", "truncated-report", "truncated-status"],
)
def test_anything_else_is_dropped_without_a_traceback(app, client, smtp, petition, data):
    signed_and_sent(app, client, petition, smtp)
    result = bounce(app, data, "--recipient", "bounces+0123456789abcdef@campaign.example")
    assert result.exit_code == 0
    assert "ignored" in result.output
    assert rows(app)[0].status == OutboxStatus.SENT


def test_a_report_without_verp_is_matched_by_the_returned_message_id(make_app, smtp, petition):
    app = make_app()  # no MAIL_BOUNCE_ADDRESS: the bounce comes to the From address
    row = signed_and_sent(app, app.test_client(), petition, smtp)
    headers_only = dsn(to="campaign@example.org", returned_message_id=row.message_id)
    result = bounce(app, headers_only)
    assert result.exit_code == 0 and f"recorded for outbox message #{row.id}" in result.output
    assert rows(app)[0].status == OutboxStatus.BOUNCED

    other = signed_and_sent(app, app.test_client(), petition, smtp, email="bob@example.org")
    whole = dsn(
        to="campaign@example.org",
        final_recipient="bob@example.org",
        status="5.2.1",
        diagnostic="smtp; 550 5.2.1 The email account that you tried to reach is disabled",
        returned_message_id=other.message_id,
        returned_whole=True,
    )
    assert "recorded" in bounce(app, whole).output
    second = rows(app)[1]
    assert second.status == OutboxStatus.BOUNCED and second.bounce_status == "5.2.1"
    assert_no_address_stored(app, "bob@example.org")


def test_a_bounce_for_a_message_still_leased_is_not_overwritten_as_sent(
    app, client, smtp, petition
):
    """The worker crashed after the server took it, or is marking it right now."""
    from campaign.mail.leases import claim, mark_sent

    assert sign(client, petition["slug"]).status_code == 303
    with app.app_context():
        [claimed] = claim("worker-a", 10, 60)
    row = rows(app)[0]
    assert "recorded" in bounce(app, dsn(to=BOUNCES, returned_message_id=row.message_id)).output
    with app.app_context():
        mark_sent([claimed], "worker-a")
    assert rows(app)[0].status == OutboxStatus.BOUNCED
    assert send_outbox(app).claimed == 0


def test_a_maildir_is_read_and_its_messages_moved_to_cur(app, client, smtp, petition, tmp_path):
    row = signed_and_sent(app, client, petition, smtp)
    verp = f"bounces+{tag_of(row.message_id)}@campaign.example"
    maildir = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "new" / "1700000000.1.host").write_bytes(dsn(to=verp, delivered_to=verp))
    (maildir / "new" / "1700000001.2.host").write_bytes(b"Subject: hello\r\n\r\nnot a bounce\r\n")
    (maildir / "new" / "1700000002.3.host").write_bytes(dsn(to=verp, delivered_to=verp))
    (maildir / "new" / "stray-folder").mkdir()

    result = bounce(app, b"", "--maildir", str(maildir))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3
    assert "1700000000.1.host: hard bounce 5.1.1 recorded" in lines[0]
    assert "not a delivery status notification" in lines[1]
    assert "already recorded" in lines[2]
    assert [p.name for p in (maildir / "new").iterdir()] == ["stray-folder"]
    assert sorted(p.name for p in (maildir / "cur").iterdir()) == [
        "1700000000.1.host:2,S",
        "1700000001.2.host:2,S",
        "1700000002.3.host:2,S",
    ]
    assert rows(app)[0].status == OutboxStatus.BOUNCED

    again = bounce(app, b"", "--maildir", str(maildir))
    assert again.exit_code == 0 and again.output == ""


def test_a_path_that_is_not_a_maildir_is_refused(app, tmp_path: Path):
    result = app.test_cli_runner().invoke(args=["outbox", "bounce", "--maildir", str(tmp_path)])
    assert result.exit_code == 2 and "not a Maildir" in result.output


# -- consequences ----------------------------------------------------------------------


def test_a_bounced_address_gets_no_more_mail_from_that_call(app, client, smtp, petition):
    from campaign.updates import services as update_services

    row = signed_and_sent(app, client, petition, smtp)
    verp = f"bounces+{tag_of(row.message_id)}@campaign.example"
    assert "recorded" in bounce(app, dsn(to=verp)).output

    # Signing again with the same address (any spelling of it) queues another confirmation...
    assert sign(client, petition["slug"], email="ADA@example.org").status_code == 303
    # ...and an update to supporters, once it is confirmed, leaves the mailbox out: it is
    # not counted among the recipients, nor queued (the outbox's rule, read by updates).
    with app.app_context():
        signature = db.session.scalar(select(Signature).where(Signature.id == row.signature_id))
        signature.status, signature.updates = "confirmed", True
        add_signature(petition["id"], "bo@example.org", updates=True)
        call = db.session.get(Petition, petition["id"])
        update_ = update_services.save_update(None, call, "News", "Delivered.", None)
        db.session.flush()
        update_services.start_sending(update_, None)
        assert update_services.recipients_left(update_) == 1
        assert update_services.queue_update_batch(update_, 10) == 1
        db.session.commit()
    smtp.reset()

    result = send_outbox(app)
    assert (result.sent, result.suppressed) == (1, 1)
    assert [rcpts for _sender, rcpts in smtp.envelopes] == [["bo@example.org"]]
    suppressed = [r for r in rows(app) if r.status == OutboxStatus.SUPPRESSED]
    assert sorted(r.kind for r in suppressed) == ["confirm"]
    assert all("bounced" in r.last_error for r in suppressed)
    assert send_outbox(app).claimed == 0  # not retried either
    assert_no_address_stored(app)


# -- as an MTA runs it -----------------------------------------------------------------


def run_wrapper(env_file: Path, data: bytes, *args: str) -> subprocess.CompletedProcess:
    """bin/outbox-bounce, as Postfix's pipe(8) or Exim's pipe transport start it."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/"),
        "CAMPAIGN_ENV_FILE": str(env_file),
        "VIRTUAL_ENV": os.environ.get("VIRTUAL_ENV", str(Path(sys.executable).parent.parent)),
    }
    return subprocess.run(
        [str(ROOT / "bin" / "outbox-bounce"), *args],
        input=data,
        env=environment,
        capture_output=True,
        timeout=60,
    )


def test_an_mta_pipes_bounces_through_bin_outbox_bounce(
    app, client, smtp, petition, database_url, tmp_path
):
    row = signed_and_sent(app, client, petition, smtp)
    verp = f"bounces+{tag_of(row.message_id)}@campaign.example"
    env_file = tmp_path / "env"
    settings = worker_command_env(database_url, smtp, MAIL_BOUNCE_ADDRESS=BOUNCES)
    names = ("CAMPAIGN_ENV", "SECRET_KEY", "DATABASE_URL", "MAIL_SERVER", "MAIL_BOUNCE_ADDRESS")
    env_file.write_text("".join(f"{name}='{settings[name]}'\n" for name in names))

    garbage = run_wrapper(env_file, b"\x00\x01 not mail at all", "--recipient", verp)
    assert garbage.returncode == 0, garbage.stderr
    assert b"Traceback" not in garbage.stderr + garbage.stdout
    assert rows(app)[0].status == OutboxStatus.SENT

    hard = run_wrapper(env_file, dsn(to=BOUNCES), "--recipient", verp)
    assert hard.returncode == 0, hard.stderr
    assert b"hard bounce 5.1.1 recorded" in hard.stdout
    assert ADDRESS.encode() not in hard.stdout + hard.stderr
    assert rows(app)[0].status == OutboxStatus.BOUNCED


def test_an_unreachable_database_asks_the_mta_to_try_again(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text(
        "CAMPAIGN_ENV=production\nSECRET_KEY=x\nMAIL_SERVER=127.0.0.1\n"
        f"DATABASE_URL=sqlite:///{tmp_path}/no/such/dir/campaign.sqlite\n"
    )
    result = run_wrapper(env_file, dsn(to=BOUNCES, returned_message_id="<0123456789abcdef@x>"))
    assert result.returncode == 75, (result.stdout, result.stderr)
    assert b"try again later" in result.stderr
    assert b"Traceback" not in result.stderr
