"""Bounces as the mail tests make them: delivery status notifications as a receiving MTA
writes them (RFC 3464), fed to ``flask outbox bounce``, and a signature whose email went out."""

from __future__ import annotations

from email.message import Message
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import OutboxMessage

from ..helpers.journey import send_outbox, sign

BOUNCES = "bounces@campaign.example"
ADDRESS = "ada@example.org"


def rows(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def tag_of(message_id: str) -> str:
    return message_id.strip("<>").partition("@")[0]


def dsn(
    *,
    to: str,
    final_recipient: str = ADDRESS,
    action: str = "failed",
    status: str = "5.1.1",
    diagnostic: str | None = None,
    returned_message_id: str | None = None,
    returned_whole: bool = False,
    delivered_to: str | None = None,
) -> bytes:
    """A delivery status notification as a remote MTA sends it to the envelope sender."""
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = "Mail Delivery System <MAILER-DAEMON@mx.example.net>"
    report["To"] = to
    if delivered_to:
        report["Delivered-To"] = delivered_to
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Auto-Submitted"] = "auto-replied"
    report.attach(
        MIMEText(f"I'm sorry to have to inform you that your message to <{final_recipient}>\n")
    )
    per_message = Message()
    per_message["Reporting-MTA"] = "dns; mx.example.net"
    per_message["Arrival-Date"] = "Mon, 23 Nov 2026 05:00:00 +0000"
    per_recipient = Message()
    per_recipient["Final-Recipient"] = f"rfc822; {final_recipient}"
    per_recipient["Original-Recipient"] = f"rfc822;{final_recipient}"
    per_recipient["Action"] = action
    per_recipient["Status"] = status
    per_recipient["Remote-MTA"] = "dns; mail.example.org"
    per_recipient["Diagnostic-Code"] = diagnostic or (
        f"smtp; 550 5.1.1 <{final_recipient}>: Recipient address rejected: "
        f"User {final_recipient.partition('@')[0]} unknown in virtual mailbox table"
    )
    status_part = Message()
    status_part.set_type("message/delivery-status")
    status_part.set_payload([per_message, per_recipient])
    report.attach(status_part)
    if returned_message_id:
        headers = (
            f"From: Call to Governments <campaign@example.org>\n"
            f"To: {final_recipient}\n"
            f"Subject: Please confirm your signature\n"
            f"Message-ID: {returned_message_id}\n"
        )
        if returned_whole:
            original = Message()
            for line in headers.splitlines():
                name, _, value = line.partition(": ")
                original[name] = value
            original.set_payload("Please confirm.\n")
            report.attach(MIMEMessage(original))
        else:
            report.attach(MIMEText(headers, "rfc822-headers"))
    return report.as_bytes()


def bounce(app, data: bytes, *args: str):
    result = app.test_cli_runner().invoke(args=["outbox", "bounce", *args], input=data)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def signed_and_sent(app, client, petition, smtp, email: str = ADDRESS) -> OutboxMessage:
    assert sign(client, petition["slug"], email=email).status_code == 303
    assert send_outbox(app).sent == 1
    return rows(app)[-1]
