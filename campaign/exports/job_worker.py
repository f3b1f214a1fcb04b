"""The package worker, ``flask export work``: claim a queued job, build it, mark it.

A job is built in a staging folder of its own in this host's scratch folder
(``EXPORT_DIR/.job-<id>-<attempt>``). The finished ZIP is then copied into
the database (:mod:`campaign.stored_files`, a chunk at a time) in the same
transaction that records its packages and marks the job done: every host
serves the package from that commit on, and a worker that dies before it
leaves nothing a page links to. Before the build, the ZIP's name is written
into the job's row, which reserves it (the name is unique). A worker that
takes a job over on the same host removes the staging folders of earlier
attempts. Which statements take and give back the job is in
:mod:`.job_leases`.

This module loads the PDF libraries (through :mod:`.delivery`): only the
worker's command imports it.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..logging import scrub
from ..models import DeliveryPackage, FileKind, Organiser, PackageJob, Petition, utcnow
from ..stored_files import exists, store
from . import job_leases
from .delivery import DeliveryError, DeliveryResult, build_delivery, zip_name
from .jobs import expected_total
from .storage import scratch_dir

log = logging.getLogger(__name__)

STAGING_PREFIX = ".job-"
NAME_TRIES = 60


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{uuid.uuid4().hex[:12]}"


@dataclass
class _Job:
    """What the build needs of the job, read once (the session's rows expire at commits)."""

    id: int
    petition: Petition
    country: str | None
    language: str
    requested_by: Organiser | None
    attempts: int


def run_one(worker_id: str | None = None, should_stop: Callable[[], bool] = lambda: False):
    """Claim the oldest due job and build it; return its id, or None when none is due."""
    config = current_app.config
    worker_id = worker_id or new_worker_id()
    if not job_leases.any_due():
        return None
    given_up = job_leases.give_up_stale(config["PACKAGE_JOB_MAX_ATTEMPTS"])
    if given_up:
        log.warning("package jobs: gave up %d whose worker kept dying", given_up)
    job_id = job_leases.claim(worker_id, config["PACKAGE_JOB_LEASE_SECONDS"])
    if job_id is None:
        return None
    log.info("package job %s claimed by %s", job_id, worker_id)
    build_job(_load(job_id), worker_id, should_stop)
    return job_id


def _load(job_id: int) -> _Job:
    row = db.session.get(PackageJob, job_id)
    assert row is not None
    return _Job(
        id=row.id,
        petition=db.session.get(Petition, row.petition_id),  # type: ignore[arg-type]
        country=row.country,
        language=row.language,
        requested_by=row.requested_by,
        attempts=row.attempts,
    )


@contextmanager
def _autocommit() -> Iterator[Connection]:
    """A connection of its own whose every statement commits by itself (the progress)."""
    with db.engine.connect() as connection:
        yield connection.execution_options(isolation_level="AUTOCOMMIT")


def build_job(job: _Job, worker_id: str, should_stop: Callable[[], bool]) -> None:
    """Build one claimed job; every way it can end leaves the row saying how it ended."""
    config = current_app.config
    folder = scratch_dir()
    _clear_leftovers(folder, job)
    staging = os.path.join(folder, f"{STAGING_PREFIX}{job.id}-{job.attempts}")
    try:
        with _autocommit() as connection:
            beat = job_leases.Heartbeat(
                connection,
                job.id,
                worker_id,
                total=expected_total(job.petition, job.country),
                lease_seconds=config["PACKAGE_JOB_LEASE_SECONDS"],
                every_seconds=config["PACKAGE_JOB_PROGRESS_SECONDS"],
                should_stop=should_stop,
            )
            _build_and_publish(job, worker_id, beat, staging)
    except DeliveryError as error:
        db.session.rollback()
        job_leases.fail(job.id, worker_id, str(error))
    except job_leases.LeaseLost:
        db.session.rollback()
        log.warning("package job %s was taken over by another worker; this one stops", job.id)
    except (job_leases.Stopped, KeyboardInterrupt) as stopped:
        db.session.rollback()
        job_leases.release(job.id, worker_id)
        log.info("package job %s given back: the worker is stopping", job.id)
        if isinstance(stopped, KeyboardInterrupt):
            raise
    except Exception as error:
        log.exception("package job %s failed", job.id)
        db.session.rollback()
        job_leases.fail(job.id, worker_id, scrub(f"{type(error).__name__}: {error}"))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _build_and_publish(job: _Job, worker_id: str, beat: job_leases.Heartbeat, staging: str) -> None:
    now = _reserve_name(job, beat)
    result = build_delivery(
        job.petition,
        out_dir=staging,
        country=job.country,
        language=job.language,
        progress=beat,
        now=now,
        built_by=job.requested_by,
    )
    name = os.path.basename(result.zip_path)
    # One transaction: the ZIP's bytes, its packages' rows and the job marked done are
    # seen together by every host, or not at all (taken over, or the database failed).
    store_package(job.petition, result.zip_path, now)
    job_leases.finish(
        job.id,
        worker_id,
        count=result.count,
        zip_name=name,
        package_ids=_package_ids(job.petition, result),
    )
    db.session.commit()
    log.info("package job %s done: %s, %d signatures", job.id, name, result.count)


def store_package(petition: Petition, zip_path: str, built_at: datetime | None = None) -> None:
    """Copy a built ZIP into the database under its name, in the session (caller commits)."""
    with open(zip_path, "rb") as source:
        store(
            db.session,
            FileKind.PACKAGE,
            petition.id,
            os.path.basename(zip_path),
            source,
            created_at=built_at or utcnow(),
        )


def _reserve_name(job: _Job, beat: job_leases.Heartbeat) -> datetime:
    """Write the ZIP's name into the job's row before building; returns the build's time.

    The name holds the time to the second, and jobs built one after another
    (or by two workers) can start in the same second: the row's unique name
    reserves it, and a taken name moves the time on by a second. Done before
    the session writes anything: on SQLite, the session's write transaction
    would hold the lock the progress connection needs.
    """
    now = utcnow().replace(microsecond=0)
    for _ in range(NAME_TRIES):
        name = zip_name(job.petition, job.country, now)
        if not exists(FileKind.PACKAGE, job.petition.id, name):
            try:
                beat.write(zip_name=name)
            except IntegrityError:
                pass  # another job has it
            else:
                return now
        now += timedelta(seconds=1)
    raise RuntimeError(f"no free name for the package's ZIP after {NAME_TRIES} tries")


def _package_ids(petition: Petition, result: DeliveryResult) -> list[int]:
    """The rows the build added to the session (flushed, not yet committed)."""
    name = os.path.basename(result.zip_path)
    return list(
        db.session.scalars(
            select(DeliveryPackage.id)
            .where(DeliveryPackage.petition_id == petition.id, DeliveryPackage.zip_name == name)
            .order_by(DeliveryPackage.id)
        )
    )


def _clear_leftovers(folder: str, job: _Job) -> None:
    """Remove the staging folders earlier attempts at this job left on this host."""
    if not os.path.isdir(folder):
        return
    for entry in os.listdir(folder):
        if entry.startswith(f"{STAGING_PREFIX}{job.id}-"):
            shutil.rmtree(os.path.join(folder, entry), ignore_errors=True)


def work(
    stop_after: float | None = None,
    idle_seconds: float | None = None,
    until_empty: bool = False,
) -> None:
    """Build queued packages until stopped, for ``stop_after`` seconds, or until none is due.

    SIGTERM or Ctrl-C stops the worker at once, even in the middle of a build:
    the job in hand goes back to the queue for another worker (a package can
    take minutes, longer than a supervisor waits for a process to stop). Both
    only set a flag the build checks at its next step, so no statement is cut
    off halfway; a second Ctrl-C interrupts wherever the worker is.
    """
    config = current_app.config
    idle = idle_seconds if idle_seconds is not None else config["PACKAGE_JOB_IDLE_SECONDS"]
    worker_id = new_worker_id()
    deadline = time.monotonic() + stop_after if stop_after is not None else None
    stopping = threading.Event()

    def stop(signum: int, frame: object) -> None:
        stopping.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)  # the next Ctrl-C is final

    previous: dict[int, object] = {}
    if threading.current_thread() is threading.main_thread():
        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    log.info("package worker %s started", worker_id)
    try:
        while not stopping.is_set() and (deadline is None or time.monotonic() < deadline):
            try:
                job_id = run_one(worker_id, stopping.is_set)
            except Exception:
                # The database may be restarting: drop the connection and try again shortly.
                log.exception("package worker: a step failed; retrying")
                db.session.rollback()
                db.session.remove()
                stopping.wait(idle * 5)
                continue
            if job_id is None:
                if until_empty:
                    return
                stopping.wait(idle)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]
        log.info("package worker %s stopped", worker_id)
