"""What organisers and monitoring read of the outbox: failures, bounces, the backlog.

Read-only, so the dashboard, ``flask outbox status`` and ``/readyz`` depend
on this alone and not on the worker that sends.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from ..extensions import db
from ..models import OutboxMessage, OutboxStatus


def recent_failures(limit: int = 20, petition_id: int | None = None) -> list[OutboxMessage]:
    """Messages an SMTP server refused for good, newest first (they are not retried)."""
    query = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    if petition_id is not None:
        query = query.where(OutboxMessage.petition_id == petition_id)
    return list(db.session.scalars(query.order_by(OutboxMessage.id.desc()).limit(limit)))


def failure_count(petition_id: int) -> int:
    return _count(petition_id, OutboxStatus.FAILED)


def recent_bounces(limit: int = 20, petition_id: int | None = None) -> list[OutboxMessage]:
    """Messages reported undeliverable for good after they were sent, latest bounce first."""
    query = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.BOUNCED)
    if petition_id is not None:
        query = query.where(OutboxMessage.petition_id == petition_id)
    order = (OutboxMessage.bounced_at.desc(), OutboxMessage.id.desc())
    return list(db.session.scalars(query.order_by(*order).limit(limit)))


def bounce_count(petition_id: int | None = None) -> int:
    return _count(petition_id, OutboxStatus.BOUNCED)


def suppressed_count(petition_id: int | None = None) -> int:
    return _count(petition_id, OutboxStatus.SUPPRESSED)


def _count(petition_id: int | None, status: OutboxStatus) -> int:
    query = select(func.count()).where(OutboxMessage.status == status)
    if petition_id is not None:
        query = query.where(OutboxMessage.petition_id == petition_id)
    return db.session.scalar(query)


def backlog() -> tuple[int, datetime | None]:
    """How many messages wait, and since when the oldest has waited."""
    count, oldest = db.session.execute(
        select(func.count(), func.min(OutboxMessage.created_at)).where(
            OutboxMessage.status == OutboxStatus.QUEUED
        )
    ).one()
    if oldest is not None and oldest.tzinfo is None:
        # Times are stored in UTC; an aggregate may come back naive (SQLite keeps no zone).
        oldest = oldest.replace(tzinfo=UTC)
    return count, oldest
