"""The organisers' export pages, under ``/organiser/exports/``: delivery packages, full data.

Asking for a delivery package queues a job and sends the organiser to its
page, whose progress bar a worker (``flask export work``) moves; the
package is offered there once built.

They hold personal data, so they are for admins only (the organisers'
``role_required``), never cached, and every download is in the audit log.
The routes are on the package's blueprint, so their endpoints are
``exports.*`` like the public pages'; their pages still wear the back
office's navigation, with its template context passed in.
"""

from __future__ import annotations

import re

from flask import (
    Response,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from .. import countries
from ..extensions import db
from ..i18n import current_language
from ..models import FileKind, OrganiserRole, PackageJob, Petition
from ..organisers.access import actor, organiser_context, role_required
from ..stored_files import file_response, newest
from . import bp, jobs
from .csvfiles import csv_chunks
from .delivery_options import recipients
from .forms import DeliveryForm
from .listing import counted_total
from .personal_data import FULL_COLUMNS, full_rows, record_download

PACKAGE_NAME = re.compile(r"^[A-Za-z0-9-]+\.zip$")


def _any_petition_or_404(slug: str) -> Petition:
    """Organisers may export a call in any state, drafts included."""
    petition = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if petition is None:
        abort(404)
    return petition


@bp.route("/organiser/exports/<slug:slug>/delivery", methods=["GET", "POST"])
@role_required(OrganiserRole.ADMIN)
def make_delivery(slug: str):
    """Choose a government (or all) and a language; a worker builds the package (a draft)."""
    petition = _any_petition_or_404(slug)
    language = current_language()
    choices = [(code, countries.name(code, language)) for code in recipients(petition)]
    form = DeliveryForm(country_choices=choices)
    if form.validate_on_submit():
        if not choices:
            form.form_errors.append(_("There are no confirmed signatures to deliver yet."))
        else:
            job, _new = jobs.queue_package_job(
                petition,
                country=form.country.data or None,
                language=form.language.data,
                requested_by=actor(),
            )
            db.session.commit()
            return redirect(url_for(".delivery_job", slug=petition.slug, job_id=job.id), 303)
    status = 422 if form.errors or form.form_errors else 200
    return (
        render_template(
            "exports/organiser_delivery.html",
            **organiser_context(),
            petition=petition,
            form=form,
            has_signatures=bool(choices),
            jobs=jobs.recent_jobs(petition),
            country_name=lambda code: countries.name(code, language),
        ),
        status,
    )


def _job_or_404(petition: Petition, job_id: int) -> PackageJob:
    job = jobs.job_of(petition, job_id)
    if job is None:
        abort(404)
    return job


@bp.get("/organiser/exports/<slug:slug>/delivery/jobs/<int:job_id>")
@role_required(OrganiserRole.ADMIN)
def delivery_job(slug: str, job_id: int):
    """A package being built: its progress bar, then its download, or why it failed."""
    petition = _any_petition_or_404(slug)
    job = _job_or_404(petition, job_id)
    language = current_language()
    return render_template(
        "exports/organiser_delivery_job.html",
        **organiser_context(),
        petition=petition,
        job=job,
        progress=jobs.progress_of(job),
        packages=jobs.packages_of(job),
        waiting_long=jobs.waiting_long(job),
        country_name=lambda code: countries.name(code, language),
    )


@bp.get("/organiser/exports/<slug:slug>/delivery/jobs/<int:job_id>.json")
@role_required(OrganiserRole.ADMIN)
def delivery_job_progress(slug: str, job_id: int):
    """The job's progress, for the script on its page (never cached, like every page here)."""
    petition = _any_petition_or_404(slug)
    return jsonify(jobs.progress_of(_job_or_404(petition, job_id)))


@bp.get("/organiser/exports/<slug:slug>/delivery/<filename>")
@role_required(OrganiserRole.ADMIN)
def download_delivery(slug: str, filename: str):
    """A package made earlier, as stored in the database (its name checked first)."""
    petition = _any_petition_or_404(slug)
    named = PACKAGE_NAME.match(filename)
    stored = newest(FileKind.PACKAGE, petition.id, filename) if named else None
    if stored is None:
        abort(404)
    response = file_response(
        stored, mimetype="application/zip", download_name=filename, byte_range=request.range
    )
    record_download(petition=petition, kind=f"delivery:{filename}", actor=actor(), rows=None)
    db.session.commit()
    return response


@bp.get("/organiser/exports/<slug:slug>/signatures-full.csv")
@role_required(OrganiserRole.ADMIN)
def full_csv(slug: str):
    """Every counted signature with its personal data (admins only; each download audited)."""
    petition = _any_petition_or_404(slug)
    record_download(
        petition=petition,
        kind="full-signature-data",
        actor=actor(),
        rows=counted_total(petition),
    )
    db.session.commit()  # recorded before the first byte leaves
    response = Response(
        stream_with_context(csv_chunks(full_rows(petition), FULL_COLUMNS)),
        mimetype="text/csv",
    )
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{petition.slug}-signatures-full.csv"'
    )
    return response
