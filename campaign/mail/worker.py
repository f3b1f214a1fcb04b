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
:func:`.leases.suppressed_signatures`. The statements that take and give
back rows are in :mod:`.leases`; the bytes of each message are made in
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app
from flask_mail import BadHeaderError
from sqlalchemy import select

from ..extensions import db, mail
from ..logging import scrub
from ..models import OutboxMessage
from . import leases, reports
from .messages import Envelope, build_message

log = logging.getLogger(__name__)

# For organisers/views.py alone, which another branch is moving: the lead points it at
# .reports when merging, and these lines go then.
failure_count = reports.failure_count
recent_failures = reports.recent_failures
bounce_count = reports.bounce_count
recent_bounces = reports.recent_bounces
suppressed_count = reports.suppressed_count


@dataclass
class BatchResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    suppressed: int = 0


def _suppress(message_ids: list[int], worker_id: str, result: BatchResult) -> None:
    """Set aside the claimed messages to signatures that bounced, and count them."""
    if not message_ids:
        return
    leases.suppress(message_ids, worker_id)
    result.suppressed += len(message_ids)
    log.info("outbox: %d messages not sent, their signature bounced before", len(message_ids))


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
    worker_id = worker_id or leases.new_worker_id()
    limit = limit or config["OUTBOX_BATCH_SIZE"]
    lease_seconds = config["OUTBOX_LEASE_SECONDS"]
    rate = config["OUTBOX_RATE_PER_SECOND"]
    if rate:
        # A rate-limited batch must end well within its lease, or another worker
        # would take over messages this one has yet to send.
        limit = min(limit, max(1, rate * lease_seconds // 2))
    ids = leases.claim(worker_id, limit, lease_seconds)
    result = BatchResult(claimed=len(ids))
    if not ids:
        return result
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).all()
    bounced = leases.suppressed_signatures({row.signature_id for row in rows if row.signature_id})
    skipped = [row.id for row in rows if row.signature_id in bounced]
    rows = [row for row in rows if row.signature_id not in bounced]
    ids = [row.id for row in rows]
    if config["DEV_MAILBOX"]:
        # Development without SMTP: the outbox itself is the mailbox (see /dev/mailbox).
        db.session.commit()
        _suppress(skipped, worker_id, result)
        leases.mark_sent(ids, worker_id)
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
            leases.autocommit() as marks,
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
                        leases.mark_failed(message_id, worker_id, _describe(error))
                        result.failed += 1
                        log.warning(
                            "outbox message %s failed for good: %s", message_id, _describe(error)
                        )
                    else:
                        leases.schedule_retry(message_id, attempts, worker_id, _describe(error))
                        result.retried += 1
                    continue
                unmarked.append(message_id)
                result.sent += 1
                if len(unmarked) >= mark_every:
                    leases.mark_sent(unmarked, worker_id, marks)
                    unmarked = []
                if interval:
                    time.sleep(max(0.0, interval - (time.monotonic() - started)))
            index = len(pending)
            leases.mark_sent(unmarked, worker_id, marks)
            unmarked = []
    except (smtplib.SMTPException, OSError) as error:
        db.session.rollback()
        # What the server accepted is marked before anything else, so it is not sent again.
        leases.mark_sent(unmarked, worker_id)
        if result.sent + result.failed + result.retried == len(pending):
            # Every message was handled; only closing the connection failed.
            return result
        log.warning(
            "SMTP unavailable (%s); %d messages will be retried",
            _describe(error),
            len(pending) - index,
        )
        for message_id, attempts, _envelope in pending[index:]:
            leases.schedule_retry(message_id, attempts, worker_id, _describe(error))
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
    worker_id = leases.new_worker_id()
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
