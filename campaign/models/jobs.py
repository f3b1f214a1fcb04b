"""A delivery package being built in the background: the job, its lease and its progress.

The web request that asks for a package writes a queued row and returns at
once; a worker (``flask export work``) claims the row with a lease, builds
the package and writes its progress into the row, which the organiser's
page reads. The row is the only place the job's state lives, so any web
process on any host shows it, and a worker that dies is replaced by another
once its lease runs out.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, one_of, utcnow
from .organisers import Organiser


class JobStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for a worker (or for another, after its worker died)
    RUNNING = "running"  # a worker holds its lease and is building
    DONE = "done"  # the ZIP is in the call's package folder, its packages recorded
    FAILED = "failed"  # it cannot be built as asked; ``message`` says why


class PackageJob(db.Model):
    """One request to build a delivery package, for one government or all of them."""

    __tablename__ = "package_job"
    __table_args__ = (
        CheckConstraint(one_of("status", JobStatus), name="status"),
        Index("ix_package_job_due", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    # None: every government, one folder each.
    country: Mapped[str | None] = mapped_column(String(2))
    language: Mapped[str] = mapped_column(String(8))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED)
    # Signatures written so far, of how many: what the progress bar shows.
    progress_done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    progress_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Why it failed, or why it was started again; for the organiser, in English.
    message: Mapped[str | None] = mapped_column(Text)
    # The ZIP's name in the call's package folder, and its packages' rows once built.
    # Written before the build starts, and unique: it reserves the name, so two jobs
    # built in the same second never write the same file.
    zip_name: Mapped[str | None] = mapped_column(String(200), unique=True)
    package_ids: Mapped[list[int] | None] = mapped_column(JSON)
    # Times a worker has taken it: one that keeps killing its worker is given up.
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requested_by: Mapped[Organiser | None] = relationship()

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class JobLock(db.Model):
    """Who runs a periodic job now (``flask counts reconcile``, ``retention run``...).

    Every host schedules the jobs; the one that takes the row runs the job and
    the others say so and exit (see ``campaign.job_locks``). A lock is held
    until ``expires_at``, which its holder pushes on while it runs: a holder
    that died lets it lapse, and the next run anywhere takes it.
    """

    __tablename__ = "job_lock"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Host, process id and a random tail (campaign.heartbeat.holder_id), for the operator.
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
