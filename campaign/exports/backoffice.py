"""The organisers' export pages, under ``/organiser/exports/``: delivery packages, full data.

They hold personal data, so they are for admins only (the organisers'
``role_required``), never cached, and every download is in the audit log.
The routes are on the package's blueprint, so their endpoints are
``exports.*`` like the public pages'.
"""

from __future__ import annotations

import os
import re

from flask import Response, abort, render_template, send_from_directory, stream_with_context
from sqlalchemy import select

from .. import countries
from ..extensions import db
from ..i18n import current_language
from ..models import OrganiserRole, Petition
from ..organisers.access import actor, role_required
from . import bp
from .csvfiles import csv_chunks
from .delivery_options import recipients
from .forms import DeliveryForm
from .listing import counted_total
from .personal_data import FULL_COLUMNS, full_rows, record_download
from .storage import delivery_packages_dir

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
    """Choose a government (or all) and a language; the package is made and kept as a draft."""
    petition = _any_petition_or_404(slug)
    language = current_language()
    choices = [(code, countries.name(code, language)) for code in recipients(petition)]
    form = DeliveryForm(country_choices=choices)
    if form.validate_on_submit():
        # Here, not at the top: it loads fpdf2 and HarfBuzz (0.25-1 s, ~40 MB per process).
        from . import delivery

        try:
            result = delivery.build_delivery(
                petition,
                out_dir=delivery_packages_dir(petition.slug),
                country=form.country.data or None,
                language=form.language.data,
                built_by=actor(),
            )
        except delivery.DeliveryError as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            return render_template(
                "exports/organiser_delivery_ready.html",
                petition=petition,
                result=result,
                filename=os.path.basename(result.zip_path),
                country_name=lambda code: countries.name(code, language),
            )
    status = 422 if form.errors or form.form_errors else 200
    return (
        render_template(
            "exports/organiser_delivery.html",
            petition=petition,
            form=form,
            has_signatures=bool(choices),
        ),
        status,
    )


@bp.get("/organiser/exports/<slug:slug>/delivery/<filename>")
@role_required(OrganiserRole.ADMIN)
def download_delivery(slug: str, filename: str):
    """A package made earlier, from the call's packages folder (its name checked first)."""
    petition = _any_petition_or_404(slug)
    if not PACKAGE_NAME.match(filename):
        abort(404)
    response = send_from_directory(
        delivery_packages_dir(petition.slug),
        filename,
        as_attachment=True,
        mimetype="application/zip",
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
