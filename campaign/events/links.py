"""The pages a registrant reaches from their emails: confirm a registration, and their own
page (the online link and the calendar file when they have a place, and cancelling).

Each link's token names one registration by its public id. The buttons use
the session's CSRF token (checked after the link's own, so a broken link
gets the page that explains it). Never cached: ``no-store`` like every page
that is not marked public.
"""

from __future__ import annotations

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from .. import tokens
from ..extensions import csrf, db
from ..models import EventRegistration, RegistrationStatus
from ..security import configured_limit
from . import bp, calendar, messages, registrations, services
from .forms import CancelRegistrationForm, ConfirmRegistrationForm


def _problem(problem: str):
    status = 410 if problem in {"expired", "gone", "over"} else 404
    return render_template("events/link_problem.html", problem=problem), status


def _csrf_ok() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


def _session_expired():
    return render_template("petitions/session_expired.html", retry_url=request.url), 400


def _registration(purpose: tokens.Purpose, token: str, max_age: int | None):
    """The registration a link names, or the page that explains why it cannot be used."""
    try:
        public_id = tokens.read(purpose, token, max_age)
    except tokens.TokenExpired:
        return None, _problem("expired")
    except tokens.TokenInvalid:
        return None, _problem("invalid")
    found = registrations.by_public_id(public_id) if isinstance(public_id, str) else None
    if found is None or found.email is None:
        return None, _problem("gone")
    return found, None


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@csrf.exempt
@configured_limit("CONFIRM_RATE_LIMIT")
def confirm(token: str):
    """Show the registration as it was made; the button confirms it."""
    max_age = current_app.config["EVENT_CONFIRM_MAX_AGE_DAYS"] * 86400
    found, problem = _registration(tokens.Purpose.EVENT_CONFIRM, token, max_age)
    if found is None:
        return problem
    if found.status != RegistrationStatus.PENDING:
        return redirect(_own_page(found), code=303)
    if services.is_over(found.event):
        # A place in an event that has ended would only send a link to nothing.
        return _problem("over")
    if request.method == "POST":
        if not _csrf_ok():
            return _session_expired()
        registrations.confirm(found)
        db.session.commit()
        return redirect(_own_page(found), code=303)
    return render_template(
        "events/confirm.html", event=found.event, registration=found, form=ConfirmRegistrationForm()
    )


def _own_page(registration: EventRegistration) -> str:
    token = tokens.make(tokens.Purpose.EVENT_REGISTRATION, registration.public_id)
    return url_for(".registration", token=token)


@bp.route("/registration/<token>", methods=["GET", "POST"])
@csrf.exempt
@configured_limit("CONFIRM_RATE_LIMIT")
def registration(token: str):
    """The registrant's own page: where they stand, the link if they have a place, and the
    button that cancels (the link in every email opens this page; only the POST cancels)."""
    found, problem = _registration(tokens.Purpose.EVENT_REGISTRATION, token, None)
    if found is None:
        return problem
    form = CancelRegistrationForm()
    cancelled_now = False
    if request.method == "POST":
        if not _csrf_ok():
            return _session_expired()
        registrations.cancel(found)
        db.session.commit()
        cancelled_now = True
    event = found.event
    return render_template(
        "events/registration.html",
        event=event,
        registration=found,
        form=form,
        cancelled_now=cancelled_now,
        statuses=RegistrationStatus,
        calendar_url=url_for(".calendar_file", token=token),
    )


@bp.get("/registration/<token>/calendar.ics")
@configured_limit("CONFIRM_RATE_LIMIT")
def calendar_file(token: str):
    """The calendar file again, for a registrant with a place."""
    found, problem = _registration(tokens.Purpose.EVENT_REGISTRATION, token, None)
    if found is None:
        return problem
    if found.status != RegistrationStatus.PLACE:
        return _problem("no_place")
    page = messages.page_url(found.event, found.language)
    response = Response(calendar.ics(found.event, found, page), mimetype=calendar.CONTENT_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{found.event.slug}.ics"'
    return response
