"""The calendar file (.ics, RFC 5545) a registrant with a place receives.

Built with ``icalendar`` (escaping, line folding and time zones are its
business, not ours). Times are written in UTC, which every calendar reads
the same; the event's own zone is named in the description. The UID is
stable per registration, so a second copy (a promotion, a resend) updates
the entry in the person's calendar instead of adding another.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from ..models import Event, EventRegistration, utcnow
from .services import event_text

CONTENT_TYPE = "text/calendar"


def uid(registration: EventRegistration) -> str:
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"event-registration-{registration.public_id}@{host}"


def ics(event: Event, registration: EventRegistration, page_url: str) -> str:
    """The calendar file for one registration with a place, in its language."""
    text = event_text(event, registration.language)
    calendar = Calendar()
    calendar.add("prodid", "-//campaign//events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", uid(registration))
    entry.add("dtstamp", utcnow())
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", text.title)
    details = [text.description_markdown.strip()]
    if event.online_url:
        details.append(event.online_url)
    details.append(page_url)
    entry.add("description", "\n\n".join(part for part in details if part))
    # The online link where calendars look for where to go; else the venue.
    location = event.online_url or event.venue
    if location:
        entry.add("location", location)
    entry.add("url", event.online_url or page_url)
    calendar.add_component(entry)
    return calendar.to_ical().decode("utf-8")


def attachment(event: Event, registration: EventRegistration, page_url: str) -> dict[str, str]:
    """The file as the outbox stores it (``mail.messages`` attaches it)."""
    return {
        "filename": f"{event.slug}.ics",
        "content_type": CONTENT_TYPE,
        "content": ics(event, registration, page_url),
    }
