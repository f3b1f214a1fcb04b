"""Bounces: a VERP envelope sender per message, and delivery status notifications read back.

A relay that accepts a message may still fail to deliver it; it then sends a
delivery status notification (RFC 3464: ``multipart/report;
report-type=delivery-status``) to the message's envelope sender. With
``MAIL_BOUNCE_ADDRESS`` set (``bounces@example.org``), each message goes out
from ``bounces+<tag>@example.org`` (VERP), where the tag is the local part of
its stable Message-ID: random, so it names the outbox row and nothing else
(never the recipient's address), and the same on every retry. The MTA pipes
what arrives there to ``flask outbox bounce`` (see :func:`ingest`).

The row is found by that tag (in ``--recipient``, ``Delivered-To``,
``X-Original-To``, ``Envelope-To`` or ``To``), or else by the Message-ID of
the returned message (``message/rfc822`` or ``text/rfc822-headers``), so a
DSN sent to the plain From address is matched too. Only a report whose
recipient ``Action`` is ``failed`` with a ``5.x.x`` status is a hard bounce:
the row is marked ``bounced`` with the status and the diagnostic, every
address removed. ``delayed`` and ``4.x.x`` are logged and change nothing (the
relay is still trying). Anything else, an auto-reply, a report nobody can
match, garbage, is logged and dropped: the MTA must not keep retrying it.
Recording is a conditional UPDATE, so the same DSN twice changes nothing.

A hard bounce stops further mail to that signature: see
:func:`campaign.mail.leases.suppressed_signatures`. Features above this
package learn of it through :data:`hard_bounce_recorded` (the mail package
knows nothing of what a message was about).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message
from email.parser import HeaderParser
from email.utils import getaddresses
from urllib.parse import urlsplit

from blinker import Namespace
from flask import current_app
from sqlalchemy import select, update

from ..extensions import db
from ..logging import scrub
from ..models import OutboxMessage, OutboxStatus, utcnow

log = logging.getLogger(__name__)

# new_message_id() makes "<32 hex digits@host>"; only such a local part becomes a tag.
_TAG = re.compile(r"[0-9a-f]{16,64}")
_STATUS = re.compile(r"([245])\.(\d{1,3})\.(\d{1,3})")
# Headers an MTA leaves with the address the bounce was delivered to, most specific first.
_RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To")
_REPORT_TYPES = ("message/delivery-status", "message/global-delivery-status")
_RETURNED_TYPES = ("message/rfc822", "message/global")
_RETURNED_HEADER_TYPES = ("text/rfc822-headers", "message/global-headers")
DIAGNOSTIC_MAX = 500

_signals = Namespace()
# Sent (by the app) when a hard bounce is first recorded, before it is committed, with
# ``message`` (the OutboxMessage), ``status`` and ``diagnostic`` (addresses taken out):
# a receiver's writes commit with the bounce, or not at all. A feature that sent the
# message connects to it (mail is below every feature and imports none of them).
hard_bounce_recorded = _signals.signal("hard-bounce-recorded")


# -- sending: the VERP envelope sender ---------------------------------------------------


def tag_for(message_id: str) -> str | None:
    """The VERP tag of a message: its Message-ID's local part, if that is a random hex id."""
    local = message_id.strip().removeprefix("<").partition("@")[0]
    return local if _TAG.fullmatch(local) else None


def envelope_sender(message_id: str, default: str) -> str:
    """``bounces+<tag>@domain`` when ``MAIL_BOUNCE_ADDRESS`` is set, else ``default``."""
    bounce_address = current_app.config.get("MAIL_BOUNCE_ADDRESS")
    if not bounce_address:
        return default
    local, _, domain = bounce_address.rpartition("@")
    tag = tag_for(message_id)
    return f"{local}+{tag}@{domain}" if tag else bounce_address


# -- reading a delivery status notification ------------------------------------------------


