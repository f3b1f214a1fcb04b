"""``flask outbox send`` (one batch), ``work`` (until stopped), ``status`` and ``bounce``."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from . import bounces, reports, worker

log = logging.getLogger(__name__)

# sysexits.h: what Postfix, Exim and Sendmail take as "keep the message, try again later".
EX_TEMPFAIL = 75
# A bounce carries at most the returned message; what lies past this is not needed.
BOUNCE_MAX_BYTES = 10 * 1024 * 1024

outbox_cli = AppGroup("outbox", help="Send the mail waiting in the outbox.")


@outbox_cli.command("send")
@click.option("--limit", type=int, default=None, help="At most this many messages.")
def send_command(limit: int | None) -> None:
    """Send one batch of due messages and exit."""
    result = worker.send_batch(limit=limit)
    click.echo(
        f"claimed {result.claimed}, sent {result.sent}, "
        f"retrying {result.retried}, failed {result.failed}, suppressed {result.suppressed}"
    )


@outbox_cli.command("work")
@click.option("--stop-after", type=float, default=None, help="Stop after this many seconds.")
@click.option("--until-empty", is_flag=True, help="Stop when no message is due (for cron).")
def work_command(stop_after: float | None, until_empty: bool) -> None:
    """Send due messages until stopped (SIGTERM or Ctrl-C)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        worker.work(stop_after=stop_after, until_empty=until_empty)
    except KeyboardInterrupt:
        click.echo("outbox worker stopped")


@outbox_cli.command("status")
def status_command() -> None:
    """Show the backlog (messages waiting, the oldest) and messages that failed for good."""
    count, oldest = reports.backlog()
    click.echo(f"waiting: {count}; oldest queued at: {oldest.isoformat() if oldest else '-'}")
    failures = reports.recent_failures()
    click.echo(f"failed for good (latest {len(failures)}):" if failures else "failed for good: 0")
    for message in failures:
        # Ids and the server's answer only: addresses stay out of terminals and logs.
        click.echo(
            f"  #{message.id} {message.kind} signature {message.signature_id}: {message.last_error}"
        )
    bounced = reports.recent_bounces()
    click.echo(
        f"bounced after sending: {reports.bounce_count()} (latest {len(bounced)})"
        if bounced
        else "bounced after sending: 0"
    )
    for message in bounced:
        when = message.bounced_at.strftime("%Y-%m-%d %H:%M") if message.bounced_at else "-"
        click.echo(
            f"  #{message.id} {message.kind} signature {message.signature_id} at {when} UTC: "
            f"{message.bounce_status} {message.bounce_diagnostic or ''}".rstrip()
        )
    click.echo(f"not sent, the signature had bounced: {reports.suppressed_count()}")


class _TryLater(Exception):
    """The database could not be reached: the MTA should keep the bounce and retry."""


def _ingest(data: bytes, recipient: str | None, source: str) -> None:
    try:
        outcome = bounces.ingest(data, recipient)
    except SQLAlchemyError as error:
        db.session.rollback()
        log.error(
            "bounce %s: database unavailable (%s); try again later", source, type(error).__name__
        )
        raise _TryLater from None
    line = f"bounce {source}: {outcome.line}"
    # One line per message, for the terminal and the logs: ids, codes, never an address.
    log.log(
        logging.INFO if outcome.verdict in {"bounced", "already-bounced"} else logging.WARNING, line
    )
    click.echo(line)


def _maildir(directory: Path) -> None:
    """Each message in ``new/``, oldest first, then moved to ``cur/`` as seen."""
    new, cur = directory / "new", directory / "cur"
    if not new.is_dir() or not cur.is_dir():
        raise click.UsageError(f"{directory} is not a Maildir (no new/ and cur/)")
    names = sorted(name for name in os.listdir(new) if not name.startswith("."))
    for name in names:
        path = new / name
        if not path.is_file():
            continue  # not a message (a stray folder)
        try:
            with path.open("rb") as handle:
                data = handle.read(BOUNCE_MAX_BYTES)
        except FileNotFoundError:
            continue  # another run took it
        _ingest(data, None, name)
        # Maildir's info suffix: ":2," then the flags; S is "seen".
        target = cur / (name if ":2," in name else f"{name}:2,S")
        os.replace(path, target)


@outbox_cli.command("bounce")
@click.option(
    "--recipient",
    default=None,
    help="The address the bounce was delivered to (Postfix: ${recipient}), for its VERP tag.",
)
@click.option(
    "--maildir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Read each message in this Maildir's new/ (moved to cur/ once handled).",
)
def bounce_command(recipient: str | None, maildir: Path | None) -> None:
    """Record a bounce (delivery status notification) read from standard input.

    Made for an MTA to pipe the mail sent to MAIL_BOUNCE_ADDRESS into. A hard
    bounce marks its message bounced; anything else is logged and dropped
    with exit status 0, so the MTA does not retry it. Exit status 75 (try
    again later) only when the database cannot be reached.
    """
    if maildir is not None and recipient:
        raise click.UsageError("--recipient is for one message; a Maildir's messages carry theirs")
    try:
        if maildir is not None:
            _maildir(maildir)
        else:
            data = sys.stdin.buffer.read(BOUNCE_MAX_BYTES)
            _ingest(data, recipient, "from stdin")
    except _TryLater:
        click.echo("bounce: database unavailable; try again later", err=True)
        raise SystemExit(EX_TEMPFAIL) from None


def init_app(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
