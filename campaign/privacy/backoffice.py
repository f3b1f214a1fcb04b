"""The back office's privacy pages: find what is held about a person, give them a copy
(subject access), erase it; and per call, what its packages hand over and how long its
personal data is kept. Administrators only; every export, erasure and change of
settings is in the audit log, with ids and field names, never the data.

A call's delivery settings (names or totals only, the lists' fields) and retention
periods decide which personal data leaves the site and how long it stays: the same
decisions as building a package and answering privacy requests, so the same role makes
them. Editors, who write the call, do not (README, "Organisers"); the CLI, which
set them before this page, is for whoever runs the server.

Routes on the back office's blueprint (``organisers.access.bp``), so their
endpoints are ``organisers.*``.
"""

from __future__ import annotations

import json

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..events import retention as event_retention
from ..exports import delivery_settings
from ..exports.delivery_options import delivery_fields
from ..exports.forms import DeliverySettingsForm
from ..extensions import db
from ..models import ERASED_VALUES, Petition
from ..organisers import audit
from ..organisers.access import ADMIN, actor, bp, role_required
from . import services
from .forms import EraseForm, PersonLookupForm, RetentionForm


def _person_page(form, found=None, erase_form=None, status: int = 200):
    registrations = []
    if found is not None and form.email.data:
        registrations = [r for r in event_retention.registrations_of(form.email.data) if r.email]
    return render_template(
        "organisers/privacy.html",
        form=form,
        found=found,
        registrations=registrations,
        erase_form=erase_form or EraseForm(formdata=None, email=form.email.data),
    ), status


@bp.route("/privacy", methods=["GET", "POST"])
@role_required(ADMIN)
def privacy():
    """Find what is held about a person, by the address they signed with."""
    form = PersonLookupForm()
    if form.validate_on_submit():
        return _person_page(form, found=services.signatures_of(form.email.data))
    return _person_page(form, status=422 if form.errors else 200)


@bp.post("/privacy/export")
@role_required(ADMIN)
def privacy_export():
    """Everything held about a person as JSON; the download is recorded."""
    form = PersonLookupForm()
    if not form.validate_on_submit():
        return _person_page(form, status=422)
    report = services.subject_access_report(form.email.data)
    ids = [s.id for s in services.signatures_of(form.email.data)]
    audit.record(
        actor(), "privacy.export", "signature", ",".join(map(str, ids)), {"signature_ids": ids}
    )
    db.session.commit()
    response = current_app.response_class(
        json.dumps(report, indent=2, ensure_ascii=False), mimetype="application/json"
    )
    # The address is not in the file name: downloads end up in logs and folders.
    response.headers["Content-Disposition"] = 'attachment; filename="subject-access.json"'
    return response


@bp.post("/privacy/erase")
@role_required(ADMIN)
def privacy_erase():
    """Erase a person's data on every call, in place (counts are kept); recorded."""
    erase_form = EraseForm()
    lookup = PersonLookupForm(formdata=None, email=erase_form.email.data)
    if not erase_form.validate_on_submit():
        found = services.signatures_of(erase_form.email.data or "")
        return _person_page(lookup, found=found, erase_form=erase_form, status=422)
    registration_ids = [
        r.id for r in event_retention.registrations_of(erase_form.email.data) if r.email
    ]
    ids = services.erase_person(erase_form.email.data)
    audit.record(
        actor(),
        "privacy.erase",
        "signature",
        ",".join(map(str, ids)),
        {
            "signature_ids": ids,
            "fields": sorted(ERASED_VALUES),
            "event_registration_ids": registration_ids,
        },
    )
    db.session.commit()
    flash(
        ngettext(
            "Erased the data of %(num)d signature.",
            "Erased the data of %(num)d signatures.",
            len(ids),
        ),
        "success",
    )
    return redirect(url_for(".privacy"), 303)


# -- a call's delivery settings and retention periods ------------------------------------


def _settings_page(petition: Petition, delivery_form=None, retention_form=None, status=200):
    if delivery_form is None:
        delivery_form = DeliverySettingsForm(formdata=None)
        delivery_form.mode.data = petition.delivery_mode
        delivery_form.fields.data = delivery_fields(petition)
    if retention_form is None:
        retention_form = RetentionForm(formdata=None)
        retention_form.pending_days.data = str(petition.pending_retention_days)
        retention_form.erase_after_days.data = str(petition.erase_after_delivery_days)
    return render_template(
        "organisers/personal_data.html",
        petition=petition,
        delivery_form=delivery_form,
        retention_form=retention_form,
        confirm_days=current_app.config["CONFIRM_MAX_AGE_DAYS"],
    ), status


def _saved(changes: dict, message: str) -> None:
    flash(message if changes else _("Nothing changed."), "success")


@bp.get("/calls/<int:petition_id>/personal-data")
@role_required(ADMIN)
def personal_data(petition_id: int):
    """What the call's packages hand over, and how long its personal data is kept."""
    return _settings_page(db.get_or_404(Petition, petition_id))


@bp.post("/calls/<int:petition_id>/personal-data/delivery")
@role_required(ADMIN)
def delivery_settings_save(petition_id: int):
    petition = db.get_or_404(Petition, petition_id)
    form = DeliverySettingsForm()
    if not form.validate_on_submit():
        return _settings_page(petition, delivery_form=form, status=422)
    changes = delivery_settings.change_delivery_settings(
        petition, mode=form.mode.data, fields=form.fields.data, actor=actor()
    )
    db.session.commit()
    _saved(changes, _("The delivery settings are saved."))
    return redirect(url_for(".personal_data", petition_id=petition.id), 303)


@bp.post("/calls/<int:petition_id>/personal-data/retention")
@role_required(ADMIN)
def retention_save(petition_id: int):
    petition = db.get_or_404(Petition, petition_id)
    form = RetentionForm()
    if not form.validate_on_submit():
        return _settings_page(petition, retention_form=form, status=422)
    changes = services.set_retention(
        petition,
        pending_days=form.pending_days.data,
        erase_after_days=form.erase_after_days.data,
        actor=actor(),
    )
    db.session.commit()
    _saved(changes, _("The retention periods are saved."))
    return redirect(url_for(".personal_data", petition_id=petition.id), 303)