@dataclass(frozen=True)
class Report:
    """What a DSN says about one of our messages (its first or worst recipient)."""

    action: str  # failed, delayed, delivered, relayed, expanded ("" if absent)
    status: str  # "5.1.1" ("" if absent or malformed)
    diagnostic: str  # as the reporting server wrote it; may contain addresses
    returned_message_id: str | None  # of the message that bounced, if it came back

    @property
    def hard(self) -> bool:
        return self.action == "failed" and self.status.startswith("5.")

    @property
    def soft(self) -> bool:
        return self.action == "delayed" or self.status.startswith("4.")


def _blocks(part: Message) -> list[Message]:
    """The header blocks of a delivery-status part (per message, then per recipient)."""
    payload = part.get_payload()
    if isinstance(payload, list):  # what the parser makes of message/delivery-status
        return [block for block in payload if isinstance(block, Message)]
    # Encoded, or message/global-delivery-status (RFC 6533): parse the text ourselves.
    raw = part.get_payload(decode=True) or b""
    text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n")
    return [HeaderParser().parsestr(chunk) for chunk in re.split(r"\n\s*\n", text) if chunk]


def _field(block: Message, name: str) -> str:
    value = block.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def _returned_message_id(message: Message) -> str | None:
    for part in message.walk():
        content_type = part.get_content_type()
        headers: Message | None = None
        if content_type in _RETURNED_TYPES:
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                headers = payload[0]
        elif content_type in _RETURNED_HEADER_TYPES:
            raw = part.get_payload(decode=True) or b""
            headers = HeaderParser().parsestr(raw.decode("utf-8", errors="replace"))
        if headers is not None and headers.get("Message-ID"):
            value = "".join(str(headers["Message-ID"]).split())
            return value if value.startswith("<") else f"<{value}>"
    return None


def parse(message: Message) -> Report | None:
    """The report in a DSN, or None if the message is not one (an auto-reply, spam...)."""
    for part in message.walk():
        if part.get_content_type() not in _REPORT_TYPES:
            continue
        # The per-message block has neither field; each per-recipient block has both.
        recipients = [
            block for block in _blocks(part) if _field(block, "Action") or _field(block, "Status")
        ]
        if not recipients:
            continue
        reports = []
        for block in recipients:
            status = _STATUS.match(_field(block, "Status"))
            diagnostic = _field(block, "Diagnostic-Code")
            # "smtp; 550 5.1.1 ...": the diagnostic type says nothing to an organiser.
            diagnostic = re.sub(r"^[A-Za-z-]+\s*;\s*", "", diagnostic)
            reports.append(
                Report(
                    action=_field(block, "Action").lower(),
                    status=status.group(0) if status else "",
                    diagnostic=diagnostic,
                    returned_message_id=_returned_message_id(message),
                )
            )
        # One message has one recipient; should a report list several, the worst decides.
        return next((r for r in reports if r.hard), None) or next(
            (r for r in reports if r.soft), reports[0]
        )
    return None


def without_addresses(text: str, address: str) -> str:
    """``text`` with the recipient's address, its local part and any other address removed."""
    if address:
        text = re.sub(re.escape(address), "[email]", text, flags=re.IGNORECASE)
        local = address.rpartition("@")[0]
        if len(local) >= 3:
            # "user bob unknown": the local part alone still names the person.
            pattern = rf"(?<![\w.+-]){re.escape(local)}(?![\w.+-])"
            text = re.sub(pattern, "[email]", text, flags=re.IGNORECASE)
    text = scrub(text)
    text = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(text.split())[:DIAGNOSTIC_MAX]


# -- finding the outbox row ----------------------------------------------------------------


def _tags_in(addresses: list[str]) -> list[str]:
    """VERP tags in the addresses a bounce was delivered to."""
    bounce_address = current_app.config.get("MAIL_BOUNCE_ADDRESS")
    if not bounce_address:
        return []
    prefix = bounce_address.rpartition("@")[0].lower() + "+"
    tags = []
    for _name, address in getaddresses(addresses):
        local = address.rpartition("@")[0].lower()
        if local.startswith(prefix) and _TAG.fullmatch(local[len(prefix) :]):
            tags.append(local[len(prefix) :])
    return tags


