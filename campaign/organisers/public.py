"""Public pages of the organisers' feature: portraits of notable signatories and
the unsubscribe page of updates to supporters.

Both live outside ``/organiser/``: anyone may fetch them, and no session is
needed.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from sqlalchemy import select

from .. import tokens
from ..extensions import csrf, db
from ..models import NotableSignatory, Signature
from ..security import public_cache
from . import services

bp = Blueprint("organisers_public", __name__)


def portrait_path(notable: NotableSignatory) -> str | None:
    """The portrait's path (no language prefix: one URL for every page), or None."""
    if not notable.portrait_hash:
        return None
    return current_app.url_map.bind("localhost").build(
        "organisers_public.portrait",
        {"notable_id": notable.id, "digest": notable.portrait_hash[:16]},
    )


def portrait_url(notable: NotableSignatory) -> str | None:
    """The portrait's absolute URL, for the public JSON."""
    path = portrait_path(notable)
    return current_app.config["BASE_URL"] + path if path else None


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


@bp.route("/petitions/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the token in the URL is the credential; mail apps' one-click POST has no session
def unsubscribe(token: str):
    """Stop updates about a call. A GET only asks (link scanners fetch links); a POST,
    from the button or a mail app's one-click unsubscribe (RFC 8058), does it."""
    max_age = current_app.config["UNSUBSCRIBE_MAX_AGE_DAYS"] * 86400
    try:
        public_id = tokens.read(tokens.Purpose.UNSUBSCRIBE, token, max_age)
    except tokens.TokenInvalid:
        return render_template("organisers/unsubscribe.html", state="invalid"), 404
    signature = None
    if isinstance(public_id, str):
        signature = db.session.scalar(select(Signature).where(Signature.public_id == public_id))
    if signature is None:
        return render_template("organisers/unsubscribe.html", state="invalid"), 404
    if request.method == "POST":
        services.unsubscribe(signature)
        db.session.commit()
        return render_template(
            "organisers/unsubscribe.html", state="done", petition=signature.petition
        )
    state = "ask" if signature.updates else "done"
    return render_template("organisers/unsubscribe.html", state=state, petition=signature.petition)
