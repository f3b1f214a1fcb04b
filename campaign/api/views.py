"""``/petitions/<slug>.json`` and ``/petitions/<slug>/count.json``.

Public, cacheable for a few seconds, and open to any origin (CORS ``*``,
no credentials), so partner sites can show the count.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify

from ..i18n import current_language
from ..notables.services import visible_notables
from ..notables.translations import texts_in
from ..petitions import services
from ..security import public_cache
from . import serializers

bp = Blueprint("api", __name__)


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/petitions/<slug:slug>.json")
@public_cache
def petition(slug: str):
    call = services.get_public_petition(slug)
    if call is None:
        abort(404)
    language = current_language()
    return jsonify(
        serializers.petition(
            call,
            services.call_text(call, language).title,
            services.country_counts(call),
            visible_notables(call),
            texts_in(call, language),
            language,
        )
    )


@bp.get("/petitions/<slug:slug>/count.json")
@public_cache
def count(slug: str):
    call = services.get_public_petition(slug)
    if call is None:
        abort(404)
    return jsonify(signature_count=call.signature_count)
