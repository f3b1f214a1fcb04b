"""The team's pages anyone may open: an invitation's link, asking for a reset link, and
the reset link itself. Each ends by setting a password and signing in (with the second
factor, where the account has one)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..extensions import db, limiter
from ..i18n import current_language
from ..models import Organiser
from ..organisers.access import bp
from ..organisers.services import PASSWORD_MIN_LENGTH
from ..organisers.signing_in import await_code, start_session
from ..security import configured_limit
from . import invitations, resets
from .forms import ForgotPasswordForm, NewPasswordForm
from .links import LinkRefused, Problem


def _typed_address() -> str:
    """The key of the per-address limit on reset links: the address as typed, folded."""
    return "reset-email:" + request.form.get("email", "").strip().lower()[:320]


def _refused(problem: Problem, purpose: str):
    """A link that opens nothing, and why (404 for a link never made here)."""
    status = 404 if problem == Problem.INVALID else 410
    return render_template(
        "organisers/link_problem.html", problem=problem, purpose=purpose, problems=Problem
    ), status


def _signed_in(organiser: Organiser, message: str):
    """After a password is set: signed in, or on to the second factor."""
    if organiser.totp_secret:
        await_code(organiser, None)
        db.session.commit()
        flash(message, "success")  # after await_code, which starts a fresh session
        return redirect(url_for(".sign_in_code"), code=303)
    start_session(organiser)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".home"), code=303)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@configured_limit("SIGNIN_RATE_LIMIT", methods=["POST"])
def accept_invitation(token: str):
    try:
        organiser = invitations.invited_by_link(token)
    except LinkRefused as refused:
        return _refused(refused.problem, "invitation")
    form = NewPasswordForm()
    if form.validate_on_submit():
        invitations.accept(organiser, form.password.data)
        return _signed_in(organiser, _("Welcome! Your password is set and you are signed in."))
    return render_template(
        "organisers/invitation_accept.html",
        form=form,
        organiser=organiser,
        min_length=PASSWORD_MIN_LENGTH,
    ), (422 if form.errors else 200)


@bp.route("/forgot-password", methods=["GET", "POST"])
@configured_limit("PASSWORD_RESET_RATE_LIMIT", methods=["POST"])
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_EMAIL_RATE_LIMIT"],
    key_func=_typed_address,
    methods=["POST"],
)
def forgot_password():
    """The same answer whether the address has an account or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        resets.request_link(form.email.data, current_language())
        db.session.commit()
        minutes = current_app.config["PASSWORD_RESET_MINUTES"]
        return render_template("organisers/password_link_sent.html", minutes=minutes)
    return render_template("organisers/password_forgot.html", form=form), (
        422 if form.errors else 200
    )


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@configured_limit("SIGNIN_RATE_LIMIT", methods=["POST"])
def reset_password(token: str):
    try:
        organiser = resets.account_by_link(token)
    except LinkRefused as refused:
        return _refused(refused.problem, "reset")
    form = NewPasswordForm()
    if form.validate_on_submit():
        resets.reset(organiser, form.password.data)
        return _signed_in(
            organiser, _("Your new password is set. You were signed out everywhere else.")
        )
    return render_template(
        "organisers/password_reset.html",
        form=form,
        organiser=organiser,
        min_length=PASSWORD_MIN_LENGTH,
    ), (422 if form.errors else 200)
