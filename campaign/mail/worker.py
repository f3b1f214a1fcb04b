"""The outbox worker: claim due messages with a lease, send them, mark them.

Two workers never send the same row: a claim is one conditional UPDATE
(with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite runs writes one at a
time), and a row is marked sent only by the worker whose lease it holds.
The lease is short and renewed while the batch is sent (:mod:`.batch_lease`):
a worker that dies gives its mail back within ``OUTBOX_LEASE_SECONDS``.
Sent rows are marked in groups of ``OUTBOX_MARK_EVERY``: by default one, so
only a crash between the SMTP server accepting a message and its row being
marked can send it twice, and at most that one. Each mark is one autocommit
UPDATE, a single round trip. Larger groups save even that and widen the
window to the group; the stable Message-ID lets the receiving side drop the
copies.

Mail to a signature whose address bounced for good is not sent: see
:func:`.leases.suppressed_signatures`.

Mail to an address with non-ASCII letters before the @ is sent with
``SMTPUTF8 BODY=8BITMIME``; a server that does not offer them fails it for good.

This module is the loop and its decisions (send, retry, fail, give up the
batch); the statements that take and give back rows are in :mod:`.leases`,
the bytes of each message are made in :mod:`.messages`, and what organisers
and monitoring read of the outbox is in :mod:`.reports`.
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
from dataclasses import dataclass, field

from flask import current_app
from flask_mail import BadHeaderError
from flask_mail import Connection as SMTPConnection
from sqlalchemy import Connection, select

from ..extensions import db, mail
from ..logging import scrub
from ..models import OutboxMessage
from . import leases
from .batch_lease import BatchLease
from .messages import Envelope, build_message

log = logging.getLogger(__name__)

# A claimed message as the SMTP loop needs it: id, attempts so far, and what to send, or
# why it could not be built. Plain values: the rows expire at each commit and must not be
# reloaded one by one.
_Pending = tuple[int, int, Envelope | Exception]


@dataclass
class BatchResult:
    """What one batch did with the messages it claimed, for ``flask outbox send`` and tests."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    suppressed: int = 0


@dataclass
class _Progress:
    """How far the SMTP loop got, for when the connection is lost part way."""

    index: int = 0  # the message in hand
    unmarked: list[int] = field(default_factory=list)  # accepted, not yet marked sent


class SMTPUTF8NotOffered(Exception):
    """The server does not offer what a message to an internationalised address needs."""


# What a message with a UTF-8 address announces in MAIL FROM (RFC 6531, RFC 6152).
_UTF8_MAIL_OPTIONS = ["SMTPUTF8", "BODY=8BITMIME"]


def _is_permanent(error: Exception) -> bool:
    """5xx answers mean the server will never take this message; 4xx and network faults may pass."""
    if isinstance(error, BadHeaderError | UnicodeError | SMTPUTF8NotOffered):
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
    lease_seconds = config["OUTBOX_LEASE_SECONDS"]
    ids = leases.claim(worker_id, _batch_limit(limit, lease_seconds), lease_seconds)
    result = BatchResult(claimed=len(ids))
    if not ids:
        return result
    rows, skipped = _load_claimed(ids)
    if config["DEV_MAILBOX"]:
        _deliver_to_dev_mailbox(rows, skipped, worker_id, result)
        return result
    pending = _envelopes(rows)
    db.session.commit()
    _suppress(skipped, worker_id, result)
    if pending:
        _send_over_smtp(pending, worker_id, result)
    return result


