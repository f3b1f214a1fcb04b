"""``/petitions/<slug>/share.png``: the image social sites show with a shared link."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, g, request
from flask_babel import gettext as _

from ..i18n import current_language
from ..petitions import services as petitions
from ..security import public_cache
from . import services

bp = Blueprint("sharing", __name__, url_prefix="/petitions")

# The image changes only when the title does; its ETag tells a cache when that happens.
SHARE_IMAGE_MAX_AGE = 3600


@bp.get("/<slug:slug>/share.png")
@public_cache
def share_image(slug: str) -> Response:
    """The call's share image in the URL's language (``/fr/...`` gives the French title)."""
    petition = petitions.get_public_petition(slug)
    if petition is None:
        abort(404)
    text = petitions.call_text(petition, current_language())
    host = urlsplit(current_app.config["BASE_URL"]).hostname or ""
    png = services.share_image(text.title, petition.organisation, _("Sign the call"), host)
    g.public_cache_seconds = SHARE_IMAGE_MAX_AGE
    response = Response(png, mimetype="image/png")
    response.add_etag()
    return response.make_conditional(request)
