"""Organiser export pages: admins only (they hold personal data), every download audited."""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, Delivery, DeliveryPackage, Petition

from ..helpers.journey import CSRF
from .helpers import NAMES, add_excluded, add_signature, reconcile

BASE = "/organiser/exports/call-to-governments"


@pytest.fixture
def open_app(app, petition, organisers):
    with app.app_context():
        add_signature(petition["id"], NAMES["latin"], country="CH", email="zoe@example.org")
        add_signature(
            petition["id"], "Jean Dupont", country="FR", public=False, email="jean@example.org"
        )
        add_excluded(petition["id"])
        db.session.commit()
        reconcile(petition["id"])
    return app


def test_organiser_pages_are_for_admins_only(open_app, as_role):
    for url in (f"{BASE}/delivery", f"{BASE}/signatures-full.csv", f"{BASE}/delivery/x.zip"):
        anonymous = as_role(None).get(url)
        assert anonymous.status_code == 302
        assert anonymous.headers["Location"].startswith("/organiser/sign-in?next=")
        for role in ("editor", "moderator"):
            response = as_role(role).get(url)
            assert response.status_code == 403
            assert response.headers["Cache-Control"] == "no-store"
    # refused before the view by the session CSRF check
    assert as_role("editor").post(f"{BASE}/delivery", data={"country": "CH"}).status_code == 400


def test_organiser_makes_and_downloads_a_swiss_package(open_app, as_role, organisers, caplog):
    client = as_role("admin")
    public = as_role(None)
    deliveries_before = public.get("/petitions/call-to-governments/deliveries").data
    page = client.get(f"{BASE}/delivery")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert '<option value="CH">Switzerland</option>' in html
    token = CSRF.search(html).group(1)
    queued = client.post(
        f"{BASE}/delivery", data={"csrf_token": token, "country": "CH", "language": "en"}
    )
    assert queued.status_code == 303  # to the job's page; a worker builds the package
    job_page = queued.headers["Location"]
    assert re.fullmatch(rf"{BASE}/delivery/jobs/\d+", job_page)
    result = open_app.test_cli_runner().invoke(args=["export", "work", "--until-empty"])
    assert result.exit_code == 0, result.output
    ready = client.get(job_page)
    assert ready.status_code == 200
    text = ready.get_data(as_text=True)
    with open_app.app_context():
        (package,) = db.session.scalars(select(DeliveryPackage)).all()
        assert db.session.scalars(select(Delivery)).all() == []  # a draft, not a delivery
        assert db.session.scalar(select(Petition.delivered_at)) is None
        [built] = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "build_delivery_package")
        ).all()
        assert (built.target_id, built.actor_id) == (str(package.id), organisers["admin"]["id"])
    assert package.manifest_sha256 in text and package.signature_count == 1
    assert package.built_by_id == organisers["admin"]["id"]
    assert package.zip_name.startswith("call-to-governments-CH-") and package.zip_name in text
    assert "Nothing is public yet" in text
    link = re.search(r'href="(/organiser/exports/[^"]+\.zip)"', text).group(1)
    with caplog.at_level(logging.INFO, logger="campaign.exports.personal_data"):
        download = client.get(link)
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert download.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    assert "CH/manifest.json" in archive.namelist()
    assert "kind=delivery:" in caplog.text
    assert client.get(f"{BASE}/delivery/..%2Fsecret.zip").status_code == 404
    assert client.get(f"{BASE}/delivery/missing.zip").status_code == 404
    # Building and downloading published nothing.
    call_page = public.get("/petitions/call-to-governments").get_data(as_text=True)
    assert package.manifest_sha256 not in call_page and "Deliveries" not in call_page
    assert public.get("/petitions/call-to-governments/deliveries").data == deliveries_before


def test_delivery_form_refuses_a_country_without_signatures(open_app, as_role):
    client = as_role("admin")
    token = CSRF.search(client.get(f"{BASE}/delivery").get_data(as_text=True)).group(1)
    response = client.post(
        f"{BASE}/delivery", data={"csrf_token": token, "country": "JP", "language": "en"}
    )
    assert response.status_code == 422
    assert "Please choose a country from the list." in response.get_data(as_text=True)
    no_token = client.post(f"{BASE}/delivery", data={"country": "CH", "language": "en"})
    assert no_token.status_code in (400, 422)
    with open_app.app_context():
        assert db.session.scalars(select(DeliveryPackage)).all() == []


def test_admin_full_download_has_emails_of_counted_signatures_and_is_audited(
    open_app, as_role, caplog
):
    client = as_role("admin")
    with caplog.at_level(logging.INFO, logger="campaign.exports.personal_data"):
        response = client.get(f"{BASE}/signatures-full.csv")
        data = response.data.decode("utf-8")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(data)))
    assert {r["email"] for r in rows} == {"zoe@example.org", "jean@example.org"}
    assert all(r["public_id"] for r in rows)
    for excluded in ("pending@", "suspect@", "invalidated@", "withdrawn@"):
        assert excluded not in data
    assert "kind=full-signature-data" in caplog.text and "rows=2" in caplog.text
    assert "zoe@example.org" not in caplog.text  # the log records the act, not the data
    with open_app.app_context():
        [entry] = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "export.download")
        ).all()
        assert entry.changes == {"kind": "full-signature-data", "rows": 2}
        assert entry.actor.role == "admin"


def test_call_page_lists_the_latest_deliveries_and_links_to_all(open_app, as_role, petition):
    with open_app.app_context():
        for i in range(12):
            package = DeliveryPackage(
                petition_id=petition["id"],
                recipient_country="CH" if i else "FR",
                signature_count=i,
                language="en",
                mode="names",
                manifest_sha256=f"{i:064x}",
            )
            db.session.add(package)
            db.session.flush()
            db.session.add(
                Delivery(
                    petition_id=petition["id"],
                    package_id=package.id,
                    country=package.recipient_country,
                    delivered_on=date(2026, 1, 1) + timedelta(days=i),
                    channel="by_hand" if i else "post",
                    body="Federal Chancellery" if i else "Ministère des Affaires étrangères",
                    handed_over_by="Helpers United",
                    signature_count=i,
                    manifest_sha256=package.manifest_sha256,
                )
            )
        db.session.commit()
    client = as_role("admin")
    page = client.get("/petitions/call-to-governments").get_data(as_text=True)
    assert page.count('<code class="sha256">') == 10
    assert f"{11:064x}" in page and f"{0:064x}" not in page  # latest first
    assert "See all 12 deliveries" in page
    assert "Federal Chancellery" in page and "By hand" in page
    everything = client.get("/petitions/call-to-governments/deliveries")
    assert everything.status_code == 200
    assert everything.headers["Cache-Control"].startswith("public")
    html = everything.get_data(as_text=True)
    assert html.count('<code class="sha256">') == 12 and "France" in html
    assert "Ministère des Affaires étrangères" in html and "By post" in html
    assert "Helpers United" not in html  # who handed it over stays in the back office
