"""The back office's pages for events: the list, an event's settings and text per
language, its registrations (places and waiting list), their export (administrators,
recorded in the audit log) and the message with the recording.

Routes on the back office's blueprint, so their endpoints are ``organisers.*``.
"""

from __future__ import annotations

import csv
import hashlib
import io

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from ..extensions import db
from ..i18n import language_name
from ..models import (
    Event,
    EventRegistration,
    Petition,
    Publication,
    PublicationTranslation,
    RegistrationStatus,
)
from ..organisers import audit
from ..organisers.access import ADMIN, EDITOR, actor, bp, role_required
from ..pagination import list_page, page_of
from ..timezones import iso_utc, timezone_names, to_local, to_utc
from . import registrations, reminders, services
from .forms import EventForm, EventTextForm, RecordingForm

PER_PAGE = 50
# The export's columns: what organisers need to run the event, nothing more.
EXPORT_COLUMNS = ("name", "email", "organisation", "country", "language", "status", "confirmed")


def _event(event_id: int) -> Event:
    return db.get_or_404(Event, event_id)


def _calls() -> list[tuple[str, str]]:
    rows = db.session.execute(select(Petition.id, Petition.title).order_by(Petition.id)).all()
    return [(str(row.id), row.title) for row in rows]


def _publications() -> list[tuple[str, str]]:
    """Every publication, drafts too (an event may be planned before its report is out),
    by its title in the language it was written in."""
    rows = db.session.execute(
        select(Publication.id, Publication.slug, PublicationTranslation.title)
        .outerjoin(
            PublicationTranslation,
            (PublicationTranslation.publication_id == Publication.id)
            & (PublicationTranslation.language == Publication.language),
        )
        .order_by(Publication.published_on.desc())
    ).all()
    return [(str(row.id), row.title or row.slug) for row in rows]


def _form(event: Event | None) -> EventForm:
    form = EventForm(
        obj=event,
        languages=current_app.config["LANGUAGES"],
        calls=_calls(),
        publications=_publications(),
    )
    if event is not None and request.method == "GET":
        form.starts_at.data = to_local(event.starts_at, event.timezone)
        form.ends_at.data = to_local(event.ends_at, event.timezone)
        form.petition_id.data = str(event.petition_id or "")
        form.publication_id.data = str(event.publication_id or "")
    return form


def _slug_taken(form: EventForm, event: Event | None) -> bool:
    found = db.session.scalar(select(Event.id).where(Event.slug == form.slug.data))
    if found is not None and (event is None or found != event.id):
        form.slug.errors.append(_("Another event already has this address."))
        return True
    return False


def _save(form: EventForm, event: Event | None) -> Event:
    before = _settings(event) if event is not None else {}
    created = event is None
    if event is None:
        event = Event()
        db.session.add(event)
    zone = form.timezone.data
    event.slug = form.slug.data
    event.petition_id = int(form.petition_id.data) if form.petition_id.data else None
    event.publication_id = int(form.publication_id.data) if form.publication_id.data else None
    event.language = form.language.data
    event.spoken_languages = list(form.spoken_languages.data or [])
    event.timezone = zone
    event.starts_at = to_utc(form.starts_at.data, zone)
    event.ends_at = to_utc(form.ends_at.data, zone)
    event.online_url = form.online_url.data or None
    event.venue = form.venue.data or None
    event.capacity = form.capacity.data
    event.published = form.published.data
    event.is_demo = form.is_demo.data
    db.session.flush()
    # The online link is a secret of the registrants': its change is named, not written.
    changes = audit.diff(before, _settings(event))
    audit.record(actor(), "create_event" if created else "edit_event", "event", event.id, changes)
    if not created:
        registrations.fill_free_places(event)  # more places: the first people waiting get them
    return event


def _settings(event: Event) -> dict:
    return {
        "slug": event.slug,
        "petition_id": event.petition_id,
        "publication_id": event.publication_id,
        "starts_at": iso_utc(event.starts_at),
        "ends_at": iso_utc(event.ends_at),
        "timezone": event.timezone,
        "capacity": event.capacity,
        "published": event.published,
        # A fingerprint: the audit log shows that the link changed, never the link.
        "online_url": hashlib.sha256(event.online_url.encode()).hexdigest()[:12]
        if event.online_url
        else None,
        "venue": event.venue,
    }


@bp.get("/events")
@role_required(EDITOR)
def events():
    items = list(db.session.scalars(select(Event).order_by(Event.starts_at.desc())))
    return render_template("organisers/events.html", items=items, counts=_place_counts())


@bp.route("/events/new", methods=["GET", "POST"])
@role_required(EDITOR)
def event_new():
    form = _form(None)
    if form.validate_on_submit() and not _slug_taken(form, None):
        event = _save(form, None)
        db.session.commit()
        flash(_("The event is saved. Now write its title and description."), "success")
        return redirect(url_for(".event_text", event_id=event.id, language=event.language), 303)
    return render_template(
        "organisers/event_form.html", form=form, event=None, timezones=timezone_names()
    ), (422 if form.errors else 200)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@role_required(EDITOR)
