"""Packages asked for in the back office are built by the worker, not in the request.

Over HTTP with the test client, the worker run in process (``flask export
work --until-empty``): the form queues a job and redirects to its page,
the worker builds it, and the page then offers the ZIP. Failures, a stale
worker, leftovers of a crash and a stopping worker are checked here too;
a worker killed for real is in ``test_job_processes.py``.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from campaign.exports import job_leases, job_worker
from campaign.exports.storage import scratch_dir
from campaign.extensions import db
from campaign.models import (
    AuditEntry,
    DeliveryPackage,
    JobStatus,
    PackageJob,
    Signature,
    utcnow,
)

from ..helpers.journey import CSRF
from .helpers import add_signature, package_bytes, package_files, reconcile

BASE = "/organiser/exports/call-to-governments"


@pytest.fixture
def signed(app, petition):
    """Five signatures in Switzerland, three in France, two in Kenya."""
    with app.app_context():
        for country, n in (("CH", 5), ("FR", 3), ("KE", 2)):
            for i in range(n):
                add_signature(petition["id"], f"Signer {country} {i}", country=country)
        db.session.commit()
        reconcile(petition["id"])
    return petition


def _ask(client, **data) -> str:
    """Post the package form as a person would; returns the job page's path."""
    token = CSRF.search(client.get(f"{BASE}/delivery").get_data(as_text=True)).group(1)
    response = client.post(f"{BASE}/delivery", data={"csrf_token": token, **data})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def _work(app) -> None:
    result = app.test_cli_runner().invoke(args=["export", "work", "--until-empty"])
    assert result.exit_code == 0, result.output


def _job(app) -> PackageJob:
    with app.app_context():
        (job,) = db.session.scalars(select(PackageJob)).all()
        db.session.expunge(job)
        return job


def _scratch(app) -> Path:
    with app.app_context():
        return Path(scratch_dir())


def _files(app) -> list[str]:
    """The packages kept, and what the worker's scratch folder holds (staging folders)."""
    return package_files(app)


def test_the_form_queues_a_job_and_the_worker_builds_it(app, signed, as_role, organisers):
    client = as_role("admin")
    job_page = _ask(client, country="", language="fr")
    assert re.fullmatch(rf"{BASE}/delivery/jobs/\d+", job_page)

    waiting = client.get(job_page)
    assert waiting.status_code == 200 and waiting.headers["Cache-Control"] == "no-store"
    html = waiting.get_data(as_text=True)
    assert "Waiting for the package worker to start it." in html
    assert "with the letter in French;" in html  # the language named in the page's own
    assert '<progress aria-labelledby="job-progress-label" max="10" value="0">' in html
    assert "0 of 10 signatures written" in html
    assert 'src="/static/js/job-progress.js"' in html and "<script>" not in html
    assert f'href="{job_page}">Refresh</a>' in html  # without a script
    assert client.get(job_page + ".json").get_json() == {
        "status": "queued",
        "done": 0,
        "total": 10,
        "finished": False,
        "message": None,
    }
    assert _files(app) == []

    _work(app)
    job = _job(app)
    assert (job.status, job.progress_done, job.progress_total) == ("done", 10, 10)
    assert job.attempts == 1 and job.lease_owner is None and job.finished_at is not None
    assert client.get(job_page + ".json").get_json()["finished"] is True

    ready = client.get(job_page).get_data(as_text=True)
    assert "The package is ready" in ready and "<progress" not in ready
    assert "job-progress.js" not in ready
    assert "Record or deliver it on the Deliveries page" in ready
    link = re.search(r'href="(/organiser/exports/[^"]+\.zip)"', ready).group(1)
    assert link.endswith("/" + job.zip_name)
    archive = zipfile.ZipFile(io.BytesIO(client.get(link).data))
    assert {name.split("/")[0] for name in archive.namelist()} == {"CH", "FR", "KE"}
    # Nothing half-made is left beside the ZIP.
    assert _files(app) == [job.zip_name]

    with app.app_context():
        packages = db.session.scalars(select(DeliveryPackage).order_by(DeliveryPackage.id)).all()
        assert [p.id for p in packages] == job.package_ids
        assert [(p.recipient_country, p.signature_count, p.language) for p in packages] == [
            ("CH", 5, "fr"),
            ("FR", 3, "fr"),
            ("KE", 2, "fr"),
        ]
        assert {p.built_by_id for p in packages} == {organisers["admin"]["id"]}
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.actor_id == organisers["admin"]["id"])
        ).all()
        assert actions.count("queue_delivery_package") == 1
        assert actions.count("build_delivery_package") == 3
    for package in packages:
        assert package.manifest_sha256 in ready
    # The list of packages asked for links to the job.
    listing = client.get(f"{BASE}/delivery").get_data(as_text=True)
    assert f'href="{job_page}"' in listing and "Every government" in listing


