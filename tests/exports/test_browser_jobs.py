"""An administrator asks for the package for every government and watches it being built.

Headless Chromium on the app served over HTTP, and the package worker as a
real process: the form leads to the job's page, whose progress bar moves
while the worker writes (the page's script polls the job's JSON, under
the strict Content-Security-Policy), and which offers the ZIP once done.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile

import pytest
from playwright.sync_api import expect

from campaign.exports.seeding import seed_signatures
from campaign.extensions import db
from campaign.models import Petition
from campaign.petitions.counters import reconcile_counts

from ..helpers.app import ROOT
from ..helpers.backoffice import sign_in_on_the_way
from ..helpers.browser import AXE, browser_errors, describe_violations, run_axe, screenshot
from ..helpers.servers import worker_command_env

pytestmark = pytest.mark.browser

SIGNATURES = 4000


def test_admin_watches_the_package_being_built_then_downloads_it(
    live_server, page, organisers, smtp, database_url, artifacts, tmp_path
):
    app = live_server.app
    with app.app_context():
        from campaign.petitions.cli import seed_demo

        call, _created = seed_demo()
        db.session.commit()
        call = db.session.get(Petition, call.id)
        for _size in seed_signatures(call, SIGNATURES, seed=3):
            db.session.commit()
        reconcile_counts(call)
        db.session.commit()

    errors = browser_errors(page)
    path = "/organiser/exports/call-to-governments/delivery"
    sign_in_on_the_way(page, live_server.url, path, organisers["admin"]["email"])
    expect(page.get_by_label("Recipient")).to_have_value("")  # every government
    page.get_by_role("button", name="Make the package").click()
    page.wait_for_url("**/delivery/jobs/*")
    expect(page.locator("h1")).to_have_text("Building the package")
    expect(page.get_by_text("Waiting for the package worker to start it.")).to_be_visible()
    # With the script running, the page says it updates itself; the Refresh link is for
    # browsers without one.
    expect(page.get_by_text("This page updates by itself")).to_be_visible()
    expect(page.get_by_role("link", name="Refresh")).to_be_hidden()
    violations = run_axe(page, AXE.read_text())
    assert violations == [], "\n".join(describe_violations("the waiting page", violations))

    log = tmp_path / "worker.log"
    env = worker_command_env(
        database_url,
        smtp,
        EXPORT_DIR=app.config["EXPORT_DIR"],
        PACKAGE_JOB_PROGRESS_SECONDS="0.2",
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "export", "work"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
        start_new_session=True,
    )
    try:
        values = _watch_the_bar(page, artifacts)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(15)
    # The bar moved while the page stayed (no reload between these readings).
    assert any(0 < value < SIGNATURES for value in values), (values, log.read_text()[-2000:])
    assert values == sorted(values)

    expect(page.locator("h1")).to_have_text("The package is ready")
    screenshot(page, artifacts / "package-job-done.png", full_page=True)
    violations = run_axe(page, AXE.read_text())
    assert violations == [], "\n".join(describe_violations("the ready page", violations))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download call-to-governments-all-").click()
    archive = zipfile.ZipFile(download_info.value.path())
    assert "CH/manifest.json" in archive.namelist()
    page.get_by_role("link", name="Record or deliver it on the Deliveries page").click()
    page.wait_for_url("**/deliveries")
    expect(page.get_by_role("heading", name="Packages built")).to_be_visible()
    assert errors == []  # nothing the Content-Security-Policy refused


def _watch_the_bar(page, artifacts) -> list[float]:
    """Read the progress bar until the finished page replaces it; its values on the way."""
    values: list[float] = []
    deadline = time.monotonic() + 90
    shot = False
    while time.monotonic() < deadline:
        try:
            value = page.evaluate(
                "() => { const p = document.querySelector('progress'); return p ? p.value : null }"
            )
        except Exception:  # the page is reloading
            value = None
        if value is None and page.locator("h1").inner_text() == "The package is ready":
            return values
        if value is not None and (not values or values[-1] != value):
            values.append(value)
            if value > 0 and not shot:
                screenshot(page, artifacts / "package-job-progress.png", full_page=True)
                shot = True
        time.sleep(0.1)
    pytest.fail(f"the package was not ready in time; the bar read {values}")


def test_admin_fixes_a_refused_retention_period(live_server, page, organisers):
    """The settings page in a browser: a clear message at the field, then saved."""
    with live_server.app.app_context():
        from campaign.petitions.cli import seed_demo

        call, _created = seed_demo()
        db.session.commit()
        path = f"/organiser/calls/{call.id}/personal-data"
    errors = browser_errors(page)
    sign_in_on_the_way(page, live_server.url, path, organisers["admin"]["email"])
    field = page.get_by_label("Days to keep unconfirmed signatures")
    field.fill("thirty")
    page.get_by_role("button", name="Save the retention periods").click()
    expect(page.get_by_role("alert")).to_contain_text("from 1 to 3650")
    expect(field).to_have_attribute("aria-invalid", "true")
    violations = run_axe(page, AXE.read_text())
    assert violations == [], "\n".join(describe_violations("the refused form", violations))
    field.fill("14")
    page.get_by_role("button", name="Save the retention periods").click()
    expect(page.get_by_text("The retention periods are saved.")).to_be_visible()
    expect(page.get_by_label("Days to keep unconfirmed signatures")).to_have_value("14")
    page.get_by_label("Totals only").check()
    page.get_by_role("button", name="Save the delivery settings").click()
    expect(page.get_by_text("The delivery settings are saved.")).to_be_visible()
    expect(page.get_by_label("Totals only")).to_be_checked()
    # The refused form's 422 is the one error the console reports, and is meant.
    assert [error for error in errors if "status of 422" not in error] == []
