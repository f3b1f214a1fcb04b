"""Events: a panel, a briefing or a launch that people register for, tied to a call.

An event's text lives in one row per language (``EventTranslation``); its
times are stored in UTC and shown in the event's own time zone. A
registration is confirmed from its email, like a signature; once confirmed
it holds a place or waits for one. Reminders and the recording message are
written as a row per registration before their outbox row, so none goes
twice (as ``GovernmentNewsRecipient``).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, one_of, utcnow


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"  # stored, email sent, not yet confirmed
    PLACE = "place"  # confirmed, holds a place
    WAITING = "waiting"  # confirmed, on the waiting list (ordered by confirmed_at)
    CANCELLED = "cancelled"  # the person cancelled (or an organiser cancelled the event)


# Statuses of a registration that stands: at most one per event and mailbox.
ACTIVE_STATUSES = (RegistrationStatus.PLACE, RegistrationStatus.WAITING)
_ACTIVE_SQL = "status IN ('place', 'waiting')"


class ReminderKind(enum.StrEnum):
    DAY = "day"
    HOUR = "hour"
    RECORDING = "recording"


class Event(db.Model):
    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    # The call the event is about, and the publication it launches or discusses: their
    # pages link to it, and its page to them.
    petition_id: Mapped[int | None] = mapped_column(
        ForeignKey("petition.id", ondelete="SET NULL"), index=True
    )
    publication_id: Mapped[int | None] = mapped_column(
        ForeignKey("publication.id", ondelete="SET NULL"), index=True
    )
    # The language the organisers wrote it in: the text shown where no translation is.
    language: Mapped[str] = mapped_column(String(8), default="en")
    # The languages spoken at the event (codes), as organisers list them.
    spoken_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Given only to people with a place, in their emails and their own page.
    online_url: Mapped[str | None] = mapped_column(String(500))
    venue: Mapped[str | None] = mapped_column(String(300))
    capacity: Mapped[int] = mapped_column(Integer)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    recording_url: Mapped[str | None] = mapped_column(String(500))
    recording_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Raised by every confirmation and cancellation as their first statement: it takes the
    # event's row lock, so places are counted and handed out one change at a time.
    lock_version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    translations: Mapped[list[EventTranslation]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventTranslation.language"
    )


class EventTranslation(db.Model):
    __tablename__ = "event_translation"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description_markdown: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship(back_populates="translations")


class EventRegistration(db.Model):
    __tablename__ = "event_registration"
    __table_args__ = (
        CheckConstraint(one_of("status", RegistrationStatus), name="status"),
        # One standing registration per event and mailbox; pending ones are each their own
        # (as signatures), and the one whose link is used is the one confirmed.
        Index(
            "uq_event_registration_active",
            "event_id",
            "email_canonical",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
        Index("ix_event_registration_queue", "event_id", "status", "confirmed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    # Erasure empties name, email and organisation in place; country and dates stay.
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    email_canonical: Mapped[str | None] = mapped_column(String(320), index=True)
    organisation: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    language: Mapped[str] = mapped_column(String(8))
    consent_text: Mapped[str] = mapped_column(Text, default="")
    privacy_version: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(16), default=RegistrationStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the waiting list gave this person a place.
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()


class EventReminder(db.Model):
    """A reminder (or the recording message) queued for one registration: the key makes a
    second copy impossible, and the row is written before its outbox row."""

    __tablename__ = "event_reminder"
    __table_args__ = (CheckConstraint(one_of("kind", ReminderKind), name="kind"),)

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("event_registration.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# What erasure leaves of a registration (see privacy.services).
ERASED_REGISTRATION = {"name": None, "email": None, "email_canonical": None, "organisation": None}
