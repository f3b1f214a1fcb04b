"""The outbox: an email waiting to be sent, written with what it is about."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, one_of, utcnow


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    # Refused for good by our SMTP server (5xx): never retried.
    FAILED = "failed"
    # Accepted, then reported undeliverable for good by a delivery status notification.
    BOUNCED = "bounced"
    # Never sent: an earlier message to the same signature bounced (see mail.leases).
    SUPPRESSED = "suppressed"


class OutboxMessage(db.Model):
    """An email waiting to be sent, written in the same transaction as what it is about.

    Workers claim rows by setting a lease; a row is sent by the worker
    holding an unexpired lease and marked ``sent`` straight after.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(one_of("status", OutboxStatus), name="status"),
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable across retries, so a receiving server can drop the rare duplicate.
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("signature.id"), index=True)
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"), index=True)
    # A message about an event registration, so erasing the person removes it (privacy).
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_registration.id", ondelete="CASCADE"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(320))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Extra mail headers, such as List-Unsubscribe on updates to supporters.
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # Files sent with the message, stored in the row so a retry sends the same bytes:
    # ``[{"filename", "content_type", "content"}]`` with text content (an event's .ics).
    attachments: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    # A hard bounce (see mail.bounces): when it arrived, its RFC 3463 status ("5.1.1")
    # and the reporting server's diagnostic, with every address taken out.
    bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bounce_status: Mapped[str | None] = mapped_column(String(16))
    bounce_diagnostic: Mapped[str | None] = mapped_column(String(500))
