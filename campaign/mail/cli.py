"""``flask outbox send`` (one batch) and ``flask outbox work`` (until stopped)."""

from __future__ import annotations

import logging

import click
from flask import Flask
from flask.cli import AppGroup

from . import worker

outbox_cli = AppGroup("outbox", help="Send the mail waiting in the outbox.")


@outbox_cli.command("send")
@click.option("--limit", type=int, default=None, help="At most this many messages.")
def send_command(limit: int | None) -> None:
    """Send one batch of due messages and exit."""
    result = worker.send_batch(limit=limit)
    click.echo(
        f"claimed {result.claimed}, sent {result.sent}, "
        f"retrying {result.retried}, failed {result.failed}"
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
    count, oldest = worker.backlog()
    click.echo(f"waiting: {count}; oldest queued at: {oldest.isoformat() if oldest else '-'}")
    failures = worker.recent_failures()
    click.echo(f"failed for good (latest {len(failures)}):" if failures else "failed for good: 0")
    for message in failures:
        # Ids and the server's answer only: addresses stay out of terminals and logs.
        click.echo(
            f"  #{message.id} {message.kind} signature {message.signature_id}: {message.last_error}"
        )


def init_app(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
