"""The outbox worker: claim due messages with a lease, send them, mark them.

Two workers never send the same row: a claim is one conditional UPDATE
(with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite runs writes one at a
time), and a row is marked sent only by the worker whose lease it holds.
Only a crash between the SMTP server accepting a message and the row being
marked can send a message twice; its stable Message-ID lets the receiving
side drop the copy.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_mail import BadHeaderError, Message
from sqlalchemy import or_, select, update

from ..extensions import db, mail
from ..models import OutboxMessage, OutboxStatus, utcnow

log = logging.getLogger(__name__)

# Retry delays double from OUTBOX_RETRY_FIRST_SECONDS and stop growing at one hour:
# a message is never given up for a temporary failure.
BACKOFF_MAX_SECONDS = 3600


@dataclass
class BatchResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0


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
    )
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
        .values(lease_owner=worker_id, lease_until=now + timedelta(seconds=lease_seconds))
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    ids = sorted(db.session.scalars(statement).all())
    db.session.commit()
    return ids


def _mine(message_id: int, worker_id: str):
    return update(OutboxMessage).where(
        OutboxMessage.id == message_id, OutboxMessage.lease_owner == worker_id
    )


def _mark_sent(message_id: int, worker_id: str) -> None:
    db.session.execute(
        _mine(message_id, worker_id).values(
            status=OutboxStatus.SENT,
            sent_at=utcnow(),
            lease_owner=None,
            lease_until=None,
            last_error=None,
        )
    )
    db.session.commit()


def _mark_failed(message_id: int, worker_id: str, error: str) -> None:
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


def _schedule_retry(message_id: int, attempts: int, worker_id: str, error: str) -> None:
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


def build_message(row: OutboxMessage) -> Message:
    message = Message(
        subject=row.subject,
        recipients=[(row.to_name, row.to_address) if row.to_name else row.to_address],
        body=row.body_text,
        html=row.body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        extra_headers={"Auto-Submitted": "auto-generated"},
    )
    message.msgId = row.message_id
    return message


def _is_permanent(error: Exception) -> bool:
    """5xx answers mean the server will never take this message; 4xx and network faults may pass."""
    if isinstance(error, BadHeaderError | UnicodeError):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


@contextmanager
def _socket_timeout(seconds: float) -> Iterator[None]:
    # Flask-Mail opens smtplib connections without a timeout; a stalled server must not
    # hold a worker (and its leases) for ever.
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)


def send_batch(worker_id: str | None = None, limit: int | None = None) -> BatchResult:
    """Claim one batch of due messages and try to send each once."""
    config = current_app.config
    worker_id = worker_id or new_worker_id()
    ids = claim(worker_id, limit or config["OUTBOX_BATCH_SIZE"], config["OUTBOX_LEASE_SECONDS"])
    result = BatchResult(claimed=len(ids))
    if not ids:
        return result
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).all()
    # Plain values: the rows expire at each commit and must not be reloaded one by one.
    pending = [(row.id, row.attempts, build_message(row)) for row in rows]
    db.session.commit()

    if config["DEV_MAILBOX"]:
        # Development without SMTP: the outbox itself is the mailbox (see /dev/mailbox).
        for message_id, _attempts, _message in pending:
            _mark_sent(message_id, worker_id)
        result.sent = len(pending)
        return result

    interval = 1.0 / config["OUTBOX_RATE_PER_SECOND"] if config["OUTBOX_RATE_PER_SECOND"] else 0.0
    index = 0
    try:
        with _socket_timeout(config["MAIL_TIMEOUT_SECONDS"]), mail.connect() as connection:
            for index, (message_id, attempts, message) in enumerate(pending):  # noqa: B007
                started = time.monotonic()
                try:
                    connection.send(message)
                except smtplib.SMTPServerDisconnected:
                    raise  # the connection is gone: the rest of the batch waits for a retry
                except (
                    smtplib.SMTPResponseException,
                    smtplib.SMTPRecipientsRefused,
                    BadHeaderError,
                    UnicodeError,
                ) as error:
                    # The server answered about this message alone (SMTPException is an
                    # OSError, so this must come before the network errors below).
                    if _is_permanent(error):
                        _mark_failed(message_id, worker_id, _describe(error))
                        result.failed += 1
                        log.warning("outbox message %s failed for good: %s", message_id, error)
                    else:
                        _schedule_retry(message_id, attempts, worker_id, _describe(error))
                        result.retried += 1
                    continue
                _mark_sent(message_id, worker_id)
                result.sent += 1
                if interval:
                    time.sleep(max(0.0, interval - (time.monotonic() - started)))
            index = len(pending)
    except (smtplib.SMTPException, OSError) as error:
        db.session.rollback()
        if result.sent + result.failed + result.retried == len(pending):
            # Every message was handled; only closing the connection failed.
            return result
        log.warning(
            "SMTP unavailable (%s); %d messages will be retried", error, len(pending) - index
        )
        for message_id, attempts, _message in pending[index:]:
            _schedule_retry(message_id, attempts, worker_id, _describe(error))
            result.retried += 1
    return result


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def work(
    stop_after: float | None = None,
    idle_seconds: float | None = None,
    until_empty: bool = False,
) -> None:
    """Send batches until stopped, for ``stop_after`` seconds, or until nothing is due."""
    idle = idle_seconds if idle_seconds is not None else current_app.config["OUTBOX_IDLE_SECONDS"]
    worker_id = new_worker_id()
    deadline = time.monotonic() + stop_after if stop_after is not None else None
    log.info("outbox worker %s started", worker_id)
    while deadline is None or time.monotonic() < deadline:
        try:
            result = send_batch(worker_id)
        except Exception:
            # The database may be restarting: drop the connection and try again shortly.
            log.exception("outbox batch failed; retrying")
            db.session.rollback()
            db.session.remove()
            time.sleep(idle * 5)
            continue
        if result.claimed == 0:
            if until_empty:
                return
            time.sleep(idle)


def backlog() -> tuple[int, datetime | None]:
    """How many messages wait, and since when the oldest has waited."""
    from sqlalchemy import func

    count, oldest = db.session.execute(
        select(func.count(), func.min(OutboxMessage.created_at)).where(
            OutboxMessage.status == OutboxStatus.QUEUED
        )
    ).one()
    if oldest is not None and oldest.tzinfo is None:
        from datetime import UTC

        oldest = oldest.replace(tzinfo=UTC)
    return count, oldest
