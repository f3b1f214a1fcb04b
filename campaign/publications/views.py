"""The public side of publications: the list, a page each, their PDFs, the cover, the
JSON and the Atom feed, under every language's prefix like every public page.

Everything reads :func:`services.published`: a draft is a 404 here, and in no list.
Pages, JSON and the feed are cacheable; a download is not, since the origin counts it
(a count per publication and language, nothing about who).
"""

from __future__ import annotations

from babel.units import format_unit
from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import get_locale

from ..extensions import db
from ..i18n import current_language
from ..models import Event, Petition, Publication
from ..security import public_cache
from ..stored_files import file_response
from . import bp, feeds, services


def _open_to_any_origin(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _publication_or_404(slug: str) -> Publication:
    publication = services.public_publication(slug)
    if publication is None:
        abort(404)
    return publication


@bp.app_template_global()
def call_publications(petition: Petition) -> list[Publication]:
    """The published publications related to a call, for the call's page."""
    return services.publications_of_call(petition.id)


@bp.app_template_global()
def event_publication(event: Event) -> Publication | None:
    """The published publication an event launches or discusses, for the event's page
    (events sit below publications, so they read it through this global)."""
    if event.publication_id is None:
        return None
    return services.public_publication_by_id(event.publication_id)


@bp.app_template_global()
def publication_texts(publication: Publication) -> services.Texts:
    """Its texts in the page's language, or in its own (``.fallback`` says so)."""
    return services.texts(publication, current_language())


@bp.app_template_global()
def publication_cover_url(publication: Publication) -> str | None:
    cover = services.cover_of(publication.id)
    if cover is None:
        return None
    return url_for("publications.cover", publication_id=publication.id, digest=cover.sha256[:16])


@bp.app_template_global()
def file_size(size: int) -> str:
    """A file's size in the page's language and units ("1.2 MB", "1,2 Mo")."""
    locale = get_locale() or "en"
    if size < 1_000_000:
        return format_unit(max(round(size / 1000), 1), "digital-kilobyte", "short", locale=locale)
    return format_unit(round(size / 1_000_000, 1), "digital-megabyte", "short", locale=locale)


@bp.get("/publications/")
@public_cache
def index():
    return render_template("publications/index.html", publications=services.public_publications())


@bp.get("/publications.json")
@public_cache
def index_json():
    body = feeds.list_json(services.public_publications(), current_language())
    return _open_to_any_origin(current_app.json.response(body))


@bp.get("/publications.atom", endpoint="feed")
@public_cache
def feed_atom():
    response = Response(feeds.atom(current_language()), mimetype="application/atom+xml")
    response.charset = "utf-8"
    return _open_to_any_origin(response)


@bp.get("/publications/<slug:slug>")
@public_cache
def show(slug: str):
    publication = _publication_or_404(slug)
    return render_template(
        "publications/show.html",
        publication=publication,
        texts=services.texts(publication, current_language()),
        downloads=services.downloads(publication),
        call=services.public_call(publication),
    )


@bp.get("/publications/<slug:slug>.json")
@public_cache
def show_json(slug: str):
    publication = _publication_or_404(slug)
    body = feeds.publication_json(publication, current_language())
    return _open_to_any_origin(current_app.json.response(body))


@bp.get("/publications/<slug:slug>/download/<lang>")
def download(slug: str, lang: str):
    """The PDF in ``lang``, streamed from the database (resumable); a first request for
    it (not a resumed range, not a HEAD) counts one download of that language."""
    publication = _publication_or_404(slug)
    row = services.file_in(publication, lang)
    stored = services.stored_file(row) if row is not None else None
    if row is None or stored is None or stored.completed_at is None:
        abort(404)
    byte_range = request.range
    wanted = byte_range.range_for_length(stored.size) if byte_range is not None else None
    resumed = wanted is not None and wanted[0] > 0
    if request.method == "GET" and not resumed:
        services.count_download(publication.id, lang)
        db.session.commit()
    response = file_response(
        stored,
        mimetype=feeds.PDF,
        download_name=f"{publication.slug}-{lang}.pdf",
        byte_range=byte_range,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/media/publications/<int:publication_id>/<digest>")
@public_cache
def cover(publication_id: int, digest: str):
    """A published publication's cover; the digest in the URL changes with the image."""
    row = services.cover_of(publication_id)
    public = services.public_publication_by_id(publication_id) is not None
    if row is None or not public or row.sha256[:16] != digest:
        abort(404)
    response = Response(row.data, mimetype=row.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(row.sha256)
    return response.make_conditional(request)
