"""``flask governments-news send|status``: tell organisers of thresholds reached, and signers
what their government did.

The driver of ``governments.news`` and ``governments.thresholds``: run
``send`` from cron (every minute, say) beside ``flask outbox work``. The
outbox worker sends what it queues, at its own pace; it lives below this
package and does not call it. Recording a delivery or an answer only starts
an announcement; this command queues its emails, a batch per transaction, so
a crash resumes where it stopped and nobody is sent one twice.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ..extensions import db
from ..job_locks import one_host_at_a_time
from . import news, thresholds

news_cli = AppGroup(
    "governments-news",
    help="Tell signers what their government did, and organisers when a "
    "country reaches its threshold.",
)


@news_cli.command("send")
@click.option("--batch", type=int, default=None, help="Messages queued per transaction.")
@one_host_at_a_time("governments-news send")
def send_command(batch: int | None) -> None:
    """Email the team about thresholds reached, then queue the announcements in progress.

    At most one batch of news waits in the outbox at a time (so signers' confirmation
    emails never wait behind it); the next run queues the next one. Resumable.
    """
    size = batch or current_app.config["UPDATE_BATCH_SIZE"]
    reached = thresholds.notify_thresholds()
    db.session.commit()
    click.echo(f"thresholds reached: {len(reached)}")
    total = 0
    while True:
        queued = news.queue_news_batch(size)
        db.session.commit()  # each batch stands on its own: a crash resumes here
        total += queued
        if queued == 0 or not news.news_in_progress():
            break
    click.echo(
        f"government news: {total} messages queued, {len(news.news_in_progress())} in progress"
    )


@news_cli.command("status")
def status_command() -> None:
    """The announcements in progress and how many signers each is still to reach."""
    in_progress = news.news_in_progress()
    click.echo(f"in progress: {len(in_progress)}")
    for item in in_progress:
        click.echo(
            f"  #{item.id} call {item.petition_id} {item.country} {item.event} "
            f"of delivery {item.delivery_id}: {news.recipients_left(item)} to go"
        )


def init_app(app: Flask) -> None:
    app.cli.add_command(news_cli)
