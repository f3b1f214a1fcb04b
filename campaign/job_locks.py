"""One run at a time of a periodic job across every host: a row per job in ``job_lock``.

Why: the periodic jobs (reconcile, retention, update and news sending) were
run by timers on one host, and stopped with it. Every host now schedules
them; the run that takes the job's row does the work, and the others say
another host holds it and exit 0 (a timer that finds the work in hand is
not a failure).

How it is taken: one conditional UPDATE of the job's row (its lock has
expired) or, for a job never run, one INSERT that does nothing on conflict.
Each is atomic on SQLite (writes run one at a time) and on PostgreSQL (a
second UPDATE waits for the first and re-reads the row, now held; a second
INSERT finds the first one's row), so two hosts starting together cannot
both take it. Every statement commits at once on a connection of its own:
the lock is visible before the job starts, and the job's own commits and
rollbacks cannot touch it.

While the job runs, a heartbeat (:mod:`campaign.heartbeat`, as the outbox's
leases) pushes ``expires_at`` on every third of ``JOB_LOCK_SECONDS``: a long
run keeps its lock, and a holder that died (``kill -9``, a lost host) lets
it lapse within ``JOB_LOCK_SECONDS``. A run that ends, even by an error,
gives the lock back at once. Hosts compare expiry times that others wrote,
so their clocks must agree (NTP) to well within a third of the lock.

Why not PostgreSQL's advisory locks: SQLite has none, and a row tells the
operator who holds a job and until when. Why not the package jobs' leases
(``exports.job_leases``): those share out a queue of jobs, each run once;
these let one of many identical runs go ahead. They share the heartbeat.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import click
from flask import current_app
from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db
from .heartbeat import Heartbeat, holder_id
from .models import JobLock, utcnow


@dataclass(frozen=True)
class Lock:
    """The outcome of asking for a job's lock: held by us, or by ``holder`` until ``until``."""

    name: str
    held: bool
    holder: str
    until: datetime | None = None


@contextmanager
def _autocommit(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        yield connection.execution_options(isolation_level="AUTOCOMMIT")


def try_take(connection: Connection, name: str, holder: str, seconds: int) -> bool:
    """Take the lock ``name`` for ``seconds`` if it is free or has expired; say whether."""
    now = utcnow()
    values = {"holder": holder, "expires_at": now + timedelta(seconds=seconds), "taken_at": now}
    taken = connection.execute(
        update(JobLock).where(JobLock.name == name, JobLock.expires_at < now).values(**values)
    ).rowcount
    if taken:
        return True
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    first = dialect.insert(JobLock).values(name=name, **values).on_conflict_do_nothing()
    # RETURNING, not rowcount: through SQLAlchemy, psycopg gave -1 whether it inserted or not.
    return connection.execute(first.returning(JobLock.name)).first() is not None


def renew(connection: Connection, name: str, holder: str, seconds: int) -> bool:
    """Push the lock's expiry on while ``holder`` still has it; False if another took it."""
    return (
        connection.execute(
            update(JobLock)
            .where(JobLock.name == name, JobLock.holder == holder)
            .values(expires_at=utcnow() + timedelta(seconds=seconds))
        ).rowcount
        == 1
    )


def release(connection: Connection, name: str, holder: str) -> None:
    """Give the lock back now (the row stays: it says who ran the job last)."""
    connection.execute(
        update(JobLock)
        .where(JobLock.name == name, JobLock.holder == holder)
        .values(expires_at=utcnow())
    )


@contextmanager
def holding(name: str, seconds: int | None = None) -> Iterator[Lock]:
    """``with holding("counts reconcile") as lock:`` run the job only if ``lock.held``.

    Held, the lock is renewed until the block ends, then given back.
    """
    seconds = seconds or current_app.config["JOB_LOCK_SECONDS"]
    engine, holder = db.engine, holder_id()
    with _autocommit(engine) as connection:
        taken = try_take(connection, name, holder, seconds)
        other = None
        if not taken:
            other = connection.execute(
                select(JobLock.holder, JobLock.expires_at).where(JobLock.name == name)
            ).one_or_none()
    if not taken:
        # None: the holder gave it back between the two statements; still not ours to run.
        yield Lock(name, False, other.holder if other else "-", other.expires_at if other else None)
        return

    def beat() -> bool:
        with _autocommit(engine) as connection:
            return renew(connection, name, holder, seconds)

    try:
        with Heartbeat(beat, seconds / 3, f"job {name}"):
            yield Lock(name, True, holder)
    finally:
        with _autocommit(engine) as connection:
            release(connection, name, holder)


def one_host_at_a_time(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Run a command's body only while holding the lock ``name``; otherwise say who has it.

    Put it right above the function, below ``@click.command`` and its options.
    """

    def wrap(callback: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(callback)
        def run(*args: Any, **kwargs: Any) -> Any:
            with holding(name) as lock:
                if not lock.held:
                    until = f"{lock.until:%Y-%m-%d %H:%M:%S} UTC" if lock.until else "-"
                    click.echo(f"{name}: not run, another host holds it ({lock.holder}, {until})")
                    return None
                return callback(*args, **kwargs)

        return run

    return wrap
