"""The public signatory list and the press downloads; the organisers' export pages.

Public pages here are cacheable and read nothing personal: only counted
signatures whose signers chose to be shown, with name, country and date.
Organiser pages (under ``/organiser/exports/``) are behind
the organisers' ``role_required`` (admins: these hold personal data), are never
cached, and every download of personal data is in the audit log.
"""

from __future__ import annotations

import os
import re

from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    render_template,
    request,
    send_from_directory,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import countries
from ..extensions import db
from ..i18n import current_language
from ..models import Delivery, OrganiserRole, Petition
from ..organisers.views import actor, role_required
from ..petitions import services as petition_services
from ..security import public_cache
from . import snapshots, storage
from .csvfiles import csv_chunks
from .delivery_options import recipients
from .forms import DeliveryForm, SignatoryFilterForm
from .listing import BadCursor, SignatoryPage, counted_total, list_signatories, public_count
from .personal_data import FULL_COLUMNS, full_rows, record_download
from .press import UTF8_BOM

bp = Blueprint("exports", __name__)

PER_PAGE = 50
RETRY_AFTER_SECONDS = 10


def _petition_or_404(slug: str) -> Petition:
    petition = petition_services.get_public_petition(slug)
    if petition is None:
        abort(404)
    return petition


LATEST_DELIVERIES = 10


def _deliveries_query(petition: Petition):
    return (
        select(Delivery)
        .where(Delivery.petition_id == petition.id)
        .order_by(Delivery.created_at.desc(), Delivery.id.desc())
    )


@bp.app_template_global()
def latest_deliveries(petition: Petition) -> tuple[list[Delivery], int]:
    """The newest deliveries of a call and how many there are, for the call's page."""
    latest = list(db.session.scalars(_deliveries_query(petition).limit(LATEST_DELIVERIES)))
    total = len(latest)
    if total == LATEST_DELIVERIES:
        total = db.session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.petition_id == petition.id)
        )
    return latest, total or 0


@bp.get("/petitions/<slug:slug>/deliveries")
@public_cache
def deliveries(slug: str):
    """Every delivery of a call: date, recipient, count and the manifest's SHA-256."""
    petition = _petition_or_404(slug)
    language = current_language()
    return render_template(
        "exports/deliveries.html",
        petition=petition,
        deliveries=list(db.session.scalars(_deliveries_query(petition))),
        country_name=lambda code: countries.name(code, language),
    )


@bp.get("/petitions/<slug:slug>/signatories")
@public_cache
def signatories(slug: str):
    """Notables first, then signers who chose to be shown, newest first; the rest counted."""
    petition = _petition_or_404(slug)
    language = current_language()
    form = SignatoryFilterForm(request.args, language=language)
    status = 200
    page = SignatoryPage([], None)
    if not form.validate():
        status = 400
    else:
        try:
            page = list_signatories(
                petition,
                country=form.country.data or None,
                search=form.q.data or None,
                after=request.args.get("after") or None,
                per_page=PER_PAGE,
            )
        except BadCursor:
            form.form_errors.append(
                _("This page of the list no longer exists. Please start from the first page.")
            )
            status = 400
    country = form.country.data if status == 200 and form.country.data else None
    total = counted_total(petition, country)
    shown = public_count(petition, country)
    first_page = not request.args.get("after")
    filtering = bool(country or form.q.data)
    next_url = None
    if page.next_cursor:
        args = {key: value for key, value in request.args.items() if value and key != "after"}
        next_url = url_for(".signatories", slug=petition.slug, after=page.next_cursor, **args)
    return (
        render_template(
            "exports/signatories.html",
            petition=petition,
            form=form,
            page=page,
            notables=petition_services.visible_notables(petition)
            if first_page and not filtering
            else [],
            total=total,
            others=max(total - shown, 0),
            country=country,
            filtering=filtering,
            first_page=first_page,
            next_url=next_url,
            country_name=lambda code: countries.name(code, language),
        ),
        status,
    )


def _download(slug: str, fmt: str) -> Response:
    petition = _petition_or_404(slug)
    bom = request.args.get("bom", "") in ("1", "true", "yes")
    if bom and fmt != "csv":
        return _json_error(400, _("The byte order mark option is for the CSV download only."))
    snapshot = snapshots.get_snapshot(petition, fmt)
    if snapshot is None:
        response = _json_error(
            503, _("The list is being prepared. Please try again in a few seconds.")
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    def body():
        if bom:
            yield UTF8_BOM
        yield from snapshot.chunks()

    mimetype = "text/csv" if fmt == "csv" else "application/json"
    # direct_passthrough: make_conditional would otherwise read the whole body into memory
    # to compute a Content-Length, which is exactly what streaming avoids.
    response = Response(body(), mimetype=mimetype, direct_passthrough=True)
    response.charset = "utf-8"
    if snapshot.size is not None:
        response.content_length = snapshot.size + (len(UTF8_BOM) if bom else 0)
    response.set_etag(f"{fmt}-{snapshot.etag}{'-bom' if bom else ''}")
    response.last_modified = snapshot.modified_ns / 1e9
    response.headers["Access-Control-Allow-Origin"] = "*"
    if fmt == "csv":
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{petition.slug}-signatories.csv"'
        )
    return response.make_conditional(request)


@bp.get("/petitions/<slug:slug>/signatories.csv")
@public_cache
def signatories_csv(slug: str):
    return _download(slug, "csv")


@bp.get("/petitions/<slug:slug>/signatories.json")
@public_cache
def signatories_json(slug: str):
    return _download(slug, "json")


def _json_error(status: int, message: str) -> Response:
    """The site's JSON error shape, with a message that says what to do."""
    titles = {400: _("Bad request"), 503: _("Temporarily unavailable")}
    response = jsonify(error={"status": status, "title": titles[status], "message": message})
    response.status_code = status
    return response


# -- organisers ------------------------------------------------------------------------------

PACKAGE_NAME = re.compile(r"^[A-Za-z0-9-]+\.zip$")


def _any_petition_or_404(slug: str) -> Petition:
    """Organisers may export a call in any state, drafts included."""
    petition = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if petition is None:
        abort(404)
    return petition


def _packages_dir(petition: Petition) -> str:
    return storage.delivery_packages_dir(petition.slug)


@bp.route("/organiser/exports/<slug:slug>/delivery", methods=["GET", "POST"])
@role_required(OrganiserRole.ADMIN)
def make_delivery(slug: str):
    """Choose a government (or all) and a language; the package is made and recorded."""
    from . import delivery  # PDF libraries, loaded only by the processes that make packages

    petition = _any_petition_or_404(slug)
    language = current_language()
    choices = [(code, countries.name(code, language)) for code in recipients(petition)]
    form = DeliveryForm(country_choices=choices)
    if form.validate_on_submit():
        try:
            result = delivery.build_delivery(
                petition,
                out_dir=_packages_dir(petition),
                country=form.country.data or None,
                language=form.language.data,
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
    petition = _any_petition_or_404(slug)
    if not PACKAGE_NAME.match(filename):
        abort(404)
    response = send_from_directory(
        _packages_dir(petition), filename, as_attachment=True, mimetype="application/zip"
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