def test_asking_twice_for_the_same_package_queues_it_once(app, signed, as_role):
    client = as_role("admin")
    first = _ask(client, country="CH", language="en")
    assert _ask(client, country="CH", language="en") == first
    other = _ask(client, country="CH", language="fr")
    assert other != first
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(PackageJob)) == 2


def test_a_package_that_cannot_be_built_fails_with_its_reason(app, signed, as_role):
    client = as_role("admin")
    job_page = _ask(client, country="", language="en")
    with app.app_context():
        # Every signature was invalidated before the worker came to it.
        db.session.execute(update(Signature).values(validity="invalidated"))
        db.session.commit()
        reconcile(signed["id"])
    _work(app)
    job = _job(app)
    assert job.status == "failed" and job.zip_name is None
    assert job.message == "This call has no counted signatures to deliver."
    page = client.get(job_page).get_data(as_text=True)
    assert "The package could not be built" in page
    assert "This call has no counted signatures to deliver." in page and "Try again" in page
    french = client.get(f"/fr{job_page}").get_data(as_text=True)
    assert "Cet appel n’a aucune signature comptée à remettre." in french
    assert client.get(job_page + ".json").get_json()["status"] == "failed"
    assert _files(app) == []


def test_an_unexpected_error_fails_the_job_and_leaves_nothing(app, signed, as_role, monkeypatch):
    def broken(*args, **kwargs):
        os.makedirs(kwargs["out_dir"], exist_ok=True)
        Path(kwargs["out_dir"], "half.zip.part").write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(job_worker, "build_delivery", broken)
    client = as_role("admin")
    job_page = _ask(client, country="", language="en")
    _work(app)
    job = _job(app)
    assert job.status == "failed"
    assert job.message == "OSError: [Errno 28] No space left on device"
    assert "No space left on device" in client.get(job_page).get_data(as_text=True)
    assert _files(app) == []


