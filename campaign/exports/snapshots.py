"""Press download snapshots: one file per call and format, regenerated at most every few minutes.

Why a file: a million-row list costs a database scan, and a press page linked
from a newspaper may be fetched thousands of times. Every web process on
every host serves the same snapshot, kept in the database
(:mod:`campaign.stored_files`, a chunk of a megabyte at a time), with
``ETag`` and ``Last-Modified`` taken from the time its data was read, so a
repeat visitor gets a ``304`` whichever host answers.

Why a background writer: when the snapshot is stale, one writer for all
hosts (the holder of the file's ``writer_key``, under a lease renewed at
every chunk; see :class:`~campaign.stored_files.LeasedWriter`) regenerates
it in a thread of its own, reading the database at its own pace and
committing it a chunk at a time. The request that started it streams those
chunks as they are committed, so the first bytes of a million rows leave at
once, and a slow client can hold up its own download but never a database
cursor or transaction. Every other request, on any host, keeps getting the
previous snapshot until the new one is complete (503 when there is none
yet); the previous one is deleted ``EXPORT_SNAPSHOT_KEEP_SECONDS`` later,
once the downloads that started on it have had time to end.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import Engine

from ..extensions import db
from ..models import FileKind, Petition, StoredFile, utcnow
from ..stored_files import FileGone, LeasedWriter, chunks, newest, read_chunk
from .press import press_chunks

# How long a writer's claim lasts without a chunk from it; past it, another may take over.
LEASE = timedelta(seconds=60)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Job:
    """A snapshot being written by a thread of this process."""

    key: tuple[int, int, str]
    file_id: int
    created_at: datetime
    committed: int = 0  # chunks committed so far
    finished: bool = False
    failed: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def advance(self, committed: int, *, finished: bool = False, failed: bool = False) -> None:
        with self.changed:
            self.committed = committed
            self.finished, self.failed = finished, failed
            self.changed.notify_all()


@dataclass(frozen=True)
class Snapshot:
    """What to send: a complete file, or one still being written by ``job``."""

    engine: Engine
    file_id: int
    created_at: datetime
    size: int | None  # None while being written
    job: Job | None = None

    @property
    def modified_ns(self) -> int:
        return (self.created_at - _EPOCH) // timedelta(microseconds=1) * 1000

    @property
    def etag(self) -> str:
        return f"{self.modified_ns:x}"

    def chunks(self) -> Iterator[bytes]:
        if self.job is None:
            yield from chunks(self.engine, self.file_id, 0, self.size or 0)
        else:
            yield from _follow(self.job, self.engine)


_jobs: dict[tuple[int, int, str], Job] = {}
_jobs_lock = threading.Lock()


def snapshot_name(petition: Petition, fmt: str) -> str:
    return f"{petition.slug}.{fmt}"


def _complete(file: StoredFile) -> Snapshot:
    return Snapshot(db.engine, file.id, file.created_at, file.size)


def get_snapshot(petition: Petition, fmt: str) -> Snapshot | None:
    """The snapshot to serve, starting a regeneration when it is missing or stale.

    Returns None only when there is no snapshot yet and another process (on
    this host or another) is writing the first one: the caller answers 503
    with Retry-After.
    """
    max_age = timedelta(seconds=current_app.config.get("EXPORT_SNAPSHOT_SECONDS", 300))
    current = newest(FileKind.PRESS, petition.id, snapshot_name(petition, fmt))
    if current is not None and utcnow() - current.created_at < max_age:
        return _complete(current)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # Keyed by the app too: two apps in one process (tests) stand for two hosts.
    key = (id(app), petition.id, fmt)
    with _jobs_lock:
        job = _jobs.get(key) or _start(app, key, petition, fmt)
    if job is not None:
        return Snapshot(db.engine, job.file_id, job.created_at, None, job)
    return _complete(current) if current is not None else None


def _start(app: Flask, key: tuple[int, int, str], petition: Petition, fmt: str) -> Job | None:
    """Claim the snapshot and start writing it in a thread; None if another writer has it."""
    created_at = utcnow()
    writer = LeasedWriter.claim(
        db.engine,
        FileKind.PRESS,
        petition.id,
        snapshot_name(petition, fmt),
        lease=LEASE,
        created_at=created_at,
    )
    if writer is None:
        return None
    job = Job(key, writer.file_id, created_at)
    _jobs[key] = job
    thread = threading.Thread(
        target=_write, args=(app, petition.id, fmt, job, writer), daemon=True, name="press-export"
    )
    thread.start()
    return job


def _write(app: Flask, petition_id: int, fmt: str, job: Job, writer: LeasedWriter) -> None:
    finished = failed = False
    try:
        with app.app_context():
            try:
                petition = db.session.get(Petition, petition_id)
                for chunk in press_chunks(petition, fmt):
                    if writer.write(chunk) != job.committed:
                        job.advance(writer.seq)
                keep = timedelta(seconds=app.config["EXPORT_SNAPSHOT_KEEP_SECONDS"])
                writer.complete(keep)
                finished = True
            finally:
                db.session.remove()
    except Exception:
        failed = True
        app.logger.exception("press export of call %s (%s) failed", petition_id, fmt)
        try:
            writer.abandon()
        except Exception:
            app.logger.exception("could not delete the failed press export's chunks")
    finally:
        # Forget the job before telling readers: a request that follows the one that
        # waited for this file must be able to start the next regeneration.
        with _jobs_lock:
            _jobs.pop(job.key, None)
        job.advance(writer.seq, finished=finished or failed, failed=failed)


def _follow(job: Job, engine: Engine) -> Iterator[bytes]:
    """Read the file's chunks as the writer commits them, until the writer is done."""
    seq = 0
    while True:
        with job.changed:
            job.changed.wait_for(lambda seq=seq: job.committed > seq or job.finished)
            committed, finished, failed = job.committed, job.finished, job.failed
        if failed:
            # Cut the download short rather than hand out half a list as whole.
            raise RuntimeError("press export failed while streaming")
        if seq >= committed and finished:
            return
        data = read_chunk(engine, job.file_id, seq)
        if data is None:
            raise FileGone(f"press snapshot {job.file_id} lost its chunk {seq}")
        yield data
        seq += 1


def wait_for_jobs(timeout: float = 30.0) -> None:
    """Block until every writer of this process is done (tests and shutdown)."""
    with _jobs_lock:
        jobs = list(_jobs.values())
    for job in jobs:
        with job.changed:
            job.changed.wait_for(lambda job=job: job.finished, timeout)
