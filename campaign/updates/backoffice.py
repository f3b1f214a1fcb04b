"""The back office's pages for updates to supporters: write, preview, test, send.

Routes on the back office's blueprint (``organisers.access.bp``), so their
endpoints are ``organisers.*``; each states the roles it admits.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from ..extensions import db
from ..models import Petition, SupporterUpdate, UpdateStatus
from ..organisers.access import EDITOR, actor, bp, role_required
from . import services
from .forms import UpdateForm


def _update(petition: Petition, update_id: int) -> SupporterUpdate:
    update_ = db.session.get(SupporterUpdate, update_id)
    if update_ is None or update_.petition_id != petition.id:
        abort(404)
    return update_


@bp.get("/calls/<int:petition_id>/updates")
@role_required(EDITOR)
def updates(petition_id: int):
    petition = db.get_or_404(Petition, petition_id)
    items = db.session.scalars(
        select(SupporterUpdate)
        .where(SupporterUpdate.petition_id == petition.id)
        .order_by(SupporterUpdate.id.desc())
    ).all()
    return render_template("organisers/updates.html", petition=petition, items=items)


@bp.route("/calls/<int:petition_id>/updates/new", methods=["GET", "POST"])
@role_required(EDITOR)
def update_new(petition_id: int):
    petition = db.get_or_404(Petition, petition_id)
    form = UpdateForm()
    if form.validate_on_submit():
        update_ = services.save_update(
            None, petition, form.subject.data, form.body_markdown.data, actor()
        )
        db.session.commit()
        return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id), 303)
    return render_template(
        "organisers/update_form.html", petition=petition, form=form, update=None
    ), (422 if form.errors else 200)


@bp.route("/calls/<int:petition_id>/updates/<int:update_id>/edit", methods=["GET", "POST"])
@role_required(EDITOR)
def update_edit(petition_id: int, update_id: int):
    petition = db.get_or_404(Petition, petition_id)
    update_ = _update(petition, update_id)
    if update_.status != UpdateStatus.DRAFT:
        flash(_("This update is already being sent and cannot change."), "error")
        return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id))
    form = UpdateForm(obj=update_)
    if form.validate_on_submit():
        services.save_update(update_, petition, form.subject.data, form.body_markdown.data, actor())
        db.session.commit()
        return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id), 303)
    return render_template(
        "organisers/update_form.html", petition=petition, form=form, update=update_
    ), (422 if form.errors else 200)


@bp.get("/calls/<int:petition_id>/updates/<int:update_id>")
@role_required(EDITOR)
def update_show(petition_id: int, update_id: int):
    """The preview, with the test send and the real send."""
    petition = db.get_or_404(Petition, petition_id)
    update_ = _update(petition, update_id)
    return render_template(
        "organisers/update_show.html",
        petition=petition,
        update=update_,
        left=services.recipients_left(update_),
        delivered=services.deliveries(update_),
    )


@bp.post("/calls/<int:petition_id>/updates/<int:update_id>/test")
@role_required(EDITOR)
def update_test(petition_id: int, update_id: int):
    petition = db.get_or_404(Petition, petition_id)
    update_ = _update(petition, update_id)
    services.send_test_update(update_, actor())
    db.session.commit()
    flash(_("A test copy is on its way to %(email)s.", email=actor().email), "success")
    return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id), 303)


@bp.post("/calls/<int:petition_id>/updates/<int:update_id>/send")
@role_required(EDITOR)
def update_send(petition_id: int, update_id: int):
    """Start (or continue) sending: one batch per press; ``flask organiser send-updates``
    sends the rest from the server."""
    petition = db.get_or_404(Petition, petition_id)
    update_ = _update(petition, update_id)
    services.start_sending(update_, actor())
    queued = services.queue_update_batch(update_, current_app.config["UPDATE_BATCH_SIZE"])
    db.session.commit()
    flash(
        ngettext("%(num)d message queued.", "%(num)d messages queued.", queued),
        "success",
    )
    return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id), 303)
