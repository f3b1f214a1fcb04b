"""The emails a registrant receives, as outbox rows' values (the caller writes them).

Every email carries the link to the registrant's own page (see, cancel);
only the confirmation request carries the link that confirms; only the
emails to someone with a place carry the online link and the calendar file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import tokens
from ..i18n import public_url
from ..mail.services import enqueue
from ..models import Event, EventRegistration
from . import calendar
from .services import event_text


def when(event: Event, language: str, zone: str | None = None) -> str:
    """``Thu, December 17, 2026, 17:00-18:30 (Europe/Zurich)`` in ``language``."""
    zone = zone or event.timezone
    tz = ZoneInfo(zone)

    def day(moment: datetime) -> str:
        return format_skeleton("yMMMMEEEEd", moment, tzinfo=tz, locale=language)

    def hour(moment: datetime) -> str:
        return format_skeleton("Hm", moment, tzinfo=tz, locale=language)

    start = f"{day(event.starts_at)}, {hour(event.starts_at)}"
    end = hour(event.ends_at)
    if day(event.starts_at) != day(event.ends_at):
        end = f"{day(event.ends_at)}, {end}"
    return f"{start}\N{EN DASH}{end} ({zone})"


def page_url(event: Event, language: str) -> str:
    return public_url("events.show", language, slug=event.slug)


def registration_url(registration: EventRegistration) -> str:
    """The registrant's own page: the link, the calendar file, cancelling."""
    token = tokens.make(tokens.Purpose.EVENT_REGISTRATION, registration.public_id)
    return public_url("events.registration", registration.language, token=token)


def confirm_url(registration: EventRegistration) -> str:
    token = tokens.make(tokens.Purpose.EVENT_CONFIRM, registration.public_id)
    return public_url("events.confirm", registration.language, token=token)


def _send(
    event: Event,
    registration: EventRegistration,
    *,
    template: str,
    subject: Any,
    with_place: bool = False,
    attach: bool | None = None,
    **context: Any,
) -> int:
    """Queue one email to ``registration``; ``with_place`` adds the online link and, unless
    ``attach`` says otherwise, the calendar file."""
    language = registration.language
    title = event_text(event, language).title
    page = page_url(event, language)
    values: dict[str, Any] = {
        "event": event,
        "title": title,
        "name": registration.name or "",
        "when": when(event, language),
        "page_url": page,
        "registration_url": registration_url(registration),
        "online_url": event.online_url if with_place else None,
        "venue": event.venue,
        **context,
    }
    attach = with_place if attach is None else attach
    attachments = [calendar.attachment(event, registration, page)] if attach else None
    return enqueue(
        kind=f"event_{template}",
        to_address=registration.email or "",
        to_name=registration.name or "",
        template=f"event_{template}",
        subject=subject,
        language=language,
        context=values,
        petition_id=event.petition_id,
        registration_id=registration.id,
        attachments=attachments,
    )


def confirmation_request(event: Event, registration: EventRegistration, *, again: bool) -> int:
    title = event_text(event, registration.language).title
    return _send(
        event,
        registration,
        template="confirm",
        subject=_l("Please confirm your registration: %(title)s", title=title),
        confirm_url=confirm_url(registration),
        max_age_days=current_app.config["EVENT_CONFIRM_MAX_AGE_DAYS"],
        again=again,
    )


def place(
    event: Event, registration: EventRegistration, *, again: bool = False, promoted: bool = False
) -> int:
    """You have a place: the online link and the calendar file."""
    title = event_text(event, registration.language).title
    return _send(
        event,
        registration,
        template="place",
        subject=_l("Your place at %(title)s", title=title),
        with_place=True,
        again=again,
        promoted=promoted,
    )


def waiting(event: Event, registration: EventRegistration, *, again: bool = False) -> int:
    title = event_text(event, registration.language).title
    return _send(
        event,
        registration,
        template="waiting",
        subject=_l("You are on the waiting list: %(title)s", title=title),
        again=again,
    )


def reminder(event: Event, registration: EventRegistration, kind: str) -> int:
    title = event_text(event, registration.language).title
    subject = (
        _l("Tomorrow: %(title)s", title=title)
        if kind == "day"
        else _l("In one hour: %(title)s", title=title)
    )
    return _send(
        event,
        registration,
        template="reminder",
        subject=subject,
        with_place=True,
        attach=False,  # the file came with the place; a reminder brings the link again
        kind=kind,
    )


def recording(event: Event, registration: EventRegistration, message: str) -> int:
    title = event_text(event, registration.language).title
    return _send(
        event,
        registration,
        template="recording",
        subject=_l("The recording of %(title)s", title=title),
        recording_url=event.recording_url,
        message=message,
    )
