"""The back office's own pages: signing in and out, accounts, two-step sign-in and the
audit log. Each feature's back-office pages live in its own package (``backoffice.py``)
on the same blueprint (:data:`access.bp`)."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, logout_user
from sqlalchemy import select

from ..extensions import db
from ..models import Organiser
from ..pagination import list_page
from ..security import configured_limit
from . import audit, services, sessions
from .access import (
    ADMIN,
    ALL_ROLES,
    actor,
    bp,
    client_ip,
    current_session,
    role_required,
    safe_next,
)
from .forms import CodeForm, DisableTwoFactorForm, EnableTwoFactorForm, SignInForm
from .signing_in import await_code, start_session

# -- signing in and out ---------------------------------------------------------------


def _throttled_message(throttled: services.Throttled) -> str:
    if throttled.locked:
        minutes = max(1, (throttled.seconds + 59) // 60)
        return ngettext(
            "Too many failed attempts. Signing in to this account from your network is "
            "locked for %(num)d more minute.",
            "Too many failed attempts. Signing in to this account from your network is "
            "locked for %(num)d more minutes.",
            minutes,
        )
    return ngettext(
        "Too many failed attempts. Please wait %(num)d second and try again.",
        "Too many failed attempts. Please wait %(num)d seconds and try again.",
        throttled.seconds,
    )


# Besides the per-account lockout below, a hard limit per address on sign-in posts.
@bp.route("/sign-in", methods=["GET", "POST"])
@configured_limit("SIGNIN_RATE_LIMIT", methods=["POST"])
def sign_in():
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for(".home"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        email, ip = form.email.data.strip().lower(), client_ip()
        throttled = services.sign_in_throttled(email, ip)
        if throttled is not None:
            form.form_errors.append(_throttled_message(throttled))
            status = 429
        else:
            organiser = services.authenticate(email, form.password.data)
            if organiser is None:
                services.record_sign_in_failure(email, ip)
                db.session.commit()
                form.form_errors.append(_("The email address or the password is wrong."))
                status = 422
            elif organiser.totp_secret:
                await_code(organiser, next_url)
                return redirect(url_for(".sign_in_code"), code=303)
            else:
                services.clear_sign_in_failures(email, ip)
                start_session(organiser)
                db.session.commit()
                return redirect(next_url or url_for(".home"), code=303)
    elif form.errors:
        status = 422
    return render_template("organisers/sign_in.html", form=form), status


@bp.route("/sign-in/code", methods=["GET", "POST"])
@configured_limit("SIGNIN_RATE_LIMIT", methods=["POST"])
def sign_in_code():
    """The second step for organisers with two-step sign-in: a code from their app."""
    pending = session.get("sign_in_code")
    organiser = None
    if pending and time.time() - pending["started"] < current_app.config["SIGN_IN_CODE_SECONDS"]:
        organiser = services.organiser_by_session_token(pending["token"])
    if organiser is None:
        session.pop("sign_in_code", None)
        flash(_("Please sign in again."), "info")
        return redirect(url_for(".sign_in"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        ip = client_ip()
        throttled = services.sign_in_throttled(organiser.email, ip)
        if throttled is not None:
            form.form_errors.append(_throttled_message(throttled))
            status = 429
        elif services.verify_totp(organiser, form.code.data):
            services.clear_sign_in_failures(organiser.email, ip)
            start_session(organiser)
            db.session.commit()
            return redirect(pending.get("next") or url_for(".home"), code=303)
        else:
            services.record_sign_in_failure(organiser.email, ip)
            db.session.commit()
            form.code.errors.append(_("This code is wrong or has already been used."))
            status = 422
    elif form.errors:
        status = 422
    return render_template("organisers/sign_in_code.html", form=form), status


@bp.post("/sign-out")
@role_required(*ALL_ROLES)
def sign_out():
    # The row, not only the cookie: a copy of the cookie opens nothing afterwards.
    row = current_session()
    if row is not None:
        sessions.end(row, sessions.Ending.SIGNED_OUT)
        db.session.commit()
    return _signed_out(_("You are signed out."))


def _signed_out(message: str):
    logout_user()
    session.clear()
    flash(message, "info")
    return redirect(url_for(".sign_in"), code=303)


# -- accounts and the audit log ----------------------------------------------------


@bp.get("/accounts")
@role_required(ADMIN)
def accounts():
    organisers = db.session.scalars(select(Organiser).order_by(Organiser.email)).all()
    return render_template(
        "organisers/accounts.html", organisers=organisers, live=sessions.live_counts()
    )


@bp.post("/accounts/<int:organiser_id>/end-sessions")
@role_required(ADMIN)
def end_account_sessions(organiser_id: int):
    """An administrator signs an account out on every device (a lost laptop, a leaver)."""
    me, organiser = actor(), db.get_or_404(Organiser, organiser_id)
    ended = sessions.end_all(organiser.id, sessions.Ending.ADMINISTRATOR)
    audit.record(me, "end_sessions", "organiser", organiser.id, {"sessions": ended})
    db.session.commit()
    if organiser.id == me.id:
        return _signed_out(_("You are signed out on every device."))
    flash(
        ngettext(
            "%(num)d session of %(email)s was ended.",
            "%(num)d sessions of %(email)s were ended.",
            ended,
            email=organiser.email,
        ),
        "success",
    )
    return redirect(url_for(".accounts"), code=303)


@bp.get("/account/sessions")
@role_required(*ALL_ROLES)
def my_sessions():
    """Where an organiser sees the browsers they are signed in on, and signs out of all."""
    return render_template(
        "organisers/sessions.html",
        sessions=sessions.sessions_of(actor().id),
        this_session=current_session(),
    )


@bp.post("/account/sessions/end")
@role_required(*ALL_ROLES)
def end_my_sessions():
    me = actor()
    ended = sessions.end_all(me.id, sessions.Ending.EVERYWHERE)
    audit.record(me, "end_sessions", "organiser", me.id, {"sessions": ended})
    db.session.commit()
    return _signed_out(_("You are signed out on every device."))


@bp.route("/account/two-step", methods=["GET", "POST"])
@role_required(ADMIN)
def two_factor():
    """Administrators turn on a second factor: the secret as text, and as a QR code drawn
    here (no outside QR service ever sees it)."""
    me = actor()
    if me.totp_secret:
        form = DisableTwoFactorForm()
        if form.validate_on_submit():
            if services.verify_totp(me, form.code.data):
                services.disable_totp(me, keep=current_session())
                audit.record(me, "disable_two_factor", "organiser", me.id, {"fields": ["totp"]})
                db.session.commit()
                flash(_("Two-step sign-in is off."), "success")
                return redirect(url_for(".two_factor"), code=303)
            form.code.errors.append(_("This code is wrong or has already been used."))
        return render_template("organisers/two_factor.html", form=form, enabled=True), (
            422 if form.errors else 200
        )
    secret = session.get("totp_enrol") or services.new_totp_secret()
    session["totp_enrol"] = secret
    form = EnableTwoFactorForm()
    if form.validate_on_submit():
        if services.enable_totp(me, secret, form.code.data, keep=current_session()):
            session.pop("totp_enrol", None)
            audit.record(me, "enable_two_factor", "organiser", me.id, {"fields": ["totp"]})
            db.session.commit()
            flash(_("Two-step sign-in is on. You will need a code each time you sign in."))
            return redirect(url_for(".two_factor"), code=303)
        form.code.errors.append(_("This code does not match. Check the time on your phone."))
    return render_template(
        "organisers/two_factor.html",
        form=form,
        enabled=False,
        secret=secret,
        uri=services.totp_uri(me, secret),
        qr_code=services.totp_qr_code(services.totp_uri(me, secret)),
    ), (422 if form.errors else 200)


@bp.get("/audit")
@role_required(ADMIN)
def audit_log():
    entries, pagination = list_page(audit.entries, 50)
    return render_template("organisers/audit.html", entries=entries, pagination=pagination)
