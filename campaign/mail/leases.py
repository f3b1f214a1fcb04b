"""How a worker takes outbox rows and gives them back: leases, marks, retries, suppression.

A claim is one conditional UPDATE that leases due rows to one worker; every
later change to a claimed row is made only while that worker still holds its
lease, so a worker whose lease ran out (it stalled, another took the rows
over) changes nothing. Each step commits at once: a lease or a mark left
uncommitted would be lost with the worker.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Connection, Update, bindparam, or_, select, update
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import OutboxMessage, OutboxStatus, Signature, utcnow

# Retry delays double from OUTBOX_RETRY_FIRST_SECONDS and stop growing at one hour:
# a message is never given up for a temporary failure.
BACKOFF_MAX_SECONDS = 3600

SUPPRESSED_NOTE = "not sent: an earlier message to this signature bounced for good"


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{uuid.uuid4().hex[:12]}"


def backoff(attempts: int) -> timedelta:
    first = current_app.config["OUTBOX_RETRY_FIRST_SECONDS"]
    return timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def claim(worker_id: str, limit: int, lease_seconds: int) -> list[int]:
    """Lease up to ``limit`` due messages to ``worker_id`` and commit the lease."""
    now = utcnow()
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == OutboxStatus.QUEUED,
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        # Materialised once: as a plain "IN (subquery)" PostgreSQL may run the subquery
        # again while updating, and claim more than ``limit`` rows.
        .cte("due")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(select(due.c.id)))
        .values(lease_owner=worker_id, lease_until=now + timedelta(seconds=lease_seconds))
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    ids = sorted(db.session.scalars(statement).all())
    db.session.commit()
    return ids


def _mine(message_id: int, worker_id: str) -> Update:
    return update(OutboxMessage).where(
        OutboxMessage.id == message_id, OutboxMessage.lease_owner == worker_id
    )


_MARK_SENT = (
    update(OutboxMessage.__table__)
    .where(
        OutboxMessage.__table__.c.id.in_(bindparam("ids", expanding=True)),
        OutboxMessage.__table__.c.lease_owner == bindparam("worker"),
    )
    .values(
        status=OutboxStatus.SENT,
        sent_at=bindparam("now"),
        lease_owner=None,
        lease_until=None,
        last_error=None,
    )
)


def mark_sent(message_ids: list[int], worker_id: str, connection: Connection | None = None) -> int:
    """Mark a group of sent messages in one statement; only rows this worker still leases.

    With ``connection`` (an autocommit connection, see :func:`autocommit`) the
    mark is durable in one round trip; through the session it costs three
    (BEGIN, UPDATE, COMMIT), which halved a worker's rate at one mark per
    message.

    Returns how many were marked: fewer than given means another worker took
    rows over after this one's lease lapsed, and may send them again.
    """
    if not message_ids:
        return 0
    params = {"ids": list(message_ids), "worker": worker_id, "now": utcnow()}
    if connection is not None:
        return connection.execute(_MARK_SENT, params).rowcount
    marked = db.session.execute(_MARK_SENT, params).rowcount
    db.session.commit()
    return marked


_RENEW = (
    update(OutboxMessage.__table__)
    .where(
        OutboxMessage.__table__.c.id.in_(bindparam("ids", expanding=True)),
        OutboxMessage.__table__.c.lease_owner == bindparam("worker"),
        OutboxMessage.__table__.c.status == OutboxStatus.QUEUED,
    )
    .values(lease_until=bindparam("until"))
    .returning(OutboxMessage.__table__.c.id)
)


def renew(
    connection: Connection, message_ids: list[int], worker_id: str, lease_seconds: int
) -> set[int]:
    """Extend this worker's lease on those of ``message_ids`` it still holds; return them.

    Rows already sent, failed or given back are no longer leased and drop out;
    an unsent row missing for any other reason was taken over by another worker
    once this one's lease ran out, and must not be sent by this one. By primary
    key: one short statement, whatever the size of the outbox.
    """
    if not message_ids:
        return set()
    until = utcnow() + timedelta(seconds=lease_seconds)
    params = {"ids": list(message_ids), "worker": worker_id, "until": until}
    return set(connection.execute(_RENEW, params).scalars())


@contextmanager
def autocommit() -> Iterator[Connection]:
    """A connection of its own whose every statement commits by itself."""
    with db.engine.connect() as connection:
        yield connection.execution_options(isolation_level="AUTOCOMMIT")


def mark_failed(message_id: int, worker_id: str, error: str) -> None:
    """The server refused this message for good: it is not retried, organisers see it."""
    db.session.execute(
        _mine(message_id, worker_id).values(
            status=OutboxStatus.FAILED,
            attempts=OutboxMessage.attempts + 1,
            lease_owner=None,
            lease_until=None,
            last_error=error[:2000],
        )
    )
    db.session.commit()


def schedule_retry(message_id: int, attempts: int, worker_id: str, error: str) -> None:
    """Give the message back to the queue, due again after :func:`backoff`."""
    db.session.execute(
        _mine(message_id, worker_id).values(
            attempts=attempts + 1,
            next_attempt_at=utcnow() + backoff(attempts + 1),
            lease_owner=None,
            lease_until=None,
            last_error=error[:2000],
        )
    )
    db.session.commit()


def suppressed_signatures(signature_ids: set[int]) -> set[int]:
    """Which of these signatures' mailboxes had a message bounce for good: no more mail.

    Suppression is per call and canonical mailbox (each submission is a row of
    its own, so a bounce on any of the mailbox's rows counts), and checked
    here, as each message is about to go, so it covers every kind of mail
    (confirmation again, "already signed", updates to supporters) and
    messages queued before the bounce arrived. Not global, on purpose: the
    bounce is kept on the outbox row of the signature it is about, and is
    erased with it (withdrawal, retention, erasure requests), so no list of
    addresses outlives a person's data; a global list would be one more store
    of addresses, or a search by address across every call. Someone who signs
    another call types the address afresh; if it is still dead, that one
    message bounces and suppresses the rest for that call.
    """
    if not signature_ids:
        return set()
    about = aliased(Signature)
    suppressed = select(about.id).where(about.id.in_(signature_ids), mailbox_bounced(about))
    return set(db.session.scalars(suppressed))


def mailbox_bounced(about: Any) -> ColumnElement[bool]:
    """SQL: a message to ``about``'s mailbox on its call bounced for good (see
    :func:`suppressed_signatures`), for queries over ``signature`` (or an alias of it),
    such as who receives an update: the one rule, so a count and the sending agree."""
    bounced = aliased(Signature)
    return (
        select(OutboxMessage.id)
        .join(bounced, bounced.id == OutboxMessage.signature_id)
        .where(
            OutboxMessage.status == OutboxStatus.BOUNCED,
            bounced.petition_id == about.petition_id,
            bounced.email_canonical == about.email_canonical,
        )
        .exists()
    )


def suppress(message_ids: list[int], worker_id: str) -> None:
    """Mark these claimed messages suppressed instead of sending them."""
    if not message_ids:
        return
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(message_ids), OutboxMessage.lease_owner == worker_id)
        .values(
            status=OutboxStatus.SUPPRESSED,
            lease_owner=None,
            lease_until=None,
            last_error=SUPPRESSED_NOTE,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
