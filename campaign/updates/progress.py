"""An update after the organiser confirmed it: scheduled, started when due, followed
through the outbox, and sent, with its figures.

The periodic job (``flask organiser send-updates``, every minute on every host,
one run at a time) starts the scheduled updates that are due, queues the
batches, and marks an update sent once every batch is queued and the outbox
has dealt with each of its messages. The figures come from the outbox rows the
delivery rows name: sent (accepted by our server, a later bounce included),
bounced (a delivery status notification said so, or our server refused it for
good), not sent (suppressed: an earlier message to the mailbox bounced), and
unsubscribed (recipients who have since stopped updates). Nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from ..extensions import db
from ..models import (
    Organiser,
    OutboxMessage,
    OutboxStatus,
    Signature,
    SupporterUpdate,
    UpdateDelivery,
    UpdateStatus,
    utcnow,
)
from ..organisers import audit
from . import audience


@dataclass(frozen=True)
class Figures:
    """Where an update's sending stands."""

    queued: int  # messages in the outbox or dealt with
    left: int  # recipients not queued yet
    sent: int  # accepted by our mail server
    waiting: int  # queued, not sent yet (or being retried)
    bounced: int  # bounced after sending, or refused for good
    not_sent: int  # suppressed: the mailbox had bounced before
    unsubscribed: int  # recipients who have since stopped updates

    @property
    def total(self) -> int:
        return self.queued + self.left


def figures(update_: SupporterUpdate) -> Figures:
    deliveries = select(UpdateDelivery).where(UpdateDelivery.update_id == update_.id).subquery()
    by_status = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count())
            .join(deliveries, deliveries.c.outbox_message_id == OutboxMessage.id)
            .group_by(OutboxMessage.status)
        ).all()
    )
    queued = db.session.scalar(select(func.count()).select_from(deliveries)) or 0
    unsubscribed = db.session.scalar(
        select(func.count())
        .select_from(deliveries)
        .join(Signature, Signature.id == deliveries.c.signature_id)
        .where(~Signature.updates)
    )
    sending = update_.status in (UpdateStatus.DRAFT, UpdateStatus.SCHEDULED, UpdateStatus.SENDING)
    return Figures(
        queued=queued,
        left=audience.count(audience.recipients(update_)) if sending else 0,
        sent=by_status.get(OutboxStatus.SENT, 0) + by_status.get(OutboxStatus.BOUNCED, 0),
        waiting=by_status.get(OutboxStatus.QUEUED, 0),
        bounced=by_status.get(OutboxStatus.BOUNCED, 0) + by_status.get(OutboxStatus.FAILED, 0),
        not_sent=by_status.get(OutboxStatus.SUPPRESSED, 0),
        unsubscribed=unsubscribed or 0,
    )


def start_due(now: datetime | None = None) -> list[int]:
    """Start the scheduled updates whose time has come; their ids.

    A conditional write per update, so a cancel pressed at the same moment
    either wins (the update stays a draft) or finds it already started.
    """
    now = now or utcnow()
    due = db.session.scalars(
        select(SupporterUpdate.id).where(
            SupporterUpdate.status == UpdateStatus.SCHEDULED,
            SupporterUpdate.scheduled_for <= now,
        )
    ).all()
    started = []
    for update_id in due:
        result = db.session.execute(
            update(SupporterUpdate)
            .where(
                SupporterUpdate.id == update_id,
                SupporterUpdate.status == UpdateStatus.SCHEDULED,
            )
            .values(status=UpdateStatus.SENDING, sending_started_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            audit.record(None, "start_scheduled_update", "supporter_update", update_id)
            started.append(update_id)
    return started


def cancel_schedule(update_: SupporterUpdate, actor: Organiser | None) -> bool:
    """A scheduled update back to a draft (it can be edited and sent again); False if it
    had already started (or was not scheduled)."""
    result = db.session.execute(
        update(SupporterUpdate)
        .where(
            SupporterUpdate.id == update_.id,
            SupporterUpdate.status == UpdateStatus.SCHEDULED,
        )
        .values(status=UpdateStatus.DRAFT, scheduled_for=None, confirmed_recipients=None)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(update_)
    if result.rowcount != 1:
        return False
    audit.record(actor, "cancel_scheduled_update", "supporter_update", update_.id)
    return True


def finish_if_done(update_: SupporterUpdate) -> bool:
    """Mark the update sent once every batch is queued and none of its messages is still
    waiting in the outbox; True if it was marked now."""
    if update_.status != UpdateStatus.SENDING or update_.queued_all_at is None:
        return False
    if audience.count(audience.recipients(update_)):
        return False  # someone signed up meanwhile: the next batch is theirs
    waiting = db.session.scalar(
        select(func.count())
        .select_from(UpdateDelivery)
        .join(OutboxMessage, OutboxMessage.id == UpdateDelivery.outbox_message_id)
        .where(
            UpdateDelivery.update_id == update_.id,
            OutboxMessage.status == OutboxStatus.QUEUED,
        )
    )
    if waiting:
        return False
    update_.status = UpdateStatus.SENT
    update_.sent_at = utcnow()
    return True
