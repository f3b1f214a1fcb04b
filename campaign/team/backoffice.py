"""Administrators' pages for the team's accounts: invite, one account's page (role,
disable and enable, invitation resent or cancelled). The list is the Accounts page
(organisers/views.py), which links here."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..i18n import current_language
from ..models import Organiser, OrganiserRole
from ..organisers import sessions
from ..organisers.access import ADMIN, ROLE_NAMES, actor, bp, role_required
from . import accounts, invitations
from .forms import DisableForm, InviteForm, RoleForm
from .invitations import Refused


def _to_account(organiser_id: int):
    return redirect(url_for(".account", organiser_id=organiser_id), code=303)


@bp.route("/accounts/invite", methods=["GET", "POST"])
@role_required(ADMIN)
def account_invite():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            organiser = invitations.invite(
                form.email.data, form.role.data, form.name.data or "", actor(), current_language()
            )
        except Refused as refused:
            form.email.errors.append(str(refused))
        else:
            db.session.commit()
            flash(_("The invitation to %(email)s is on its way.", email=organiser.email), "success")
            return _to_account(organiser.id)
    return render_template("organisers/account_invite.html", form=form), (
        422 if form.errors else 200
    )


@bp.get("/accounts/<int:organiser_id>")
@role_required(ADMIN)
def account(organiser_id: int):
    organiser = db.get_or_404(Organiser, organiser_id)
    form = RoleForm(role=organiser.role)
    return render_template(
        "organisers/account.html",
        account=organiser,
        form=form,
        live=len(sessions.sessions_of(organiser.id)),
        expired=invitations.is_expired(organiser),
    )


@bp.post("/accounts/<int:organiser_id>/role")
@role_required(ADMIN)
def account_role(organiser_id: int):
    organiser = db.get_or_404(Organiser, organiser_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose a role."), "error")
        return _to_account(organiser.id)
    try:
        changed = accounts.change_role(organiser, form.role.data, actor())
    except Refused as refused:
        flash(str(refused), "error")
        return _to_account(organiser.id)
    db.session.commit()
    if changed:
        role_name = ROLE_NAMES[OrganiserRole(organiser.role)]
        flash(_("%(email)s is now: %(role)s.", email=organiser.email, role=role_name), "success")
    if organiser.id == actor().id and organiser.role != ADMIN:
        return redirect(url_for(".home"), code=303)  # no longer sees the accounts
    return _to_account(organiser.id)


@bp.route("/accounts/<int:organiser_id>/disable", methods=["GET", "POST"])
@role_required(ADMIN)
def account_disable(organiser_id: int):
    """Asks first: disabling signs the person out everywhere, at once."""
    organiser = db.get_or_404(Organiser, organiser_id)
    form = DisableForm()
    if form.validate_on_submit():
        try:
            accounts.disable(organiser, actor())
        except Refused as refused:
            flash(str(refused), "error")
            return _to_account(organiser.id)
        db.session.commit()
        flash(_("%(email)s is disabled and signed out.", email=organiser.email), "success")
        return _to_account(organiser.id)
    return render_template(
        "organisers/account_disable.html",
        account=organiser,
        form=form,
        live=len(sessions.sessions_of(organiser.id)),
    )


@bp.post("/accounts/<int:organiser_id>/enable")
@role_required(ADMIN)
def account_enable(organiser_id: int):
    organiser = db.get_or_404(Organiser, organiser_id)
    try:
        accounts.enable(organiser, actor())
    except Refused as refused:
        flash(str(refused), "error")
        return _to_account(organiser.id)
    db.session.commit()
    flash(_("%(email)s can sign in again.", email=organiser.email), "success")
    return _to_account(organiser.id)


@bp.post("/accounts/<int:organiser_id>/invitation/resend")
@role_required(ADMIN)
def account_resend(organiser_id: int):
    organiser = db.get_or_404(Organiser, organiser_id)
    try:
        invitations.resend(organiser, actor(), current_language())
    except Refused as refused:
        flash(str(refused), "error")
        return _to_account(organiser.id)
    db.session.commit()
    flash(
        _(
            "A new invitation is on its way to %(email)s; the earlier link no longer works.",
            email=organiser.email,
        ),
        "success",
    )
    return _to_account(organiser.id)


@bp.post("/accounts/<int:organiser_id>/invitation/cancel")
@role_required(ADMIN)
def account_cancel(organiser_id: int):
    organiser = db.get_or_404(Organiser, organiser_id)
    email = organiser.email
    try:
        invitations.cancel(organiser, actor())
    except Refused as refused:
        flash(str(refused), "error")
        return _to_account(organiser.id)
    db.session.commit()
    flash(_("The invitation to %(email)s is cancelled; its link no longer works.", email=email))
    return redirect(url_for(".accounts"), code=303)
