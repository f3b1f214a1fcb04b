"""The public side of notable signatories: their portraits, served from the database, and
their titles and categories in the page's language for the templates.

Outside ``/organiser/``: anyone may fetch a portrait, and no session is needed.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from ..i18n import InLanguage, current_language
from ..models import NotableSignatory
from ..security import public_cache
from . import services, translations

bp = Blueprint("notables", __name__)
# Templates show a portrait by its path: the same for pages in every language.
bp.add_app_template_global(services.portrait_path, "portrait_url")


@bp.app_template_global()
def notable_title(notable: NotableSignatory) -> InLanguage:
    """A notable's title in the page's language when editors translated it, else as
    written (``lang_attr`` marks which)."""
    return translations.texts_in(notable.petition, current_language()).title(notable)


@bp.app_template_global()
def notable_category(notable: NotableSignatory) -> InLanguage:
    """The name of ``notable``'s category in the page's language, likewise."""
    return translations.texts_in(notable.petition, current_language()).category(notable.category)


@bp.get("/media/notables/<int:notable_id>/<digest>")
@public_cache
def portrait(notable_id: int, digest: str):
    """A portrait from the database. The digest in the URL changes with the image, so a
    cached copy is never stale; the type is the one we encoded, never the upload's."""
    row = services.portrait_of(notable_id)
    if row is None or row.sha256[:16] != digest:
        abort(404)
    response = Response(row.data, mimetype=row.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    response.set_etag(row.sha256)
    return response.make_conditional(request)
