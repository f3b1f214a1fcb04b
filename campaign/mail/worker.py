"""The outbox worker: claim due messages with a lease, send them, mark them.

Two workers never send the same row: a claim is one conditional UPDATE
(with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite runs writes one at a
time), and a row is marked sent only by the worker whose lease it holds.
Sent rows are marked in groups of ``OUTBOX_MARK_EVERY``: by default one, so
only a crash between the SMTP server accepting a message and its row being
marked can send it twice, and at most that one. Each mark is one autocommit
UPDATE, a single round trip. Larger groups save even that and widen the
window to the group; the stable Message-ID lets the receiving side drop the
copies.

Mail to a signature whose address bounced for good is not sent: see
:func:`suppressed_signatures`. The bytes of each message are made in
:mod:`.messages`; what organisers and monitoring read of the outbox is in
:mod:`.reports`.
"""

from __future__ import annotations

import logging
import signal
import smtplib
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_mail import BadHeaderError
from sqlalchemy import Connection, bindparam, or_, select, update

from ..extensions import db, mail
from ..logging import scrub
from ..models import OutboxMessage, OutboxStatus, utcnow
from . import reports
from .messages import Envelope, build_message

log = logging.getLogger(__name__)

# For organisers/views.py alone, which another branch is moving: the lead points it at
# .reports when merging, and these lines go then.
failure_count = reports.failure_count
recent_failures = reports.recent_failures
bounce_count = reports.bounce_count
recent_bounces = reports.recent_bounces
suppressed_count = reports.suppressed_count

# Retry delays double from OUTBOX_RETRY_FIRST_SECONDS and stop growing at one hour:
# a message is never given up for a temporary failure.
BACKOFF_MAX_SECONDS = 3600


@dataclass
class BatchResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    suppressed: int = 0


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


def _mine(message_id: int, worker_id: str):
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


def _mark_sent(
    message_ids: list[int], worker_id: str, connection: Connection | None = None
) -> None:
    """Mark a group of sent messages in one statement; only rows this worker still leases.

    With ``connection`` (an autocommit connection, see ``_autocommit``) the
    mark is durable in one round trip; through the session it costs three
    (BEGIN, UPDATE, COMMIT), which halved a worker's rate at one mark per
    message.
    """
    if not message_ids:
        return
    params = {"ids": list(message_ids), "worker": worker_id, "now": utcnow()}
    if connection is not None:
        connection.execute(_MARK_SENT, params)
        return
    db.session.execute(_MARK_SENT, params)
    db.session.commit()


@contextmanager
def _autocommit() -> Iterator[Connection]:
    """A connection of its own whose every statement commits by itself."""
    with db.engine.connect() as connection:
        yield connection.execution_options(isolation_level="AUTOCOMMIT")


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


SUPPRESSED_NOTE = "not sent: an earlier message to this signature bounced for good"


def suppressed_signatures(signature_ids: set[int]) -> set[int]:
    """Which of these signatures had a message bounce for good: they get no more mail.

    Suppression is per signature, that is per call and canonical address (a
    signature is unique on both), and checked here, as each message is about to
    go, so it covers every kind of mail (confirmation again, "already signed",
    updates to supporters) and messages queued before the bounce arrived.
    Not global, on purpose: the bounce is kept on the outbox row of the signature
    it is about, and is erased with it (withdrawal, retention, erasure requests),
    so no list of addresses outlives a person's data; a global list would be one
    more store of addresses, or a search by address across every call. Someone
    who signs another call types the address afresh; if it is still dead, that
    one message bounces and suppresses the rest for that call.
    """
    if not signature_ids:
        return set()
    return set(
        db.session.scalars(
            select(OutboxMessage.signature_id)
            .where(
                OutboxMessage.signature_id.in_(signature_ids),
                OutboxMessage.status == OutboxStatus.BOUNCED,
            )
            .distinct()
        )
    )


