"""Delivery packages asked for in the back office: queued as a job, read back for its page.

Building the package for every government takes seconds, minutes at
100,000 signatures, so the request only writes a queued
:class:`~campaign.models.PackageJob`; a worker builds it
(:mod:`.job_worker`) and writes its progress into the row. The command line
(``flask export delivery``) still builds in the foreground. Nothing here
commits: the view does, with the audit entry.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from ..extensions import db
from ..models import DeliveryPackage, JobStatus, Organiser, PackageJob, Petition, utcnow
from ..organisers import audit
from .delivery_options import country_stats

RECENT_JOBS = 10
# The largest id an INTEGER column holds on PostgreSQL (SQLite's are wider, its driver's not).
ROW_ID_MAX = 2**31 - 1
# A job still queued after this long suggests that no worker is running.
WAITING_LONG = timedelta(minutes=1)


def expected_total(petition: Petition, country: str | None) -> int:
    """The counted signatures a package will hold (those of ``country``, or everyone's)."""
    stats = country_stats(petition)
    if country:
        return stats[country].count if country in stats else 0
    return sum(s.count for s in stats.values())


def queue_package_job(
    petition: Petition, *, country: str | None, language: str, requested_by: Organiser | None
) -> tuple[PackageJob, bool]:
    """Queue a package for ``country`` (None: every government) in ``language``.

    Returns the job and whether it is new: the same package already waiting
    or being built is returned instead of a second one (a double click, or
    two organisers asking at once, build it once).
    """
    same = db.session.scalar(
        select(PackageJob)
        .where(
            PackageJob.petition_id == petition.id,
            PackageJob.country.is_(None) if country is None else PackageJob.country == country,
            PackageJob.language == language,
            PackageJob.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]),
        )
        .order_by(PackageJob.id.desc())
        .limit(1)
    )
    if same is not None:
        return same, False
    job = PackageJob(
        petition_id=petition.id,
        country=country,
        language=language,
        requested_by_id=requested_by.id if requested_by is not None else None,
        status=JobStatus.QUEUED,
        progress_total=expected_total(petition, country),
    )
    db.session.add(job)
    db.session.flush()
    audit.record(
        requested_by,
        "queue_delivery_package",
        "package_job",
        job.id,
        {"country": country or "all", "language": language},
    )
    return job, True


def job_of(petition: Petition, job_id: int) -> PackageJob | None:
    """The call's job with this id (None for another call's, or an id no row can have)."""
    if not 0 < job_id <= ROW_ID_MAX:
        return None
    job = db.session.get(PackageJob, job_id)
    return job if job is not None and job.petition_id == petition.id else None


def recent_jobs(petition: Petition, limit: int = RECENT_JOBS) -> list[PackageJob]:
    """The call's latest jobs, newest first."""
    return list(
        db.session.scalars(
            select(PackageJob)
            .where(PackageJob.petition_id == petition.id)
            .order_by(PackageJob.id.desc())
            .limit(limit)
        )
    )


def progress_of(job: PackageJob) -> dict[str, Any]:
    """What the job's page shows and its script polls: plain values, no personal data."""
    total = max(job.progress_total, 0)
    return {
        "status": job.status,
        "done": min(job.progress_done, total) if total else job.progress_done,
        "total": total,
        "finished": job.finished,
        "message": note_of(job),
    }


def note_of(job: PackageJob) -> str | None:
    """The job's message in the page's language: a worker's note or the builder's refusal
    (stored in English, marked with N_); an unexpected error's message as it was."""
    return gettext(job.message) if job.message else None


def packages_of(job: PackageJob) -> list[DeliveryPackage]:
    """The packages a finished job recorded, one per country, in the ZIP's order."""
    if not job.package_ids:
        return []
    return list(
        db.session.scalars(
            select(DeliveryPackage)
            .where(
                DeliveryPackage.id.in_(job.package_ids),
                DeliveryPackage.petition_id == job.petition_id,
            )
            .order_by(DeliveryPackage.id)
        )
    )


def waiting_long(job: PackageJob) -> bool:
    """Queued for so long that the worker may not be running."""
    return job.status == JobStatus.QUEUED and utcnow() - job.created_at > WAITING_LONG
