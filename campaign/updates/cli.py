"""``flask organiser send-updates``: the periodic job that sends updates to supporters.

Every minute on every host (one run at a time, under its job lock): it starts
the scheduled updates that are due, queues the rest of every update being
sent, and marks sent those the outbox has finished. Organisers never run it:
confirming an update queues its first batch, this job does the rest. It stays
under ``organiser`` with the account commands, where operators have always
found it.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..job_locks import one_host_at_a_time
from ..models import SupporterUpdate
from ..organisers.cli import organiser_cli
from . import progress, services


def _queue_the_rest(update_: SupporterUpdate, size: int) -> int:
    """Queue batches until nobody is left; each batch commits on its own, so a crash
    resumes where it stopped. A short batch is the last (should another process have
    claimed some of it, the next run carries on)."""
    total = 0
    while True:
        queued = services.queue_update_batch(update_, size)
        db.session.commit()
        total += queued
        if queued < size:
            return total


@click.command("send-updates")
@with_appcontext
@click.option("--batch", type=int, default=None, help="Messages queued per transaction.")
@one_host_at_a_time("organiser send-updates")
def send_updates_command(batch: int | None) -> None:
    """Start scheduled updates when due, queue every update being sent for the signers
    still waiting for it, and mark sent those the outbox has finished (resumable).

    The outbox worker then sends them at its own pace (OUTBOX_RATE_PER_SECOND).
    """
    size = batch or current_app.config["UPDATE_BATCH_SIZE"]
    for update_id in progress.start_due():
        click.echo(f"update {update_id}: scheduled time reached, sending started")
    db.session.commit()
    for update_ in services.updates_being_sent():
        total = _queue_the_rest(update_, size)
        click.echo(f"update {update_.id}: {total} messages queued")
        if progress.finish_if_done(update_):
            db.session.commit()
            click.echo(f"update {update_.id}: sent")


def init_app(app: Flask) -> None:
    organiser_cli.add_command(send_updates_command)
