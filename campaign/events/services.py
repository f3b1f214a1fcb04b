"""Reading events for every page: their text in a language, the counts, the lists.

Nothing here touches the request or commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..models import Event, EventRegistration, EventTranslation, RegistrationStatus, utcnow


@dataclass(frozen=True)
class EventText:
    """An event's title and description in one language, and which language that is."""

    title: str
    description_markdown: str
    language: str


def event_text(event: Event, language: str) -> EventText:
    """The text in ``language`` where organisers wrote one, else in the event's own."""
    by_language = {t.language: t for t in event.translations}
    chosen = by_language.get(language) or by_language.get(event.language)
    if chosen is None and by_language:
        chosen = next(iter(by_language.values()))
    if chosen is None:
        return EventText("", "", event.language)
    return EventText(chosen.title, chosen.description_markdown, chosen.language)


@dataclass(frozen=True)
class Places:
    """What the public page says: people with a place, places left, people waiting."""

    taken: int
    waiting: int
    capacity: int

    @property
    def left(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def full(self) -> bool:
        return self.left == 0


def places(event: Event) -> Places:
    rows = db.session.execute(
        select(EventRegistration.status, func.count())
        .where(
            EventRegistration.event_id == event.id,
            EventRegistration.status.in_((RegistrationStatus.PLACE, RegistrationStatus.WAITING)),
        )
        .group_by(EventRegistration.status)
    ).all()
    counts = dict(rows)
    return Places(
        counts.get(RegistrationStatus.PLACE, 0),
        counts.get(RegistrationStatus.WAITING, 0),
        event.capacity,
    )


def is_over(event: Event, now: datetime | None = None) -> bool:
    return (now or utcnow()) >= event.ends_at


def takes_registrations(event: Event, now: datetime | None = None) -> bool:
    """Open until the event starts: nobody registers for what is under way."""
    return event.published and (now or utcnow()) < event.starts_at


def get_public_event(slug: str) -> Event | None:
    return db.session.scalar(select(Event).where(Event.slug == slug, Event.published.is_(True)))


def public_events() -> tuple[list[Event], list[Event]]:
    """Published events: upcoming (soonest first) and past (latest first)."""
    now = utcnow()
    events = list(db.session.scalars(select(Event).where(Event.published.is_(True))))
    upcoming = sorted((e for e in events if e.ends_at > now), key=lambda e: e.starts_at)
    past = sorted((e for e in events if e.ends_at <= now), key=lambda e: e.starts_at, reverse=True)
    return upcoming, past


def upcoming_events(
    limit: int = 3, petition_id: int | None = None, publication_id: int | None = None
) -> list[Event]:
    """The next published events (of one call or one publication, when given), for the
    home page and the pages of calls and publications."""
    query = (
        select(Event)
        .where(Event.published.is_(True), Event.ends_at > utcnow())
        .order_by(Event.starts_at)
        .limit(limit)
    )
    if petition_id is not None:
        query = query.where(Event.petition_id == petition_id)
    if publication_id is not None:
        query = query.where(Event.publication_id == publication_id)
    return list(db.session.scalars(query))


def languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def set_text(event: Event, language: str, title: str, description: str) -> None:
    """Write the event's text in ``language`` (a new translation or a change)."""
    for translation in event.translations:
        if translation.language == language:
            translation.title = title
            translation.description_markdown = description
            return
    event.translations.append(
        EventTranslation(language=language, title=title, description_markdown=description)
    )
