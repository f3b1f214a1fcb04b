"""How a package worker takes a job and gives it back: leases, progress, the end.

As with the outbox (``campaign.mail.leases``), a claim is one conditional
UPDATE that leases a due job to one worker (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; SQLite runs writes one at a time), and every later change is
made only while that worker still holds the lease: a worker that stalled
past its lease, whose job another took over, changes nothing. A job is due
when queued, or when it is running under a lease that ran out (its worker
died). Each step commits at once; progress is written on a connection of
its own whose every statement commits by itself, so the bar moves while
the package's rows wait, uncommitted, in the session.
"""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import Connection, and_, case, or_, select, update

from ..extensions import db
from ..i18n import N_
from ..models import JobStatus, PackageJob, utcnow

# What a job's page says of its worker; kept in the row in English (jobs.note_of).
TAKEN_OVER = N_("Started again: the worker building it stopped before it was done.")
RELEASED = N_("Started again: the worker building it was stopped.")
GIVEN_UP = N_(
    "Given up: every worker that took it stopped before it was done. A package this "
    "large may need more memory or time than the worker has."
)
NOTES = frozenset({TAKEN_OVER, RELEASED, GIVEN_UP})


class LeaseLost(Exception):
    """Another worker has taken the job over: this one must stop and change nothing."""


def _mine(job_id: int, worker_id: str):
    return update(PackageJob).where(PackageJob.id == job_id, PackageJob.lease_owner == worker_id)


def _due(now):
    return or_(
        PackageJob.status == JobStatus.QUEUED,
        and_(PackageJob.status == JobStatus.RUNNING, PackageJob.lease_until < now),
    )


def any_due() -> bool:
    """Whether a job waits for a worker: a read, so an idle worker polls without writing."""
    found = db.session.scalar(select(PackageJob.id).where(_due(utcnow())).limit(1))
    db.session.rollback()  # end the read: no transaction stays open while the worker idles
    return found is not None


def give_up_stale(max_attempts: int) -> int:
    """Fail the jobs whose worker died ``max_attempts`` times, rather than start them again."""
    now = utcnow()
    failed = db.session.execute(
        update(PackageJob)
        .where(
            PackageJob.status == JobStatus.RUNNING,
            PackageJob.lease_until < now,
            PackageJob.attempts >= max_attempts,
        )
        .values(
            status=JobStatus.FAILED,
            message=GIVEN_UP,
            lease_owner=None,
            lease_until=None,
            finished_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return failed


def claim(worker_id: str, lease_seconds: int) -> int | None:
    """Lease the oldest due job to ``worker_id``, commit, and return its id (None: none due)."""
    now = utcnow()
    due = (
        select(PackageJob.id)
        .where(_due(now))
        .order_by(PackageJob.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .cte("due")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    statement = (
        update(PackageJob)
        .where(PackageJob.id.in_(select(due.c.id)))
        .values(
            # A running job whose lease ran out lost its worker: say so on its page.
            message=case((PackageJob.status == JobStatus.RUNNING, TAKEN_OVER), else_=None),
            status=JobStatus.RUNNING,
            lease_owner=worker_id,
            lease_until=now + timedelta(seconds=lease_seconds),
            attempts=PackageJob.attempts + 1,
            progress_done=0,
            started_at=now,
        )
        .returning(PackageJob.id)
        .execution_options(synchronize_session=False)
    )
    job_id = db.session.scalar(statement)
    db.session.commit()
    return job_id


class Heartbeat:
    """Told of each signature written; writes the count and renews the lease now and then.

    Called by the package builder as its progress callback. At most every
    ``every_seconds`` it updates the job's row, only while this worker holds
    the lease: if another worker has taken the job over, it raises
    :class:`LeaseLost`, which stops the build. ``should_stop`` is asked at each
    call too (a SIGTERM), and stops the build with :class:`Stopped`.
    """

    def __init__(
        self,
        connection: Connection,
        job_id: int,
        worker_id: str,
        *,
        total: int,
        lease_seconds: int,
        every_seconds: float,
        should_stop=lambda: False,
    ) -> None:
        self.connection = connection
        self.job_id, self.worker_id = job_id, worker_id
        self.total, self.done = total, 0
        self.lease_seconds, self.every_seconds = lease_seconds, every_seconds
        self.should_stop = should_stop
        self.written_at = float("-inf")

    def __call__(self, count: int) -> None:
        self.done += count
        if self.should_stop():
            raise Stopped
        if time.monotonic() - self.written_at >= self.every_seconds:
            self.write()

    def write(self, **values) -> None:
        """Write the progress (and ``values``) and renew the lease, or raise LeaseLost."""
        renewed = self.connection.execute(
            _mine(self.job_id, self.worker_id).values(
                progress_done=self.done,
                progress_total=self.total,
                lease_until=utcnow() + timedelta(seconds=self.lease_seconds),
                **values,
            )
        ).rowcount
        if renewed != 1:
            raise LeaseLost(f"package job {self.job_id} was taken over")
        self.written_at = time.monotonic()


class Stopped(Exception):
    """The worker was asked to stop (SIGTERM) in the middle of a build."""


def finish(job_id: int, worker_id: str, *, count: int, zip_name: str, package_ids: list[int]):
    """Mark the job done in the session's transaction (with its packages); the caller commits.

    Raises :class:`LeaseLost` (nothing is marked) if another worker has it now.
    """
    done = db.session.execute(
        _mine(job_id, worker_id)
        .values(
            status=JobStatus.DONE,
            progress_done=count,
            progress_total=count,
            zip_name=zip_name,
            package_ids=package_ids,
            lease_owner=None,
            lease_until=None,
            finished_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if done != 1:
        raise LeaseLost(f"package job {job_id} was taken over")


def fail(job_id: int, worker_id: str, message: str) -> None:
    """The package cannot be built as asked: stop here, with the reason for the organiser."""
    db.session.execute(
        _mine(job_id, worker_id)
        .values(
            status=JobStatus.FAILED,
            message=message[:2000],
            zip_name=None,
            lease_owner=None,
            lease_until=None,
            finished_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def release(job_id: int, worker_id: str) -> None:
    """Give the job back to the queue at once (this worker is stopping): another starts it."""
    db.session.execute(
        _mine(job_id, worker_id)
        .values(
            status=JobStatus.QUEUED,
            message=RELEASED,
            # Not counted as an attempt: the worker stopped cleanly, it did not die.
            attempts=PackageJob.attempts - 1,
            progress_done=0,
            zip_name=None,
            lease_owner=None,
            lease_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
