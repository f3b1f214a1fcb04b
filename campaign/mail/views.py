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


@bp.get("/<int:message_id>/attachments/<int:index>")
def attachment(message_id: int, index: int):
    """An attachment as the recipient's mail app would offer it (the calendar file of an
    event's place), so the demo's mail can be tried to the end in the browser."""
    message = db.session.get(OutboxMessage, message_id)
    files = (message.attachments or []) if message is not None else []
    if not 0 <= index < len(files):
        abort(404)
    found = files[index]
    response = make_response(found["content"])
    response.mimetype = found["content_type"]
    response.headers["Content-Disposition"] = f'attachment; filename="{found["filename"]}"'
    return response


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