def _batch_limit(limit: int | None, lease_seconds: int) -> int:
    """How many messages to claim: the batch size, or fewer if sending is rate-limited."""
    config = current_app.config
    limit = limit or config["OUTBOX_BATCH_SIZE"]
    rate = config["OUTBOX_RATE_PER_SECOND"]
    if rate:
        # A rate-limited batch stays short (about half a lease): the worker renews its
        # lease, but messages it holds wait for it while other workers may be idle.
        limit = min(limit, max(1, rate * lease_seconds // 2))
    return limit


def _load_claimed(ids: list[int]) -> tuple[list[OutboxMessage], list[int]]:
    """The claimed rows to send, and the ids of those whose signature bounced before."""
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).all()
    bounced = leases.suppressed_signatures({row.signature_id for row in rows if row.signature_id})
    skipped = [row.id for row in rows if row.signature_id in bounced]
    return [row for row in rows if row.signature_id not in bounced], skipped


def _suppress(message_ids: list[int], worker_id: str, result: BatchResult) -> None:
    """Set aside the claimed messages to signatures that bounced, and count them."""
    if not message_ids:
        return
    leases.suppress(message_ids, worker_id)
    result.suppressed += len(message_ids)
    log.info("outbox: %d messages not sent, their signature bounced before", len(message_ids))


def _deliver_to_dev_mailbox(
    rows: list[OutboxMessage], skipped: list[int], worker_id: str, result: BatchResult
) -> None:
    """Development without SMTP: the outbox itself is the mailbox (see /dev/mailbox)."""
    ids = [row.id for row in rows]  # read before the commit expires the rows
    db.session.commit()
    _suppress(skipped, worker_id, result)
    leases.mark_sent(ids, worker_id)
    result.sent = len(ids)


def _envelopes(rows: list[OutboxMessage]) -> list[_Pending]:
    """Each row as SMTP takes it; a row that cannot be built is kept with its error."""
    pending: list[_Pending] = []
    for row in rows:
        try:
            pending.append((row.id, row.attempts, build_message(row)))
        except (BadHeaderError, UnicodeError) as error:
            pending.append((row.id, row.attempts, error))
    return pending


def _send_over_smtp(pending: list[_Pending], worker_id: str, result: BatchResult) -> None:
    """Send over one SMTP connection; if it is lost, what is left waits for a retry.

    The batch's lease is renewed while it is sent (see :mod:`.batch_lease`).
    """
    config = current_app.config
    progress = _Progress()
    ids = [message_id for message_id, _attempts, _envelope in pending]
    try:
        with (
            BatchLease(ids, worker_id, config["OUTBOX_LEASE_SECONDS"]) as lease,
            _socket_timeout(config["MAIL_TIMEOUT_SECONDS"]),
            mail.connect() as connection,
            leases.autocommit() as marks,
        ):
            _send_each(pending, connection, marks, lease, result, progress)
    except (smtplib.SMTPException, OSError) as error:
        _connection_lost(error, pending, progress, worker_id, result)


def _send_each(
    pending: list[_Pending],
    connection: SMTPConnection,
    marks: Connection,
    lease: BatchLease,
    result: BatchResult,
    progress: _Progress,
) -> None:
    """Send each message in turn, marking what the server accepted as it goes.

    Stops where the lease is no longer certain: the rest is another worker's.
    """
    config = current_app.config
    worker_id = lease.worker_id
    mark_every = max(1, config["OUTBOX_MARK_EVERY"])
    rate = config["OUTBOX_RATE_PER_SECOND"]
    interval = 1.0 / rate if rate else 0.0
    for index, (message_id, attempts, envelope) in enumerate(pending):
        progress.index = index
        if not lease.holds(message_id):
            log.warning("outbox: lease lost; %d messages left to others", len(pending) - index)
            break
        started = time.monotonic()
        try:
            _transmit(connection, envelope)
        except smtplib.SMTPServerDisconnected:
            raise  # the connection is gone: the rest of the batch waits for a retry
        except (
            smtplib.SMTPResponseException,
            smtplib.SMTPRecipientsRefused,
            BadHeaderError,
            UnicodeError,
            SMTPUTF8NotOffered,
        ) as error:
            # The server answered about this message alone (SMTPException is an
            # OSError: caught here, it must not reach the caller's lost-connection handler).
            _refused(message_id, attempts, worker_id, error, result)
            continue
        progress.unmarked.append(message_id)
        result.sent += 1
        if len(progress.unmarked) >= mark_every:
            _mark(progress, worker_id, marks)
        if interval:
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
    progress.index = len(pending)
    _mark(progress, worker_id, marks)


def _mark(progress: _Progress, worker_id: str, marks: Connection | None = None) -> None:
    """Mark what the server accepted; say so if a row was taken over before its mark."""
    marked = leases.mark_sent(progress.unmarked, worker_id, marks)
    if marked < len(progress.unmarked):
        log.warning(
            "outbox: %d accepted messages were taken over before being marked sent, and "
            "may be sent again (the lease lapsed)",
            len(progress.unmarked) - marked,
        )
    progress.unmarked = []


def _transmit(connection: SMTPConnection, envelope: Envelope | Exception) -> None:
    """Hand one message to the server; one that could not be built fails here, as if refused."""
    if isinstance(envelope, Exception):
        raise envelope
    host = connection.host
    if host is None:  # MAIL_SUPPRESS_SEND
        return
    if not envelope.smtputf8:
        host.sendmail(envelope.sender, [envelope.recipient], envelope.data)
        return
    host.ehlo_or_helo_if_needed()  # Flask-Mail says EHLO only before STARTTLS or a login
    if not (host.has_extn("smtputf8") and host.has_extn("8bitmime")):
        # No server that lacks these will ever take the message: fail it for good.
        raise SMTPUTF8NotOffered(
            "the mail server does not offer SMTPUTF8 and 8BITMIME, which an address with "
            "non-ASCII letters before the @ needs (see MAIL_SMTPUTF8)"
        )
    host.sendmail(
        envelope.sender, [envelope.recipient], envelope.data, mail_options=_UTF8_MAIL_OPTIONS
    )


def _refused(
    message_id: int, attempts: int, worker_id: str, error: Exception, result: BatchResult
) -> None:
    """The server refused one message: fail it for good on a 5xx answer, else retry it later."""
    if _is_permanent(error):
        leases.mark_failed(message_id, worker_id, _describe(error))
        result.failed += 1
        log.warning("outbox message %s failed for good: %s", message_id, _describe(error))
    else:
        leases.schedule_retry(message_id, attempts, worker_id, _describe(error))
        result.retried += 1


def _connection_lost(
    error: Exception,
    pending: list[_Pending],
    progress: _Progress,
    worker_id: str,
    result: BatchResult,
) -> None:
    """The connection failed part way: keep what was sent, retry the rest later."""
    db.session.rollback()
    # What the server accepted is marked before anything else, so it is not sent again.
    _mark(progress, worker_id)
    if result.sent + result.failed + result.retried == len(pending):
        # Every message was handled; only closing the connection failed.
        return
    log.warning(
        "SMTP unavailable (%s); %d messages will be retried",
        _describe(error),
        len(pending) - progress.index,
    )
    for message_id, attempts, _envelope in pending[progress.index :]:
        leases.schedule_retry(message_id, attempts, worker_id, _describe(error))
        result.retried += 1


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
