"""The development mailbox: mail kept locally, readable in the browser.

Registered only in development with no ``MAIL_SERVER``; in production this
blueprint does not exist, so its URLs are plain 404s.
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template
from sqlalchemy import select

from ..extensions import db
from ..models import OutboxMessage

bp = Blueprint("dev_mailbox", __name__, url_prefix="/dev/mailbox")


@bp.get("/")
def index():
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)
    ).all()
    return render_template("dev_mailbox/index.html", messages=messages)


@bp.get("/<int:message_id>")
def show(message_id: int):
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return render_template("dev_mailbox/show.html", message=message)


@bp.get("/<int:message_id>/html")
def html_body(message_id: int):
    """The HTML part on its own, framed by the mailbox page; its CSP lets nothing run.

    Inline styles are allowed: emails carry their styling inline, as mail
    clients require, and the preview should look like what the signer gets.
    A style cannot run code, and the sandbox still forbids scripts.
    """
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    response = make_response(message.body_html)
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
