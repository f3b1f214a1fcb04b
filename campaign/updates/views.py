"""The public side of updates to supporters: the unsubscribe page their emails link to.

Outside ``/organiser/``: the token in the URL is the credential, and no
session is needed.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from .. import tokens
from ..extensions import csrf, db
from . import services

bp = Blueprint("updates", __name__)


@bp.route("/petitions/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the token in the URL is the credential; mail apps' one-click POST has no session
def unsubscribe(token: str):
    """Stop updates about a call. A GET only asks (link scanners fetch links); a POST,
    from the button or a mail app's one-click unsubscribe (RFC 8058), does it."""
    max_age = current_app.config["UNSUBSCRIBE_MAX_AGE_DAYS"] * 86400
    try:
        public_id = tokens.read(tokens.Purpose.UNSUBSCRIBE, token, max_age)
    except tokens.TokenInvalid:
        return render_template("updates/unsubscribe.html", state="invalid"), 404
    signature = None
    if isinstance(public_id, str):
        signature = services.subscriber(public_id)
    if signature is None:
        return render_template("updates/unsubscribe.html", state="invalid"), 404
    if request.method == "POST":
        services.unsubscribe(signature)
        db.session.commit()
        return render_template(
            "updates/unsubscribe.html", state="done", petition=signature.petition
        )
    state = "ask" if signature.updates else "done"
    return render_template("updates/unsubscribe.html", state=state, petition=signature.petition)
