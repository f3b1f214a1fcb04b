"""The back office's privacy-request pages: find what is held about a person, give them
a copy (subject access), erase it. Administrators only; every export and erasure
is in the audit log, with ids and field names, never the data.

Routes on the back office's blueprint (``organisers.access.bp``), so their
endpoints are ``organisers.*``.
"""

from __future__ import annotations

import json

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import ngettext

from ..extensions import db
from ..models import ERASED_VALUES
from ..organisers import audit
from ..organisers.access import ADMIN, actor, bp, role_required
from . import services
from .forms import EraseForm, PersonLookupForm


def _person_page(form, found=None, erase_form=None, status: int = 200):
    return render_template(
        "organisers/privacy.html",
        form=form,
        found=found,
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
    ids = services.erase_person(erase_form.email.data)
    audit.record(
        actor(),
        "privacy.erase",
        "signature",
        ",".join(map(str, ids)),
        {"signature_ids": ids, "fields": sorted(ERASED_VALUES)},
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