def event_edit(event_id: int):
    event = _event(event_id)
    form = _form(event)
    if form.validate_on_submit() and not _slug_taken(form, event):
        _save(form, event)
        db.session.commit()
        flash(_("The event is saved."), "success")
        return redirect(url_for(".event_show", event_id=event.id), 303)
    return render_template(
        "organisers/event_form.html", form=form, event=event, timezones=timezone_names()
    ), (422 if form.errors else 200)


@bp.get("/events/<int:event_id>")
@role_required(EDITOR)
def event_show(event_id: int):
    event = _event(event_id)
    texts = {t.language: t for t in event.translations}
    return render_template(
        "organisers/event_show.html",
        event=event,
        texts=texts,
        languages=services.languages(),
        places=services.places(event),
        over=services.is_over(event),
    )


@bp.route("/events/<int:event_id>/text/<language>", methods=["GET", "POST"])
@role_required(EDITOR)
def event_text(event_id: int, language: str):
    event = _event(event_id)
    if language not in services.languages():
        abort(404)
    existing = next((t for t in event.translations if t.language == language), None)
    form = EventTextForm(obj=existing)
    if form.validate_on_submit():
        services.set_text(event, language, form.title.data, form.description_markdown.data)
        audit.record(actor(), "edit_event_text", "event", event.id, {"language": language})
        db.session.commit()
        flash(_("The text in %(language)s is saved.", language=language_name(language)), "success")
        return redirect(url_for(".event_show", event_id=event.id), 303)
    return render_template(
        "organisers/event_text.html", event=event, form=form, language=language
    ), (422 if form.errors else 200)


def _registrations_page(event: Event, page: int):
    # Places first, then the waiting list in its order, then pending and cancelled.
    order = case(
        (EventRegistration.status == RegistrationStatus.PLACE, 0),
        (EventRegistration.status == RegistrationStatus.WAITING, 1),
        (EventRegistration.status == RegistrationStatus.PENDING, 2),
        else_=3,
    )
    query = (
        select(EventRegistration)
        .where(EventRegistration.event_id == event.id)
        .order_by(order, EventRegistration.confirmed_at, EventRegistration.id)
    )
    return page_of(query, page, PER_PAGE)


@bp.get("/events/<int:event_id>/registrations")
@role_required(EDITOR)
def event_registrations(event_id: int):
    event = _event(event_id)
    rows, pagination = list_page(lambda page: _registrations_page(event, page), PER_PAGE)
    return render_template(
        "organisers/event_registrations.html",
        event=event,
        rows=rows,
        pagination=pagination,
        places=services.places(event),
        statuses=RegistrationStatus,
    )


@bp.post("/events/<int:event_id>/registrations.csv")
@role_required(ADMIN)
def event_export(event_id: int):
    """Everyone confirmed (places, then the waiting list), as CSV; the audit log says who
    took it and how many rows, never their contents."""
    event = _event(event_id)
    rows = db.session.scalars(
        select(EventRegistration)
        .where(
            EventRegistration.event_id == event.id,
            EventRegistration.status.in_((RegistrationStatus.PLACE, RegistrationStatus.WAITING)),
            EventRegistration.email.is_not(None),
        )
        .order_by(EventRegistration.status, EventRegistration.confirmed_at)
    ).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                _cell(r.name),
                r.email,
                _cell(r.organisation),
                r.country,
                r.language,
                r.status,
                iso_utc(r.confirmed_at),
            ]
        )
    audit.record(actor(), "export_registrations", "event", event.id, {"rows": len(rows)})
    db.session.commit()
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{event.slug}-registrations.csv"'
    )
    return response


def _cell(value: str | None) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = value or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.route("/events/<int:event_id>/recording", methods=["GET", "POST"])
@role_required(EDITOR)
def event_recording(event_id: int):
    """The message with the recording, sent once to everyone who had a place."""
    event = _event(event_id)
    form = RecordingForm(obj=event)
    over = services.is_over(event)
    if over and event.recording_sent_at is None and form.validate_on_submit():
        try:
            sent = reminders.send_recording(event, form.recording_url.data, form.message.data)
        except reminders.RecordingRefused:
            db.session.rollback()
            flash(_("This message has been sent already."), "error")
            return redirect(url_for(".event_show", event_id=event.id), 303)
        audit.record(actor(), "send_event_recording", "event", event.id, {"messages": sent})
        db.session.commit()
        flash(_("The message is on its way to %(num)d people.", num=sent), "success")
        return redirect(url_for(".event_show", event_id=event.id), 303)
    return render_template("organisers/event_recording.html", event=event, form=form, over=over), (
        422 if form.errors else 200
    )


def _place_counts() -> dict[int, int]:
    """People with a place per event (for the list)."""
    rows = db.session.execute(
        select(EventRegistration.event_id, func.count())
        .where(EventRegistration.status == RegistrationStatus.PLACE)
        .group_by(EventRegistration.event_id)
    ).all()
    return dict(rows)
