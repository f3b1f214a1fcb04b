"""The public pages of events: the list, an event's page and its registration form.

Like the call's page, an event's page is public and cacheable: the form
carries a stateless signed token, and cross-site posts are refused. It shows
how many people have a place, never who, and never the online link.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..extensions import csrf, db, limiter
from ..forms import body_is_unreadable
from ..i18n import current_language
from ..models import Event, Petition
from ..security import public_cache
from . import bp, messages, registrations, services
from .forms import RegistrationForm


@bp.app_context_processor
def event_helpers() -> dict:
    """``event_text``, ``event_when``, and ``upcoming_events`` for the home and call pages
    (templates of features below this one read them without importing it)."""

    def text_of(event: Event) -> services.EventText:
        return services.event_text(event, current_language())

    def when_of(event: Event, zone: str | None = None) -> str:
        return messages.when(event, current_language(), zone)

    return {
        "event_text": text_of,
        "event_when": when_of,
        "upcoming_events": services.upcoming_events,
    }


def _event_or_404(slug: str) -> Event:
    event = services.get_public_event(slug)
    if event is None:
        abort(404)
    return event


def _render_event(event: Event, form: RegistrationForm, status: int = 200):
    petition = db.session.get(Petition, event.petition_id) if event.petition_id else None
    return render_template(
        "events/show.html",
        event=event,
        form=form,
        petition=petition,
        places=services.places(event),
        over=services.is_over(event),
        open=services.takes_registrations(event),
    ), status


@bp.get("/")
@public_cache
def index():
    upcoming, past = services.public_events()
    return render_template("events/index.html", upcoming=upcoming, past=past)


@bp.get("/<slug:slug>")
@public_cache
def show(slug: str):
    event = _event_or_404(slug)
    form = RegistrationForm(event_id=event.id, language=current_language(), formdata=None)
    return _render_event(event, form)


def _is_cross_site() -> bool:
    """A post from another site (a forged form) rather than from our own page."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False  # older browsers and other clients: the form token still applies
    allowed = {_origin_of(request.host_url), _origin_of(current_app.config["BASE_URL"])}
    return origin not in allowed


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@bp.post("/<slug:slug>/register")
@csrf.exempt  # protected by the stateless form token instead of the session
@limiter.limit(lambda: current_app.config["EVENT_REGISTER_RATE_LIMIT"], scope="event-register")
def register(slug: str):
    event = _event_or_404(slug)
    # A page drawn for the post links to the event's page in other languages.
    g.language_switch_path = url_for(".show", slug=slug).removeprefix(request.script_root)
    if not services.takes_registrations(event):
        return render_template("events/closed.html", event=event), 409
    unreadable = body_is_unreadable(request)
    form = RegistrationForm(event_id=event.id, language=current_language())
    if unreadable:
        form.form_errors.append(
            _("Part of what you sent could not be read. Please type your details again.")
        )
        return _render_event(event, form, 400)
    if _is_cross_site():
        form.form_errors.append(_("This form was sent from another site and was refused."))
        return _render_event(event, form, 403)
    if not form.validate():
        return _render_event(event, form, 400 if form.form_token.errors else 422)
    registrations.register(
        event,
        registrations.RegistrationRequest(
            name=form.name.data,
            email=form.email.data,
            country=form.country.data,
            organisation=form.organisation.data,
            language=current_language(),
            consent_text=form.consent.label.text,
        ),
    )
    db.session.commit()
    return redirect(url_for(".check_email", slug=slug, _anchor="main"), code=303)


@bp.get("/<slug:slug>/check-email")
@public_cache
def check_email(slug: str):
    """The same page for every address, new or registered already (it tells nothing)."""
    return render_template("events/check_email.html", event=_event_or_404(slug))
