"""The public pages of exports: the signatory list, the press downloads and the deliveries.

They are cacheable and read nothing personal: only counted signatures
whose signers chose to be shown, with name, country and date. The
organisers' export pages are in :mod:`.backoffice`, on the same blueprint.
"""

from __future__ import annotations

from flask import Response, abort, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import countries
from ..extensions import db
from ..i18n import current_language
from ..models import Delivery, Petition
from ..notables.services import visible_notables
from ..petitions import services as petition_services
from ..security import public_cache
from . import bp, snapshots
from .delivery_options import CHANNEL_LABELS
from .forms import SignatoryFilterForm
from .listing import BadCursor, SignatoryPage, counted_total, list_signatories, public_count
from .press import UTF8_BOM

PER_PAGE = 50
RETRY_AFTER_SECONDS = 10


def _petition_or_404(slug: str) -> Petition:
    petition = petition_services.get_public_petition(slug)
    if petition is None:
        abort(404)
    return petition


LATEST_DELIVERIES = 10


def _deliveries_query(petition: Petition):
    """A call's recorded deliveries, latest first. Packages only built are drafts: never here."""
    return (
        select(Delivery)
        .where(Delivery.petition_id == petition.id)
        .options(selectinload(Delivery.package))
        .order_by(Delivery.delivered_on.desc(), Delivery.id.desc())
    )


@bp.app_template_global()
def channel_label(channel: str) -> str:
    """How a package reached its government, in the reader's language."""
    return str(CHANNEL_LABELS.get(channel, channel))


@bp.app_template_global()
def latest_deliveries(petition: Petition) -> tuple[list[Delivery], int]:
    """The latest recorded deliveries of a call and how many there are, for the call's page."""
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
    """Every recorded delivery of a call: date, body, channel, count, manifest SHA-256."""
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
            notables=visible_notables(petition) if first_page and not filtering else [],
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
