"""The unsubscribe page that news of what a signer's government did links to.

Outside ``/organiser/``: the token in the URL is the credential, and no
session is needed. Beside the updates' unsubscribe address, which a token
(no slash) can never reach.
"""

from __future__ import annotations

from flask import current_app, render_template, request

from .. import tokens
from ..extensions import csrf, db
from . import bp, news


@bp.route("/petitions/unsubscribe/government-news/<token>", methods=["GET", "POST"])
@csrf.exempt  # the token in the URL is the credential; mail apps' one-click POST has no session
def news_unsubscribe(token: str):
    """Stop news of what the signer's government does. A GET only asks (link scanners fetch
    links); a POST, from the button or a mail app's one-click unsubscribe (RFC 8058), does it."""
    max_age = current_app.config["UNSUBSCRIBE_MAX_AGE_DAYS"] * 86400
    try:
        public_id = tokens.read(tokens.Purpose.GOVERNMENT_NEWS_UNSUBSCRIBE, token, max_age)
    except tokens.TokenInvalid:
        return render_template("governments/news_unsubscribe.html", state="invalid"), 404
    signature = news.subscriber(public_id) if isinstance(public_id, str) else None
    if signature is None:
        return render_template("governments/news_unsubscribe.html", state="invalid"), 404
    if request.method == "POST":
        news.stop_news(signature)
        db.session.commit()
        state = "done"
    else:
        state = "ask" if signature.government_news else "done"
    return render_template(
        "governments/news_unsubscribe.html", state=state, petition=signature.petition
    )
