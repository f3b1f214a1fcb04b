"""``flask organiser send-updates``: queue the rest of every update being sent.

Run it from cron beside the outbox worker; the back office's send button
queues one batch per press. It stays under ``organiser`` with the account
commands, where operators have always found it.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..job_locks import one_host_at_a_time
from ..models import UpdateStatus
from ..organisers.cli import organiser_cli
from . import services


@click.command("send-updates")
@with_appcontext
@click.option("--batch", type=int, default=None, help="Messages queued per transaction.")
@one_host_at_a_time("organiser send-updates")
def send_updates_command(batch: int | None) -> None:
    """Queue every update being sent for the signers still waiting for it (resumable).

    The outbox worker then sends them at its own pace (OUTBOX_RATE_PER_SECOND).
    """
    size = batch or current_app.config["UPDATE_BATCH_SIZE"]
    for update_ in services.updates_being_sent():
        total = 0
        while True:
            queued = services.queue_update_batch(update_, size)
            db.session.commit()  # each batch stands on its own: a crash resumes here
            total += queued
            if update_.status != UpdateStatus.SENDING:
                break
        click.echo(f"update {update_.id}: {total} messages queued")


def init_app(app: Flask) -> None:
    organiser_cli.add_command(send_updates_command)
