"""The package worker, ``flask export work``: claim a queued job, build it, mark it.

A job is built into a staging folder of its own inside the call's package
folder (``.job-<id>-<attempt>``), so nothing half-written is ever under a
name a page links to: the ZIP is moved to its name in the package folder
(one rename) only when complete, and the job is marked done in the same
transaction that records its packages. Before that move, the ZIP's name is
written into the job's row; a worker that takes the job over after a crash
removes such a ZIP if the crash came between the move and the commit, with
the staging folders of earlier attempts. Which statements take and give
back the job is in :mod:`.job_leases`.

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
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..logging import scrub
from ..models import DeliveryPackage, Organiser, PackageJob, Petition, utcnow
from . import job_leases
from .delivery import DeliveryError, DeliveryResult, build_delivery, zip_name
from .jobs import expected_total
from .storage import delivery_packages_dir

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
    stale_zip: str | None  # a ZIP a crashed attempt moved into place but never recorded


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
        stale_zip=row.zip_name,
    )


@contextmanager
def _autocommit() -> Iterator[Connection]:
    """A connection of its own whose every statement commits by itself (the progress)."""
    with db.engine.connect() as connection:
        yield connection.execution_options(isolation_level="AUTOCOMMIT")


def build_job(job: _Job, worker_id: str, should_stop: Callable[[], bool]) -> None:
    """Build one claimed job; every way it can end leaves the row saying how it ended."""
    config = current_app.config
    folder = delivery_packages_dir(job.petition.slug)
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
            _build_and_publish(job, worker_id, beat, folder, staging)
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


def _build_and_publish(
    job: _Job, worker_id: str, beat: job_leases.Heartbeat, folder: str, staging: str
) -> None:
    now = _reserve_name(job, beat, folder)
    result = build_delivery(
        job.petition,
        out_dir=staging,
        country=job.country,
        language=job.language,
        progress=beat,
        now=now,
        built_by=job.requested_by,
    )
    published = os.path.join(folder, os.path.basename(result.zip_path))
    os.replace(result.zip_path, published)
    try:
        job_leases.finish(
            job.id,
            worker_id,
            count=result.count,
            zip_name=os.path.basename(published),
            package_ids=_package_ids(job.petition, result),
        )
        db.session.commit()
    except BaseException:
        # Not recorded (taken over, or the database failed): nothing may link to it.
        db.session.rollback()
        _remove(published)
        raise
    log.info("package job %s done: %s, %d signatures", job.id, result.zip_path, result.count)


def _reserve_name(job: _Job, beat: job_leases.Heartbeat, folder: str) -> datetime:
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
        if not os.path.exists(os.path.join(folder, name)):
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
    """Remove what earlier attempts at this job left: staging folders, an unrecorded ZIP."""
    if not os.path.isdir(folder):
        return
    for entry in os.listdir(folder):
        if entry.startswith(f"{STAGING_PREFIX}{job.id}-"):
            shutil.rmtree(os.path.join(folder, entry), ignore_errors=True)
    if job.stale_zip and os.path.basename(job.stale_zip) == job.stale_zip:
        _remove(os.path.join(folder, job.stale_zip))


def _remove(path: str) -> None:
    with suppress(FileNotFoundError):
        os.remove(path)


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
