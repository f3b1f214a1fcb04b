"""``flask events send-reminders`` (periodic, every few minutes on every host, one run at a
time under its job lock) and ``flask events seed-demo`` (the demo's panel discussion)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from .. import demo_content
from ..extensions import db
from ..job_locks import one_host_at_a_time
from ..models import Event, Petition, Publication, utcnow
from ..timezones import to_utc
from . import reminders, services

events_cli = AppGroup("events", help="Events: reminders and the demo event.")


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@events_cli.command("send-reminders")
@click.option(
    "--now",
    default=None,
    help="Act as if it were this time (ISO 8601, UTC unless a zone is given): for tests "
    "and for catching up by hand.",
)
@one_host_at_a_time("events send-reminders")
def send_reminders_command(now: str | None) -> None:
    """Queue the reminders due (a day and an hour before), each at most once."""
    queued = reminders.send_reminders(_parse_now(now))
    db.session.commit()
    for slug, count in queued.items():
        click.echo(f"{slug}: {count} reminders queued")
    if not queued:
        click.echo("no reminder due")


def seed_demo_event(
    petition: Petition | None, publication: Publication | None = None, weeks_ahead: int = 3
) -> tuple[Event, bool]:
    """The demo's panel discussion on the report, a few weeks ahead (17:00 in Zurich)."""
    found = db.session.scalar(select(Event).where(Event.slug == demo_content.EVENT_SLUG))
    if found is not None:
        return found, False
    day = (utcnow() + timedelta(weeks=weeks_ahead)).date()
    starts = to_utc(datetime(day.year, day.month, day.day, 17, 0), "Europe/Zurich")
    event = Event(
        slug=demo_content.EVENT_SLUG,
        petition_id=petition.id if petition is not None else None,
        publication_id=publication.id if publication is not None else None,
        language="en",
        spoken_languages=["en", "fr"],
        timezone="Europe/Zurich",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        online_url=demo_content.EVENT_ONLINE_URL,
        capacity=3,
        published=True,
        is_demo=True,
    )
    db.session.add(event)
    for language, (title, description) in demo_content.EVENT_TEXT.items():
        services.set_text(event, language, title, description)
    db.session.flush()
    return event, True


@events_cli.command("seed-demo")
def seed_demo_command() -> None:
    """Add the demo's panel discussion (once), tied to the demo call and the demo report if
    they are there (bin/demo seeds them first)."""
    petition = db.session.scalar(select(Petition).where(Petition.slug == demo_content.CALL["slug"]))
    publication = db.session.scalar(
        select(Publication).where(Publication.slug == demo_content.PUBLICATION["slug"])
    )
    event, created = seed_demo_event(petition, publication)
    db.session.commit()
    click.echo(f"{event.slug}: {'created' if created else 'already there'}")


def init_app(app: Flask) -> None:
    app.cli.add_command(events_cli)
