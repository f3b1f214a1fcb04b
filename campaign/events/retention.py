"""Registrations under the privacy rules (called by ``campaign.privacy``, above this).

Erasure anonymises in place, as for signatures: name, email and
organisation go; country, dates and status stay, so the event's figures stay
true; the person's event emails leave the outbox. The retention run deletes
unconfirmed registrations as the call's unconfirmed signatures are (never
sooner than their link lives), and erases every registration
``EVENT_RETENTION_DAYS`` after its event ended. Nothing here commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, select, update

from .. import emails
from ..extensions import db
from ..models import (
    ERASED_REGISTRATION,
    Event,
    EventRegistration,
    OutboxMessage,
    Petition,
    RegistrationStatus,
)


def registrations_of(address: str) -> list[EventRegistration]:
    canonical = emails.canonical(address)
    return list(
        db.session.scalars(
            select(EventRegistration)
            .where(EventRegistration.email_canonical == canonical)
            .order_by(EventRegistration.id)
        )
    )


def erase_where(condition, now: datetime) -> int:
    """Anonymise the registrations matching ``condition`` that still hold personal data,
    and take their emails out of the outbox (sent or not: they hold the address)."""
    holding = and_(condition, EventRegistration.email.is_not(None))
    ids = select(EventRegistration.id).where(holding)
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.registration_id.in_(ids)))
    return db.session.execute(
        update(EventRegistration)
        .where(holding)
        .values(**ERASED_REGISTRATION, erased_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount


def erase_person(address: str, now: datetime) -> list[int]:
    ids = [r.id for r in registrations_of(address) if r.email is not None]
    if ids:
        erase_where(EventRegistration.id.in_(ids), now)
    return ids


def report(address: str) -> list[dict]:
    """A person's registrations, for a subject access request."""

    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return [
        {
            "event": r.event.slug,
            "name": r.name,
            "email": r.email,
            "organisation": r.organisation,
            "country": r.country,
            "language": r.language,
            "status": r.status,
            "registered_at": when(r.created_at),
            "confirmed_at": when(r.confirmed_at),
            "cancelled_at": when(r.cancelled_at),
            "privacy_notice_version": r.privacy_version,
            "consent_text": r.consent_text,
        }
        for r in registrations_of(address)
    ]


def run(now: datetime) -> tuple[int, int]:
    """(unconfirmed registrations deleted, registrations erased) at ``now``."""
    deleted = 0
    confirm_days = current_app.config["EVENT_CONFIRM_MAX_AGE_DAYS"]
    for event in db.session.scalars(select(Event).order_by(Event.id)):
        days = confirm_days
        if event.petition_id is not None:
            petition = db.session.get(Petition, event.petition_id)
            if petition is not None:
                days = max(days, petition.pending_retention_days)
        stale = and_(
            EventRegistration.event_id == event.id,
            EventRegistration.status == RegistrationStatus.PENDING,
            EventRegistration.created_at < now - timedelta(days=days),
        )
        stale_ids = select(EventRegistration.id).where(stale)
        db.session.execute(
            delete(OutboxMessage).where(OutboxMessage.registration_id.in_(stale_ids))
        )
        deleted += db.session.execute(
            delete(EventRegistration).where(stale).execution_options(synchronize_session=False)
        ).rowcount
    cutoff = now - timedelta(days=current_app.config["EVENT_RETENTION_DAYS"])
    ended = select(Event.id).where(Event.ends_at < cutoff)
    erased = erase_where(EventRegistration.event_id.in_(ended), now)
    return deleted, erased
