"""Press download snapshots: one file per call and format, regenerated at most every few minutes.

Why a file: a million-row list costs a database scan, and a press page linked
from a newspaper may be fetched thousands of times. Each web process serves
the same file from ``EXPORT_DIR`` (which must be a shared path when several
hosts serve the site), with ``ETag`` and ``Last-Modified`` so repeat visitors
get a ``304``.

Why a background writer: when the file is stale, one writer (an exclusive
``flock`` per file, so one per host and path) regenerates it into a temporary
file in a thread of its own, reading the database at its own pace. The
request that started it streams the temporary file as it grows, so the first
bytes of a million rows leave at once, and a slow client can hold up its own
download but never a database cursor. Other requests keep getting the
previous file until the new one is renamed into place.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from flask import Flask, current_app

from ..extensions import db
from ..models import Petition
from .press import press_chunks
from .storage import export_dir

READ_SIZE = 64 * 1024
_POLL_SECONDS = 0.02


@dataclass
class Job:
    """A snapshot being written by a thread of this process."""

    path: str
    temp_path: str
    started_ns: int
    done: threading.Event = field(default_factory=threading.Event)
    failed: bool = False


@dataclass(frozen=True)
class Snapshot:
    """What to send: a finished file, or a file still being written by ``job``."""

    path: str
    modified_ns: int
    job: Job | None = None
    # Opened when the snapshot is handed out: the writer may rename its file at any moment.
    reader: BinaryIO | None = None

    @property
    def etag(self) -> str:
        return f"{self.modified_ns:x}"

    @property
    def size(self) -> int | None:
        return None if self.job is not None else os.stat(self.path).st_size

    def chunks(self) -> Iterator[bytes]:
        if self.job is None or self.reader is None:
            with open(self.path, "rb") as f:
                while chunk := f.read(READ_SIZE):
                    yield chunk
            return
        yield from _follow(self.job, self.reader)


_jobs: dict[str, Job] = {}
_jobs_lock = threading.Lock()


def snapshot_path(petition: Petition, fmt: str) -> str:
    return os.path.join(export_dir(), "press", f"{petition.slug}.{fmt}")


def get_snapshot(petition: Petition, fmt: str) -> Snapshot | None:
    """The snapshot to serve, starting a regeneration when it is missing or stale.

    Returns None only when there is no file yet and another process is
    writing the first one (the caller answers 503 with Retry-After).
    """
    path = snapshot_path(petition, fmt)
    max_age_ns = int(current_app.config.get("EXPORT_SNAPSHOT_SECONDS", 300) * 1e9)
    existing = _stat_ns(path)
    if existing is not None and time.time_ns() - existing < max_age_ns:
        return Snapshot(path, existing)
    with _jobs_lock:
        job = _jobs.get(path)
        if job is None:
            job = _start(current_app._get_current_object(), petition, fmt, path)  # type: ignore[attr-defined]
    if job is not None:
        try:
            return Snapshot(path, job.started_ns, job, open(job.temp_path, "rb"))
        except FileNotFoundError:
            pass  # already finished and renamed: serve the file it became
        existing = _stat_ns(path)
    if existing is not None:
        return Snapshot(path, existing)
    return None


def _stat_ns(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return None


def _start(app: Flask, petition: Petition, fmt: str, path: str) -> Job | None:
    """Take the file's lock and start writing it in a thread; None if another writer has it."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    lock = open(path + ".lock", "a")  # noqa: SIM115 -- closed by the writer thread
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        return None
    job = Job(
        path=path,
        temp_path=f"{path}.{os.getpid()}.{secrets.token_hex(4)}.tmp",
        started_ns=time.time_ns(),
    )
    open(job.temp_path, "wb").close()  # exists before the reader opens it
    _jobs[path] = job
    thread = threading.Thread(
        target=_write, args=(app, petition.id, fmt, job, lock), daemon=True, name="press-export"
    )
    thread.start()
    return job


def _write(app: Flask, petition_id: int, fmt: str, job: Job, lock) -> None:
    try:
        with app.app_context():
            try:
                petition = db.session.get(Petition, petition_id)
                with open(job.temp_path, "wb") as out:
                    for chunk in press_chunks(petition, fmt):
                        out.write(chunk)
                        out.flush()
                # The file's time is when its data was read: ETag and Last-Modified follow it.
                os.utime(job.temp_path, ns=(job.started_ns, job.started_ns))
                os.replace(job.temp_path, job.path)
            finally:
                db.session.remove()
    except Exception:
        job.failed = True
        app.logger.exception("press export of call %s (%s) failed", petition_id, fmt)
        with contextlib.suppress(FileNotFoundError):
            os.remove(job.temp_path)
    finally:
        # Release the lock before telling readers: a request that follows the one that
        # waited for this file must be able to start the next regeneration.
        lock.close()
        with _jobs_lock:
            _jobs.pop(job.path, None)
        job.done.set()


def _follow(job: Job, reader: BinaryIO) -> Iterator[bytes]:
    """Read the file as the writer writes it, until the writer is done."""
    with reader as f:  # opened before any rename, so still readable after it
        while True:
            chunk = f.read(READ_SIZE)
            if chunk:
                yield chunk
                continue
            if job.done.is_set():
                rest = f.read()
                if job.failed:
                    # Cut the download short rather than hand out half a list as whole.
                    raise RuntimeError("press export failed while streaming")
                if rest:
                    yield rest
                return
            job.done.wait(_POLL_SECONDS)


def wait_for_jobs(timeout: float = 30.0) -> None:
    """Block until every writer of this process is done (tests and shutdown)."""
    with _jobs_lock:
        jobs = list(_jobs.values())
    for job in jobs:
        job.done.wait(timeout)
