"""Every change of a registration's state: register, confirm, cancel, promote.

Like signing, registering stores a pending row and emails its link;
nothing stands until that link is used. Re-registering with an address
that already has a registration here creates nothing: the email that
registration needs is sent again (its confirmation link, or its place with
the online link, or its place on the waiting list). The page says the same
in every case, so it never tells whether an address has registered.

Confirming and cancelling first raise the event's ``lock_version``: that
UPDATE takes the event's row lock (PostgreSQL) or the database's write
lock (SQLite), so two confirmations can never both take the last place,
and two cancellations at once promote two different people, in order.
Nothing here commits: the caller does, so the change and its email land
together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from .. import emails
from ..extensions import db
from ..models import (
    ACTIVE_STATUSES,
    Event,
    EventRegistration,
    RegistrationStatus,
    new_public_id,
    utcnow,
)
from . import messages, services


@dataclass(frozen=True)
class RegistrationRequest:
    """What a person submitted, already validated by the form."""

    name: str
    email: str
    country: str
    organisation: str | None
    language: str
    consent_text: str


def _latest(event_id: int, canonical: str, statuses: tuple[str, ...]) -> EventRegistration | None:
    return db.session.scalar(
        select(EventRegistration)
        .where(
            EventRegistration.event_id == event_id,
            EventRegistration.email_canonical == canonical,
            EventRegistration.status.in_(statuses),
        )
        .order_by(EventRegistration.id.desc())
        .limit(1)
    )


def register(event: Event, request: RegistrationRequest) -> str:
    """Store a pending registration and queue its email, or resend what the address's
    registration needs; return the public id of the registration written to."""
    canonical = emails.canonical(request.email)
    standing = _latest(event.id, canonical, tuple(ACTIVE_STATUSES))
    if standing is not None:
        _resend(event, standing)
        return standing.public_id
    pending = _latest(event.id, canonical, (RegistrationStatus.PENDING,))
    if pending is not None:
        messages.confirmation_request(event, pending, again=True)
        return pending.public_id
    registration = EventRegistration(
        public_id=new_public_id(),
        event_id=event.id,
        name=request.name,
        email=request.email,
        email_canonical=canonical,
        organisation=request.organisation or None,
        country=request.country,
        language=request.language,
        consent_text=request.consent_text,
        privacy_version=current_app.config["PRIVACY_NOTICE_VERSION"],
        status=RegistrationStatus.PENDING,
        created_at=utcnow(),
    )
    db.session.add(registration)
    db.session.flush()  # its id, for the outbox row that names it
    messages.confirmation_request(event, registration, again=False)
    return registration.public_id


def _resend(event: Event, registration: EventRegistration) -> None:
    if registration.status == RegistrationStatus.PLACE:
        messages.place(event, registration, again=True)
    else:
        messages.waiting(event, registration, again=True)


def by_public_id(public_id: str) -> EventRegistration | None:
    return db.session.scalar(
        select(EventRegistration).where(EventRegistration.public_id == public_id)
    )


def _lock(event: Event) -> None:
    """Take the event's lock for the rest of the transaction (see the module's notes)."""
    db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .values(lock_version=Event.lock_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(event)


def confirm(registration: EventRegistration, now: datetime | None = None) -> str:
    """A place if one is left, else the waiting list; returns the status it ends in.

    A link used twice, or a registration cancelled since, changes nothing.
    """
    event = registration.event
    _lock(event)
    db.session.refresh(registration)  # as it stands now that we hold the lock
    if registration.status != RegistrationStatus.PENDING:
        return registration.status
    if _latest(event.id, registration.email_canonical or "", tuple(ACTIVE_STATUSES)):
        # Another registration of this mailbox stands already: that one counts.
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now or utcnow()
        return RegistrationStatus.CANCELLED
    registration.confirmed_at = now or utcnow()
    if not services.places(event).full:
        registration.status = RegistrationStatus.PLACE
        db.session.flush()
        messages.place(event, registration)
    else:
        registration.status = RegistrationStatus.WAITING
        db.session.flush()
        messages.waiting(event, registration)
    return registration.status


def cancel(
    registration: EventRegistration, now: datetime | None = None
) -> EventRegistration | None:
    """Cancel a registration; when it held a place, the first person waiting gets it, in
    the same transaction, and is emailed. Returns the person promoted, if any."""
    event = registration.event
    now = now or utcnow()
    _lock(event)
    db.session.refresh(registration)
    held = registration.status
    if held == RegistrationStatus.CANCELLED:
        return None
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    db.session.flush()
    if held != RegistrationStatus.PLACE or now >= event.starts_at:
        return None
    return promote_next(event, now)


def promote_next(event: Event, now: datetime) -> EventRegistration | None:
    """Give a free place to the first person waiting (by the time they confirmed).

    The caller holds the event's lock (``_lock``).
    """
    if services.places(event).full:
        return None
    first = db.session.scalar(
        select(EventRegistration)
        .where(
            EventRegistration.event_id == event.id,
            EventRegistration.status == RegistrationStatus.WAITING,
        )
        .order_by(EventRegistration.confirmed_at, EventRegistration.id)
        .limit(1)
    )
    if first is None:
        return None
    first.status = RegistrationStatus.PLACE
    first.promoted_at = now
    db.session.flush()
    messages.place(event, first, promoted=True)
    return first


def fill_free_places(event: Event, now: datetime | None = None) -> int:
    """After organisers raise the capacity: promote people waiting into the new places."""
    now = now or utcnow()
    _lock(event)
    promoted = 0
    while now < event.starts_at and promote_next(event, now) is not None:
        promoted += 1
    return promoted
