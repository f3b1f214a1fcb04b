"""Putting messages in the outbox.

A message is rendered when it is queued, in the recipient's language, and
written in the caller's transaction: it is sent if and only if what it is
about was committed.

The row is written with one Core INSERT rather than through the ORM's unit
of work: signing queues a message on every post, and the ORM's flush cost
more than the insert itself. Nothing needs the row as an object afterwards.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale

from ..extensions import db
from ..models import OutboxMessage, OutboxStatus, utcnow

_INSERT = OutboxMessage.__table__.insert().returning(OutboxMessage.__table__.c.id)


def new_message_id() -> str:
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"<{uuid.uuid4().hex}@{host}>"


def enqueue(
    *,
    kind: str,
    to_address: str,
    to_name: str,
    template: str,
    subject: str,
    language: str,
    context: dict[str, Any],
    signature_id: int | None = None,
    petition_id: int | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Render ``templates/email/<template>.txt`` and ``.html`` and queue the message.

    ``subject`` should be a lazy or plain string; it is rendered in ``language``.
    ``headers`` are extra mail headers, such as ``List-Unsubscribe``. Returns
    the outbox row's id.
    """
    with force_locale(language):
        body_text = render_template(f"email/{template}.txt", **context)
        body_html = render_template(f"email/{template}.html", **context)
        subject = str(subject)
    now = utcnow()
    values = {
        "message_id": new_message_id(),
        "kind": kind,
        "signature_id": signature_id,
        "petition_id": petition_id,
        "to_address": to_address,
        "to_name": to_name,
        "subject": subject,
        "body_text": body_text,
        "body_html": body_html,
        "status": OutboxStatus.QUEUED,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    if headers:
        values["headers"] = headers
    return db.session.execute(_INSERT, values).scalar_one()
