"""Reminders a day and an hour before, and the recording message after the event.

Each goes to people with a place only, at most once: a row per
(registration, kind) is written before its outbox row, under the row's
primary key, in the same transaction (as ``governments.news``). The
periodic command runs under its job lock, so one host queues at a time.

When each is due (``now`` against the start):
- the day reminder from 24 hours before until an hour before;
- the hour reminder from an hour before until the start.
Someone who gets a place inside the last hour gets the hour reminder only,
and nobody is reminded of an event under way.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select, update

from ..extensions import db
from ..models import (
    Event,
    EventRegistration,
    EventReminder,
    RegistrationStatus,
    ReminderKind,
    utcnow,
)
from . import messages

DAY = timedelta(hours=24)
HOUR = timedelta(hours=1)


def due_kind(event: Event, now: datetime) -> str | None:
    """Which reminder is due for ``event`` at ``now``, if any."""
    if now >= event.starts_at:
        return None
    if now >= event.starts_at - HOUR:
        return ReminderKind.HOUR
    if now >= event.starts_at - DAY:
        return ReminderKind.DAY
    return None


def _not_yet_sent(event: Event, kind: str):
    """People with a place on ``event`` who have no ``kind`` row yet."""
    sent = exists().where(
        EventReminder.registration_id == EventRegistration.id, EventReminder.kind == kind
    )
    return select(EventRegistration).where(
        EventRegistration.event_id == event.id,
        EventRegistration.status == RegistrationStatus.PLACE,
        EventRegistration.email.is_not(None),
        ~sent,
    )


def _queue(event: Event, registrations: list[EventRegistration], kind: str, send) -> int:
    now = utcnow()
    for registration in registrations:
        db.session.add(EventReminder(registration_id=registration.id, kind=kind, queued_at=now))
        db.session.flush()  # the row first: should it clash, nothing is queued
        send(registration)
    return len(registrations)


def send_reminders(now: datetime | None = None) -> dict[str, int]:
    """Queue the reminders due at ``now``; ``{event slug: messages queued}``."""
    now = now or utcnow()
    window = and_(Event.starts_at > now, Event.starts_at <= now + DAY)
    queued: dict[str, int] = {}
    for event in db.session.scalars(select(Event).where(Event.published.is_(True), window)):
        kind = due_kind(event, now)
        if kind is None:
            continue
        people = list(db.session.scalars(_not_yet_sent(event, kind)))
        count = _queue(event, people, kind, lambda r, e=event, k=kind: messages.reminder(e, r, k))
        if count:
            queued[event.slug] = count
    return queued


class RecordingRefused(ValueError):
    """The event is not over yet, or its recording message has gone already."""


def send_recording(
    event: Event, recording_url: str | None, message: str, now: datetime | None = None
) -> int:
    """Send the message with the recording to everyone who had a place, once.

    The conditional UPDATE marks the event first: two organisers pressing the
    button together send it once.
    """
    now = now or utcnow()
    if now < event.ends_at:
        raise RecordingRefused("not over")
    marked = db.session.execute(
        update(Event)
        .where(Event.id == event.id, Event.recording_sent_at.is_(None))
        .values(recording_sent_at=now, recording_url=recording_url or None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not marked:
        raise RecordingRefused("sent")
    db.session.refresh(event)
    people = list(db.session.scalars(_not_yet_sent(event, ReminderKind.RECORDING)))
    return _queue(
        event,
        people,
        ReminderKind.RECORDING,
        lambda r: messages.recording(event, r, message),
    )
