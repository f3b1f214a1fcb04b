"""Package workers as real processes: one killed mid-build, one stopped by its supervisor.

``flask export work`` runs as a subprocess on the test database (SQLite
file or PostgreSQL), as production runs it beside gunicorn. A worker
killed with SIGKILL leaves its job leased; once the lease runs out another
worker takes it over, starts again and finishes, and nothing half-written
is ever under a name a page links to. SIGTERM gives the job back at once.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from campaign.exports import job_leases
from campaign.exports.jobs import queue_package_job
from campaign.exports.seeding import seed_signatures
from campaign.extensions import db
from campaign.models import DeliveryPackage, PackageJob, Petition
from campaign.petitions.counters import reconcile_counts

from ..helpers.app import ROOT
from ..helpers.servers import worker_command_env
from .helpers import package_bytes, package_files

SIGNATURES = 4000
LEASE_SECONDS = 3
COMMAND = [sys.executable, "-m", "flask", "--app", "wsgi", "export", "work"]


@pytest.fixture
def queued(app, petition) -> int:
    """Thousands of signatures from many countries, and the package for all of them queued."""
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        for _size in seed_signatures(call, SIGNATURES, seed=16):
            db.session.commit()
        reconcile_counts(call)
        job, _new = queue_package_job(call, country=None, language="en", requested_by=None)
        db.session.commit()
        return job.id


def _start(app, database_url, smtp, log: Path, *args: str) -> subprocess.Popen:
    env = worker_command_env(
        database_url,
        smtp,
        EXPORT_DIR=app.config["EXPORT_DIR"],
        PACKAGE_JOB_LEASE_SECONDS=str(LEASE_SECONDS),
        PACKAGE_JOB_PROGRESS_SECONDS="0",  # every step of progress is written: many samples
    )
    return subprocess.Popen(
        [*COMMAND, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
        start_new_session=True,
    )


def _row(app, job_id: int) -> PackageJob:
    with app.app_context():
        row = db.session.get(PackageJob, job_id)
        db.session.expunge(row)
        return row


def _watch(app, job_id: int, until, process: subprocess.Popen, log: Path, seconds: float = 90):
    """Poll the job's row until ``until(row)``; returns each (attempt, progress) seen."""
    seen: list[tuple[int, int]] = []
    deadline = time.monotonic() + seconds
    while True:
        row = _row(app, job_id)
        if not seen or seen[-1] != (row.attempts, row.progress_done):
            seen.append((row.attempts, row.progress_done))
        if until(row):
            return row, seen
        if process.poll() is not None and not until(_row(app, job_id)):
            pytest.fail(f"the worker exited ({process.returncode}): {log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the job did not get there: {row.status} {row.progress_done}")
        time.sleep(0.05)


def _files(app) -> list[str]:
    return package_files(app)


def test_a_killed_workers_job_is_taken_over_and_finished(app, smtp, database_url, queued, tmp_path):
    victim_log, survivor_log = tmp_path / "victim.log", tmp_path / "survivor.log"
    victim = _start(app, database_url, smtp, victim_log)
    try:
        row, seen = _watch(app, queued, lambda r: r.progress_done > 0, victim, victim_log)
    finally:
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
    row = _row(app, queued)
    assert row.status == "running" and row.progress_done < row.progress_total == SIGNATURES
    # Killed in the middle: its staging folder is there, no ZIP under any name a page links to.
    assert [name for name in _files(app) if not name.startswith(".job-")] == []

    # Its lease runs out; until then nobody takes the job.
    time.sleep(max(0.0, (row.lease_until.timestamp() - time.time())) + 0.3)
    survivor = _start(app, database_url, smtp, survivor_log, "--until-empty")
    try:
        row, seen = _watch(app, queued, lambda r: r.status == "done", survivor, survivor_log)
        assert survivor.wait(30) == 0, survivor_log.read_text()[-3000:]
    finally:
        if survivor.poll() is None:
            os.killpg(survivor.pid, signal.SIGKILL)
    # The bar moved through the second attempt, forwards only, to the whole count.
    seen = [done for attempt, done in seen if attempt == 2]
    assert seen == sorted(seen) and seen[-1] == SIGNATURES
    assert any(0 < done < SIGNATURES for done in seen), seen
    assert (row.attempts, row.message, row.lease_owner) == (2, job_leases.TAKEN_OVER, None)

    assert _files(app) == [row.zip_name]  # the dead worker's staging folder is gone
    with app.app_context():
        packages = db.session.scalars(select(DeliveryPackage).order_by(DeliveryPackage.id)).all()
    assert [p.id for p in packages] == row.package_ids  # only the finished attempt's
    archive = zipfile.ZipFile(io.BytesIO(package_bytes(app, row.zip_name)))
    counts = {
        name.split("/")[0]: json.loads(archive.read(name))["signature_count"]
        for name in archive.namelist()
        if name.endswith("/manifest.json")
    }
    assert counts == {p.recipient_country: p.signature_count for p in packages}
    assert sum(counts.values()) == SIGNATURES


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_a_stopped_worker_gives_its_job_back(app, smtp, database_url, queued, tmp_path, stop):
    """A supervisor's SIGTERM, or Ctrl-C in a terminal: the job is free again at once."""
    log = tmp_path / "worker.log"
    worker = _start(app, database_url, smtp, log)
    try:
        _watch(app, queued, lambda r: r.progress_done > 0, worker, log)
        started = time.monotonic()
        os.killpg(worker.pid, stop)
        try:
            code = worker.wait(15)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the worker did not stop: {log.read_text()[-3000:]}")
        assert code == 0, log.read_text()[-3000:]
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    assert time.monotonic() - started < 10  # it did not finish the package first
    row = _row(app, queued)
    assert (row.status, row.lease_owner, row.attempts) == ("queued", None, 0)
    assert row.message == job_leases.RELEASED
    assert _files(app) == []
