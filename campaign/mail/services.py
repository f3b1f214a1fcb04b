"""Putting messages in the outbox.

A message is rendered when it is queued, in the recipient's language, and
written in the caller's transaction: it is sent if and only if what it is
about was committed.

The row is written with one Core INSERT rather than through the ORM's unit
of work: signing queues a message on every post, and the ORM's flush cost
more than the insert itself. Nothing needs the row as an object afterwards.
"""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import escape

from ..extensions import db
from ..i18n import DEFER_ISOLATION, DEFERRED_CLOSE, DEFERRED_OPEN, isolated_text
from ..models import OutboxMessage, OutboxStatus, utcnow

_INSERT = OutboxMessage.__table__.insert().returning(OutboxMessage.__table__.c.id)


def new_message_id() -> str:
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"<{uuid.uuid4().hex}@{host}>"


def _render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    return (
        render_template(f"email/{template}.txt", **context),
        render_template(f"email/{template}.html", **context),
    )


def _render_in(
    language: str, template: str, context: dict[str, Any], subject: str
) -> tuple[str, str, str]:
    """Both bodies and the subject, in the reader's language."""
    with force_locale(language):
        return (*_render(template, context), str(subject))


_NOT_YET = object()
_PLACEHOLDER = re.compile("\ue000(\\w+)\ue001")
# In the text body a placeholder may be wrapped for isolation (``i18n.isolate``): judged
# here, in the same single pass, once the value and so its direction are known.
_TEXT_PLACEHOLDER = re.compile(f"({DEFERRED_OPEN})?\ue000(\\w+)\ue001(?(1){DEFERRED_CLOSE})")


def _placeholder(key: str) -> str:
    # Private-use characters: nothing a translation, Jinja's escaping or a URL produces.
    return f"\ue000{key}\ue001"


def _fill_in(
    template: str,
    language: str,
    context: dict[str, Any],
    personal: tuple[str, ...],
    shared_key: tuple[Any, ...],
    subject: str,
) -> tuple[str, str, str]:
    """The bodies from a rendering shared by every recipient, with their own values put in,
    and the subject (shared whole).

    Every signature queues an email, and rendering two templates through
    Flask-Babel was a sixth of a signature's cost; even switching to the
    reader's language for the subject was a fortieth. The templates are
    rendered once with a placeholder for each personal value, and each
    message replaces the placeholders: HTML-escaped in the HTML body, as is in
    the text, which is what Jinja's autoescaping does with the values
    themselves. A template that transforms a personal value (a filter) would
    lose its placeholder; then the message is rendered in full, so the result
    is always what rendering it alone would give.
    """
    skeletons: dict[tuple[Any, ...], tuple[str, str, str] | None] = (
        current_app.extensions.setdefault("campaign.email_skeletons", {})
    )
    key = (template, language, personal, shared_key)
    # Read once into a local: another thread may clear the dict between two lookups.
    skeleton = skeletons.get(key, _NOT_YET)
    if skeleton is _NOT_YET:
        marked = {**context, **{name: _placeholder(name) for name in personal}}
        marked[DEFER_ISOLATION] = True
        text, html, shared_subject = _render_in(language, template, marked, subject)
        whole = _only_whole_placeholders(text + html, personal)
        skeleton = (text, html, shared_subject) if whole else None
        if len(skeletons) > 500:  # titles change rarely; old keys are simply dropped
            skeletons.clear()
        skeletons[key] = skeleton
    if skeleton is None:
        return _render_in(language, template, context, subject)
    text, html, shared_subject = skeleton
    values = {name: str(context[name]) for name in personal}

    # One pass each, so a value that happens to look like a placeholder stays as typed.
    def text_value(m: re.Match) -> str:
        value = values[m.group(2)]
        return isolated_text(value, language) if m.group(1) else value

    return (
        _TEXT_PLACEHOLDER.sub(text_value, text),
        _PLACEHOLDER.sub(lambda m: str(escape(values[m.group(1)])), html),
        shared_subject,
    )


def _only_whole_placeholders(body: str, personal: tuple[str, ...]) -> bool:
    for name in personal:
        body = body.replace(_placeholder(name), "")
    return "\ue000" not in body and "\ue001" not in body


def compose(
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
    attachments: list[dict[str, str]] | None = None,
    registration_id: int | None = None,
    personal: tuple[str, ...] = (),
    shared_key: tuple[Any, ...] | None = None,
) -> dict[str, Any]:
    """Render ``templates/email/<template>.txt`` and ``.html`` into an outbox row's values.

    ``subject`` should be a lazy or plain string; it is rendered in ``language``.
    ``headers`` are extra mail headers, such as ``List-Unsubscribe``;
    ``attachments`` are text files stored in the row (``filename``,
    ``content_type``, ``content``), so every retry sends the same. The row
    is written by :func:`enqueue`, or by a caller that writes it together
    with the row it is about (see ``petitions.signing.sign``).

    With ``shared_key``, the bodies and the subject are rendered once per
    template, language and key and then filled in for each recipient:
    ``personal`` names the context's string values that differ per recipient
    (their name, their links), and ``shared_key`` must change whenever
    anything else the template or the subject reads does (see :func:`_fill_in`).
    """
    if shared_key is not None and personal:
        body_text, body_html, subject = _fill_in(
            template, language, context, personal, shared_key, subject
        )
    else:
        body_text, body_html, subject = _render_in(language, template, context, subject)
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
    extras = {"headers": headers, "attachments": attachments, "registration_id": registration_id}
    # Only those given: a column left out keeps its default (and the INSERT its shape).
    values.update({name: value for name, value in extras.items() if value})
    return values


def enqueue(**message: Any) -> int:
    """Queue a message in the caller's transaction (arguments as :func:`compose`); its row id."""
    return db.session.execute(_INSERT, compose(**message)).scalar_one()
