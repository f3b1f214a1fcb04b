"""Delivery packages: contents, privacy, manifest hashes, the PDFs' text, counts-only mode."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, Delivery, DeliveryPackage, Petition

from ..helpers.app import ROOT
from .helpers import NAMES, add_excluded, add_signature, reconcile
from .pdf_inspect import BIDI_CONTROLS, pdftotext


@pytest.fixture
def swiss(app, petition):
    """Signers in Switzerland writing in five scripts, others elsewhere, and excluded rows."""
    with app.app_context():
        pid = petition["id"]
        for script, name in NAMES.items():
            add_signature(
                pid, name, country="CH", public=script != "arabic", email=f"{script}@x.org"
            )
        add_signature(pid, "=cmd|' /C calc'!A0", country="CH")
        add_signature(pid, "Jean Dupont", country="FR")
        add_signature(pid, "Иван Петров", country="RU")
        excluded = add_excluded(pid, country="CH")
        db.session.commit()
        reconcile(pid)
    return excluded


def _run(runner, *args: str):
    result = runner.invoke(args=["export", "delivery", "call-to-governments", *args])
    assert result.exit_code == 0, result.output
    return result


def _zip(out: Path) -> zipfile.ZipFile:
    (path,) = out.glob("*.zip")
    return zipfile.ZipFile(path)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_swiss_package_holds_the_letter_lists_and_a_manifest_that_verifies(
    app, runner, swiss, tmp_path
):
    result = _run(runner, "--country", "CH", "--out", str(tmp_path))
    archive = _zip(tmp_path)
    assert sorted(archive.namelist()) == [
        "CH/SHA256SUMS",
        "CH/letter.pdf",
        "CH/manifest.json",
        "CH/signatures.csv",
        "CH/signatures.pdf",
        "CH/signed_root.json",
    ]
    files = {name.removeprefix("CH/"): archive.read(name) for name in archive.namelist()}
    manifest = json.loads(files["manifest.json"])
    assert manifest["recipient"] == {"country": "CH", "name": "Switzerland"}
    assert manifest["signature_count"] == 6 and manifest["total_signature_count"] == 8
    assert manifest["mode"] == "names" and manifest["exported_at"].endswith("Z")
    # every listed hash is the hash of the file as shipped; the list hash is the CSV's bytes
    listed = {f["name"]: f for f in manifest["files"]}
    assert set(listed) == {"letter.pdf", "signatures.pdf", "signatures.csv", "SHA256SUMS"}
    for name, entry in listed.items():
        assert entry["sha256"] == _sha(files[name]), name
        assert entry["bytes"] == len(files[name])
    assert manifest["list_sha256"] == _sha(files["signatures.csv"])
    # the receipts' Merkle tree holds exactly the signatures listed (campaign.receipts)
    assert manifest["receipts"]["tree_size"] == 6
    assert manifest["receipts"]["hash_algorithm"] == "RFC9162_SHA256"
    sums = files["SHA256SUMS"].decode()
    assert f"{_sha(files['letter.pdf'])}  letter.pdf\n" in sums
    # the manifest's own hash is what the CLI printed and what the site records and shows
    manifest_sha = _sha(files["manifest.json"])
    assert manifest_sha in result.output
    with app.app_context():
        (package,) = db.session.scalars(select(DeliveryPackage)).all()
        assert (package.recipient_country, package.signature_count) == ("CH", 6)
        assert package.manifest_sha256 == manifest_sha and package.language == "en"
        assert package.zip_name == _zip(tmp_path).filename.rsplit("/", 1)[1]
        assert package.built_by_id is None  # the command line
        # A package is a draft: nothing is delivered, and retention has not started.
        assert db.session.scalars(select(Delivery)).all() == []
        assert db.session.get(Petition, package.petition_id).delivered_at is None
        [entry] = db.session.scalars(select(AuditEntry)).all()
        assert (entry.action, entry.actor_id) == ("build_delivery_package", None)
    client = app.test_client()
    page = client.get("/petitions/call-to-governments").get_data(as_text=True)
    assert "Deliveries" not in page and manifest_sha not in page
    listed = client.get("/petitions/call-to-governments/deliveries").get_data(as_text=True)
    assert "Nothing has been delivered yet." in listed and manifest_sha not in listed

    # the CSV: this country's counted signatures only, oldest first, formulas neutralised
    rows = list(csv.reader(io.StringIO(files["signatures.csv"].decode("utf-8"))))
    assert rows[0] == ["name", "country_code", "country_name", "confirmed_on"]
    assert [r[0] for r in rows[1:]] == [*NAMES.values(), "'=cmd|' /C calc'!A0"]
    assert all(r[1:3] == ["CH", "Switzerland"] for r in rows[1:])
    for data in files.values():
        assert b"@x.org" not in data and b"@example.org" not in data
        for name in swiss:
            assert name.encode() not in data
        assert b"Jean Dupont" not in data


def test_pdfs_render_names_in_every_script(runner, swiss, tmp_path):
    _run(runner, "--country", "CH", "--out", str(tmp_path))
    archive = _zip(tmp_path)
    # As a recipient copies them out (poppler); test_pdf_scripts.py has the hard cases.
    listing = pdftotext(archive.read("CH/signatures.pdf")).translate(BIDI_CONTROLS)
    for name in NAMES.values():  # diacritics, Cyrillic, Arabic, Chinese, Devanagari shaped
        assert name in listing.splitlines(), name
    assert "Pending Person" not in listing and "Invalidated Person" not in listing
    letter = _pdf_text(archive.read("CH/letter.pdf"))
    assert "Federal Department of Foreign Affairs" in letter  # the call's Swiss target
    assert "Dear Sir or Madam," in letter and "Yours faithfully," in letter
    assert "Signatures from Switzerland: 6" in letter
    assert "Signatures worldwide: 8" in letter
    assert "Lech Wałęsa" in letter and "Desmond Tutu" in letter  # notable signatories
    assert "Signatures by country" in letter and "Russia" in letter  # the chart page
    assert "Governments: stop the cyberattacks on healthcare" in letter
    assert "Reaffirm the rules." in letter  # the call text, without Markdown marks
    assert "**" not in letter


def test_letter_in_french_uses_french_dates_and_country_names(runner, swiss, tmp_path):
    _run(runner, "--country", "CH", "--lang", "fr", "--out", str(tmp_path))
    archive = _zip(tmp_path)
    letter = _pdf_text(archive.read("CH/letter.pdf"))
    assert "Suisse" in letter and "janvier 2026" in letter
    assert json.loads(archive.read("CH/manifest.json"))["language"] == "fr"


def test_counts_only_package_names_nobody(app, runner, swiss, tmp_path):
    with app.app_context():
        call = db.session.scalar(select(Petition))
        call.delivery_mode = "counts_only"
        db.session.commit()
    _run(runner, "--country", "CH", "--out", str(tmp_path))
    archive = _zip(tmp_path)
    assert sorted(archive.namelist()) == [
        "CH/SHA256SUMS",
        "CH/letter.pdf",
        "CH/manifest.json",
        "CH/signed_root.json",
    ]
    manifest = json.loads(archive.read("CH/manifest.json"))
    assert manifest["mode"] == "counts_only" and manifest["signature_count"] == 6
    # Names left out, each counted signer can still prove they were counted.
    assert manifest["receipts"]["tree_size"] == 6
    assert manifest["list_sha256"] is None and manifest["fields"] == []
    letter = _pdf_text(archive.read("CH/letter.pdf"))
    assert "totals only" in letter and "Signatures from Switzerland: 6" in letter
    for name in NAMES.values():
        assert name not in letter and name not in letter.replace(" ", "")
    with app.app_context():
        assert db.session.scalar(select(DeliveryPackage.mode)) == "counts_only"


def test_all_countries_package_has_one_folder_each(app, runner, swiss, tmp_path):
    result = _run(runner, "--out", str(tmp_path))
    archive = _zip(tmp_path)
    folders = sorted({name.split("/")[0] for name in archive.namelist()})
    assert folders == ["CH", "FR", "RU"]
    france = list(csv.reader(io.StringIO(archive.read("FR/signatures.csv").decode())))
    assert [r[0] for r in france[1:]] == ["Jean Dupont"]
    with app.app_context():
        built = {p.recipient_country: p for p in db.session.scalars(select(DeliveryPackage))}
    assert set(built) == {"CH", "FR", "RU"}
    for code, package in built.items():
        assert package.manifest_sha256 == _sha(archive.read(f"{code}/manifest.json"))
        assert package.manifest_sha256 in result.output


def test_delivery_cli_refuses_bad_input(runner, swiss, tmp_path):
    bad_country = runner.invoke(
        args=[
            "export",
            "delivery",
            "call-to-governments",
            "--country",
            "XX",
            "--out",
            str(tmp_path),
        ]
    )
    assert bad_country.exit_code != 0 and "unknown country code" in bad_country.output
    bad_lang = runner.invoke(
        args=["export", "delivery", "call-to-governments", "--lang", "de", "--out", str(tmp_path)]
    )
    assert bad_lang.exit_code != 0
    missing = runner.invoke(args=["export", "delivery", "nope", "--out", str(tmp_path)])
    assert missing.exit_code != 0 and "no public call" in missing.output


def test_readme_verification_commands_work_on_a_real_package(app, runner, swiss, tmp_path):
    """Run the README's documented commands, as written, on a Swiss package."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Verifying a delivery package", 1)[1]
    commands = section.split("```sh\n", 1)[1].split("```", 1)[0]
    out = tmp_path / "out"
    _run(runner, "--country", "CH", "--out", str(out))
    (package,) = out.glob("*.zip")
    commands = re.sub(r"call-to-governments-CH-\S+\.zip", str(package), commands)
    work = tmp_path / "recipient"
    work.mkdir()
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", commands],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    with app.app_context():
        built = db.session.scalar(select(DeliveryPackage.manifest_sha256))
    assert lines[0] == f"{built}  manifest.json"  # 1. what the site lists once it is recorded
    assert lines[1:4] == ["letter.pdf: OK", "signatures.pdf: OK", "signatures.csv: OK"]
    assert lines[4] == "1"
    # and a tampered file fails step 2
    (work / "package" / "CH" / "signatures.csv").write_text("name\nSomeone Else\n")
    tampered = subprocess.run(
        ["bash", "-c", "sha256sum -c SHA256SUMS"],
        cwd=work / "package" / "CH",
        capture_output=True,
        text=True,
        check=False,
    )
    assert tampered.returncode != 0 and "signatures.csv: FAILED" in tampered.stdout


def test_settings_choose_the_delivered_fields_and_mode(app, runner, swiss, tmp_path):
    result = runner.invoke(
        args=["export", "settings", "call-to-governments", "--fields", "confirmed_at,name"]
    )
    assert result.exit_code == 0, result.output
    assert "fields=name,confirmed_at" in result.output  # always in the documented order
    _run(runner, "--country", "CH", "--out", str(tmp_path))
    archive = _zip(tmp_path)
    rows = list(csv.reader(io.StringIO(archive.read("CH/signatures.csv").decode())))
    assert rows[0] == ["name", "confirmed_on"]
    assert json.loads(archive.read("CH/manifest.json"))["fields"] == ["name", "confirmed_at"]
    bad = runner.invoke(args=["export", "settings", "call-to-governments", "--fields", "email"])
    assert bad.exit_code != 0 and "choose from" in bad.output
    mode = runner.invoke(
        args=["export", "settings", "call-to-governments", "--mode", "counts_only"]
    )
    assert mode.exit_code == 0 and "delivery_mode=counts_only" in mode.output
    with app.app_context():
        assert db.session.scalar(select(Petition.delivery_mode)) == "counts_only"