def _row_by_tag(tag: str) -> OutboxMessage | None:
    # The Message-ID was made under BASE_URL's host; look that up first (the unique index),
    # then any host, in case BASE_URL changed since the message was sent.
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    row = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.message_id == f"<{tag}@{host}>")
    )
    if row is None:
        rows = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.message_id.like(f"<{tag}@%")).limit(2)
        ).all()
        row = rows[0] if len(rows) == 1 else None
    return row


def find_row(message: Message, report: Report, recipient: str | None) -> OutboxMessage | None:
    candidates = [recipient] if recipient else []
    for name in _RECIPIENT_HEADERS:
        candidates.extend(str(value) for value in message.get_all(name) or [])
    for tag in _tags_in(candidates):
        row = _row_by_tag(tag)
        if row is not None:
            return row
    if report.returned_message_id:
        return db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.message_id == report.returned_message_id)
        )
    return None


# -- recording -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What became of one bounce: ``recorded`` is True only when a row changed."""

    verdict: str  # bounced, already-bounced, delayed, ignored, unmatched, not-a-report
    line: str  # for the MTA's log and the terminal: ids and codes, never an address
    recorded: bool = False


def record_hard_bounce(row: OutboxMessage, report: Report) -> bool:
    """Mark ``row`` bounced, once: False if it already was (or is in no state to be)."""
    diagnostic = without_addresses(report.diagnostic, row.to_address)
    changed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == row.id,
            OutboxMessage.bounced_at.is_(None),
            # Queued too: a worker that crashed after the server accepted it would resend it.
            OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.QUEUED]),
        )
        .values(
            status=OutboxStatus.BOUNCED,
            bounced_at=utcnow(),
            bounce_status=report.status,
            bounce_diagnostic=diagnostic or None,
            # A worker still holding a lease must not mark it sent over the bounce.
            lease_owner=None,
            lease_until=None,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        hard_bounce_recorded.send(
            current_app._get_current_object(),
            message=row,
            status=report.status,
            diagnostic=diagnostic or None,
        )
    db.session.commit()
    return bool(changed)


def ingest(data: bytes, recipient: str | None = None) -> Outcome:
    """Read one bounce and record what it says; see the module's docstring.

    Database errors propagate (the caller tells the MTA to try again later);
    nothing in the message itself can raise.
    """
    try:
        message = message_from_bytes(data, policy=policy.compat32)
        report = parse(message)
    except Exception as error:  # the email package is lenient; this is the last resort
        return Outcome("not-a-report", f"unreadable message ignored ({type(error).__name__})")
    if report is None:
        return Outcome("not-a-report", "not a delivery status notification; ignored")
    try:
        row = find_row(message, report, recipient)
    except (ValueError, TypeError, UnicodeError) as error:
        return Outcome(
            "unmatched", f"bounce addresses unreadable ({type(error).__name__}); ignored"
        )
    described = f"action {report.action or '-'}, status {report.status or '-'}"
    if row is None:
        return Outcome(
            "unmatched", f"delivery report ({described}) matches no outbox message; ignored"
        )
    about = f"outbox message #{row.id} ({row.kind})"
    if report.hard:
        if record_hard_bounce(row, report):
            return Outcome("bounced", f"hard bounce {report.status} recorded for {about}", True)
        if row.status == OutboxStatus.BOUNCED:
            return Outcome("already-bounced", f"hard bounce for {about} was already recorded")
        return Outcome("ignored", f"hard bounce for {about} ignored: the message is {row.status}")
    if report.soft:
        return Outcome("delayed", f"delivery delayed ({described}) for {about}; nothing recorded")
    return Outcome("ignored", f"delivery report ({described}) for {about}; nothing to record")
