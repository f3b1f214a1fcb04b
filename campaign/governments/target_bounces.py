"""A hard bounce of a delivery's email, recorded on the government's target.

The mail package records the bounce on the outbox row and knows nothing of
governments (it is the lower layer), so it announces it with the
:data:`campaign.mail.bounces.hard_bounce_recorded` signal, before its
commit; :func:`init_app` connects :func:`record_bounce` to it for the app.
The target then says which address bounced and why (the reporting server's
diagnostic, addresses taken out), in the same transaction as the bounce.
The back office shows it; editing the target's addresses clears it
(:func:`.targets.edit_target`), and until then nothing more is emailed there.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select, update

from ..extensions import db
from ..mail.bounces import hard_bounce_recorded
from ..models import DeliveryEmail, GovernmentTarget, OutboxMessage, utcnow
from .email_delivery import KIND

REASON_MAX = 500


def record_bounce(
    app: Flask, *, message: OutboxMessage, status: str, diagnostic: str | None, **_: Any
) -> None:
    """Mark the target a delivery's email went to as bounced (other mail is not ours)."""
    if message.kind != KIND:
        return
    sent = db.session.scalar(
        select(DeliveryEmail).where(DeliveryEmail.outbox_message_id == message.id)
    )
    target = sent.delivery.target if sent is not None else None
    # A late report for an address the organisers have since replaced says nothing now.
    if target is None or message.to_address.lower() not in map(str.lower, target.email_list):
        return
    reason = " ".join(part for part in (f"{message.to_address}:", status, diagnostic) if part)
    db.session.execute(
        update(GovernmentTarget)
        .where(GovernmentTarget.id == target.id)
        # Not an organiser's edit: updated_at stays as it was.
        .values(
            bounced_at=utcnow(),
            bounce_reason=reason[:REASON_MAX],
            updated_at=GovernmentTarget.updated_at,
        )
        .execution_options(synchronize_session=False)
    )


def init_app(app: Flask) -> None:
    """Hear of this app's hard bounces."""
    hard_bounce_recorded.connect(record_bounce, sender=app)