def _suppress(message_ids: list[int], worker_id: str, result: BatchResult) -> None:
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
    result.suppressed += len(message_ids)
    log.info("outbox: %d messages not sent, their signature bounced before", len(message_ids))


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
    limit = limit or config["OUTBOX_BATCH_SIZE"]
    lease_seconds = config["OUTBOX_LEASE_SECONDS"]
    rate = config["OUTBOX_RATE_PER_SECOND"]
    if rate:
        # A rate-limited batch must end well within its lease, or another worker
        # would take over messages this one has yet to send.
        limit = min(limit, max(1, rate * lease_seconds // 2))
    ids = claim(worker_id, limit, lease_seconds)
    result = BatchResult(claimed=len(ids))
    if not ids:
        return result
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).all()
    bounced = suppressed_signatures({row.signature_id for row in rows if row.signature_id})
    skipped = [row.id for row in rows if row.signature_id in bounced]
    rows = [row for row in rows if row.signature_id not in bounced]
    ids = [row.id for row in rows]
    if config["DEV_MAILBOX"]:
        # Development without SMTP: the outbox itself is the mailbox (see /dev/mailbox).
        db.session.commit()
        _suppress(skipped, worker_id, result)
        _mark_sent(ids, worker_id)
        result.sent = len(ids)
        return result

    # Plain values: the rows expire at each commit and must not be reloaded one by one.
    pending: list[tuple[int, int, Envelope | Exception]] = []
    for row in rows:
        try:
            pending.append((row.id, row.attempts, build_message(row)))
        except (BadHeaderError, UnicodeError) as error:
            pending.append((row.id, row.attempts, error))
    db.session.commit()
    _suppress(skipped, worker_id, result)
    if not pending:
        return result

    mark_every = max(1, config["OUTBOX_MARK_EVERY"])
    interval = 1.0 / rate if rate else 0.0
    unmarked: list[int] = []  # accepted by the server, not yet marked sent
    index = 0
    try:
        with (
            _socket_timeout(config["MAIL_TIMEOUT_SECONDS"]),
            mail.connect() as connection,
            _autocommit() as marks,
        ):
            for index, (message_id, attempts, envelope) in enumerate(pending):  # noqa: B007
                started = time.monotonic()
                try:
                    if isinstance(envelope, Exception):
                        raise envelope
                    if connection.host is not None:  # None: MAIL_SUPPRESS_SEND
                        connection.host.sendmail(
                            envelope.sender, [envelope.recipient], envelope.data
                        )
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
                        log.warning(
                            "outbox message %s failed for good: %s", message_id, _describe(error)
                        )
                    else:
                        _schedule_retry(message_id, attempts, worker_id, _describe(error))
                        result.retried += 1
                    continue
                unmarked.append(message_id)
                result.sent += 1
                if len(unmarked) >= mark_every:
                    _mark_sent(unmarked, worker_id, marks)
                    unmarked = []
                if interval:
                    time.sleep(max(0.0, interval - (time.monotonic() - started)))
            index = len(pending)
            _mark_sent(unmarked, worker_id, marks)
            unmarked = []
    except (smtplib.SMTPException, OSError) as error:
        db.session.rollback()
        # What the server accepted is marked before anything else, so it is not sent again.
        _mark_sent(unmarked, worker_id)
        if result.sent + result.failed + result.retried == len(pending):
            # Every message was handled; only closing the connection failed.
            return result
        log.warning(
            "SMTP unavailable (%s); %d messages will be retried",
            _describe(error),
            len(pending) - index,
        )
        for message_id, attempts, _envelope in pending[index:]:
            _schedule_retry(message_id, attempts, worker_id, _describe(error))
            result.retried += 1
    return result


def _describe(error: Exception) -> str:
    """The server's answer without the recipient's address (it goes to the database and logs).

    Servers often quote the address they refuse ("550 5.1.1 <a@b.example>: no such
    user"), so any address in their text is replaced too.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = {
            f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values()
        }
        return scrub("recipient refused: " + "; ".join(sorted(answers)))
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return scrub(f"{type(error).__name__}: {error.smtp_code} {text}")
    return scrub(f"{type(error).__name__}: {error}")


def work(
    stop_after: float | None = None,
    idle_seconds: float | None = None,
    until_empty: bool = False,
) -> None:
    """Send batches until stopped, for ``stop_after`` seconds, or until nothing is due.

    SIGTERM (what systemd and container runtimes send) stops the worker after
    the batch in hand is sent and marked: killing it mid-batch would leave its
    messages leased until the lease runs out, and those the server had
    accepted would be sent again.
    """
    idle = idle_seconds if idle_seconds is not None else current_app.config["OUTBOX_IDLE_SECONDS"]
    worker_id = new_worker_id()
    deadline = time.monotonic() + stop_after if stop_after is not None else None
    stopping = threading.Event()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: stopping.set())
    log.info("outbox worker %s started", worker_id)
    try:
        while not stopping.is_set() and (deadline is None or time.monotonic() < deadline):
            try:
                result = send_batch(worker_id)
            except Exception:
                # The database may be restarting: drop the connection and try again shortly.
                log.exception("outbox batch failed; retrying")
                db.session.rollback()
                db.session.remove()
                stopping.wait(idle * 5)
                continue
            if result.claimed == 0:
                if until_empty:
                    return
                stopping.wait(idle)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        log.info("outbox worker %s stopped", worker_id)
