"""Governments a call addresses, the packages built for them, the deliveries recorded
and the answers they gave.

A package is a draft: building or downloading one publishes nothing. A
delivery is a recorded event (who handed which package to which body, when
and how), and only recorded deliveries are public. A government's answer is
recorded against its delivery.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, new_public_id, one_of, utcnow


class DeliveryMode(enum.StrEnum):
    """What a delivery package hands over: the names, or only the totals.

    ``counts_only`` is for causes where naming signers to their own government
    would put them in danger.
    """

    NAMES = "names"
    COUNTS_ONLY = "counts_only"


class DeliveryChannel(enum.StrEnum):
    """How a package reached the government."""

    EMAIL = "email"
    BY_HAND = "by_hand"
    POST = "post"
    PORTAL = "portal"


class Stance(enum.StrEnum):
    """What a government's answer says of the call."""

    SUPPORTS = "supports"
    PARTLY_SUPPORTS = "partly_supports"
    DECLINES = "declines"
    ACKNOWLEDGED = "acknowledged"


class GovernmentTarget(db.Model):
    """A government a call addresses: the body written to, its contacts, the letter's
    languages, and the count at which the call is ready to hand over."""

    __tablename__ = "government_target"
    __table_args__ = (UniqueConstraint("petition_id", "country"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    # e.g. "Federal Department of Foreign Affairs"
    body: Mapped[str] = mapped_column(String(300))
    # Contact addresses, one per line: an office's, never shown publicly.
    emails: Mapped[str] = mapped_column(Text, default="")
    postal_address: Mapped[str] = mapped_column(Text, default="")
    # The letter's languages, space-separated site language codes, the first preferred.
    languages: Mapped[str] = mapped_column(String(40), default="en")
    threshold: Mapped[int] = mapped_column(Integer, default=0)
    # When the organisers were told the threshold was reached (they are told once).
    threshold_reached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last permanent failure of mail to its contacts, for the organisers.
    bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bounce_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def email_list(self) -> list[str]:
        return [line.strip() for line in self.emails.splitlines() if line.strip()]

    @property
    def language_list(self) -> list[str]:
        return self.languages.split()


class DeliveryPackage(db.Model):
    """A package built for one government: a draft until a delivery records it.

    ``manifest_sha256`` is the SHA-256 of the package's ``manifest.json``,
    which in turn holds the SHA-256 of every other file in the package; a
    delivery can only be recorded for a package this site built.
    """

    __tablename__ = "delivery_package"
    __table_args__ = (CheckConstraint(one_of("mode", DeliveryMode), name="mode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    recipient_country: Mapped[str] = mapped_column(String(2))
    signature_count: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8))
    mode: Mapped[str] = mapped_column(String(16))
    manifest_sha256: Mapped[str] = mapped_column(String(64), index=True)
    # The ZIP the package was written into (in the call's package folder).
    zip_name: Mapped[str | None] = mapped_column(String(200))
    built_by_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Delivery(db.Model):
    """A package handed to a government, as recorded by an organiser; public."""

    __tablename__ = "delivery"
    __table_args__ = (CheckConstraint(one_of("channel", DeliveryChannel), name="channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("government_target.id"), index=True)
    # Unique: a package is handed over once, even when two organisers record it at once.
    package_id: Mapped[int] = mapped_column(ForeignKey("delivery_package.id"), unique=True)
    country: Mapped[str] = mapped_column(String(2))
    delivered_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(16))
    # The body it went to, as it was then (a target's body may change later).
    body: Mapped[str] = mapped_column(String(300))
    # Who handed it over (a name or role): kept in the back office, never published.
    handed_over_by: Mapped[str] = mapped_column(String(200))
    # Copied from the package: what the public record shows and a recipient checks.
    signature_count: Mapped[int] = mapped_column(Integer)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    package: Mapped[DeliveryPackage] = relationship()
    target: Mapped[GovernmentTarget | None] = relationship()


class DeliveryEmail(db.Model):
    """One email that took a delivery's package link to one of its government's addresses.

    The link's token names this row by its random ``public_id`` (row ids can
    be reused by SQLite), so each address has a link of its own: a download
    or a bounce says which address it was. The address and the message are
    the outbox row's. Downloads through the link are counted here.
    """

    __tablename__ = "delivery_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("delivery.id", ondelete="CASCADE"), index=True
    )
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="SET NULL"), unique=True
    )
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_downloaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_downloaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    download_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    delivery: Mapped[Delivery] = relationship()


class GovernmentResponse(db.Model):
    """A government's answer to a delivery; public."""

    __tablename__ = "government_response"
    __table_args__ = (CheckConstraint(one_of("stance", Stance), name="stance"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("delivery.id"), unique=True)
    responded_on: Mapped[date] = mapped_column(Date)
    stance: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(String(1000))
    # The full text in each language the organisers have it in: {"en": "...", "fr": "..."}.
    texts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source_url: Mapped[str | None] = mapped_column(String(500))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    delivery: Mapped[Delivery] = relationship(backref=db.backref("response", uselist=False))