def test_a_job_whose_worker_died_is_taken_over_and_its_leftovers_removed(app, signed, as_role):
    client = as_role("admin")
    _ask(client, country="", language="en")
    with app.app_context():
        job_id = job_leases.claim("dead-worker", lease_seconds=60)
        # It had reserved its ZIP's name, then died and left its staging folder behind
        # (its ZIP never reached the database: that happens with the commit that records it).
        folder = _scratch(app)
        (folder / f".job-{job_id}-1").mkdir(parents=True)
        (folder / f".job-{job_id}-1" / "CH").mkdir()
        db.session.execute(
            update(PackageJob).values(
                zip_name="call-to-governments-all-20260101-000000.zip",
                progress_done=7,
            )
        )
        db.session.commit()
        # While its lease runs, nobody else takes it.
        assert job_leases.claim("other-worker", lease_seconds=60) is None
        db.session.execute(update(PackageJob).values(lease_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    _work(app)
    job = _job(app)
    assert (job.status, job.attempts, job.message) == ("done", 2, job_leases.TAKEN_OVER)
    assert _files(app) == [job.zip_name]
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(DeliveryPackage)) == 3


def test_a_job_that_keeps_killing_its_worker_is_given_up(app, signed, as_role):
    client = as_role("admin")
    job_page = _ask(client, country="CH", language="en")
    with app.app_context():
        db.session.execute(
            update(PackageJob).values(
                status="running",
                attempts=3,
                lease_owner="dead-worker",
                lease_until=utcnow() - timedelta(seconds=1),
            )
        )
        db.session.commit()
    _work(app)
    job = _job(app)
    assert (job.status, job.message) == ("failed", job_leases.GIVEN_UP)
    assert "Given up: every worker that took it stopped" in client.get(job_page).get_data(
        as_text=True
    )


def test_a_worker_that_lost_its_lease_changes_nothing(app, signed, as_role):
    client = as_role("admin")
    _ask(client, country="", language="en")
    with app.app_context():
        job_id = job_leases.claim("slow-worker", lease_seconds=60)
        # Another worker took the job over while this one stalled.
        db.session.execute(update(PackageJob).values(lease_owner="new-worker"))
        db.session.commit()
        job_worker.build_job(job_worker._load(job_id), "slow-worker", lambda: False)
    job = _job(app)
    assert (job.status, job.lease_owner, job.progress_done) == ("running", "new-worker", 0)
    with app.app_context():
        assert db.session.scalars(select(DeliveryPackage)).all() == []
    assert _files(app) == []


def test_a_stopping_worker_gives_its_job_back(app, signed, as_role):
    client = as_role("admin")
    job_page = _ask(client, country="", language="en")
    with app.app_context():
        assert job_worker.run_one("stopping-worker", should_stop=lambda: True) is not None
    job = _job(app)
    assert (job.status, job.attempts, job.lease_owner) == ("queued", 0, None)
    assert job.message == job_leases.RELEASED
    assert job_leases.RELEASED in client.get(job_page).get_data(as_text=True)
    assert _files(app) == []
    _work(app)
    assert _job(app).status == JobStatus.DONE


def test_another_calls_job_is_not_found(app, signed, as_role):
    client = as_role("admin")
    job_page = _ask(client, country="CH", language="en")
    job_id = job_page.rsplit("/", 1)[1]
    assert client.get(f"/organiser/exports/no-such-call/delivery/jobs/{job_id}").status_code == 404
    assert client.get(f"{BASE}/delivery/jobs/{int(job_id) + 1}").status_code == 404
    assert client.get(f"{BASE}/delivery/jobs/{int(job_id) + 1}.json").status_code == 404


def test_packages_built_in_the_same_second_keep_files_of_their_own(
    app, signed, as_role, monkeypatch
):
    """Names hold the time to the second: the second package must not replace the first."""
    moment = utcnow().replace(microsecond=0)
    monkeypatch.setattr(job_worker, "utcnow", lambda: moment)
    client = as_role("admin")
    _ask(client, country="CH", language="en")
    _ask(client, country="CH", language="fr")
    _work(app)
    with app.app_context():
        jobs = db.session.scalars(select(PackageJob).order_by(PackageJob.id)).all()
        assert [job.status for job in jobs] == ["done", "done"]
        names = [job.zip_name for job in jobs]
        assert names[0] != names[1]
        assert names[1] == names[0].replace(
            moment.strftime("%H%M%S"), (moment + timedelta(seconds=1)).strftime("%H%M%S")
        )
        for job, language in zip(jobs, ("en", "fr"), strict=True):
            (package,) = db.session.scalars(
                select(DeliveryPackage).where(DeliveryPackage.zip_name == job.zip_name)
            ).all()
            assert package.language == language
            archive = zipfile.ZipFile(io.BytesIO(package_bytes(app, job.zip_name)))
            manifest = archive.read("CH/manifest.json")
            assert f'"language": "{language}"'.encode() in manifest
    assert _files(app) == sorted(names)


def test_a_name_another_worker_reserved_is_not_taken(app, signed, as_role, monkeypatch):
    """Two workers starting in the same second: the row's unique name decides, not the disk."""
    moment = utcnow().replace(microsecond=0)
    monkeypatch.setattr(job_worker, "utcnow", lambda: moment)
    client = as_role("admin")
    _ask(client, country="CH", language="fr")
    _ask(client, country="CH", language="en")
    taken = f"call-to-governments-CH-{moment:%Y%m%d-%H%M%S}.zip"
    with app.app_context():
        first = job_leases.claim("other-worker", lease_seconds=60)
        # The other worker has reserved the name and is still building (no file yet).
        db.session.execute(update(PackageJob).where(PackageJob.id == first).values(zip_name=taken))
        db.session.commit()
        second = job_worker.run_one("this-worker")
        job = db.session.get(PackageJob, second)
        assert job.status == "done" and job.zip_name != taken
    assert _files(app) == [job.zip_name]
