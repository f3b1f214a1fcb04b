"""Every page type is valid HTML, as the Nu HTML checker (vnu) reads it.

The pages are every public page a visitor or a signer opens (in English and French),
the signing journey's pages, the call's page after an edit (its text history dates
each version), and every GET page of the back office, read from the app's URL map
and filled in with a busy call's rows (tests/layout/crowded.py). Their HTML is saved
from the Flask test client to tests/artifacts/html/, then checked in ONE run of vnu
(from npm's vnu-jar, on Debian's Java: bin/system-deps, package.json), since starting
the JVM costs seconds. Any error fails the test, named by page, line and message.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from campaign import tokens
from campaign.extensions import db
from campaign.models import Organiser, Petition, Signature
from campaign.petitions import editing
from campaign.team import links

from .helpers.app import ROOT
from .helpers.backoffice import signed_in
from .helpers.journey import CSRF, press_button, sign
from .layout.crowded import back_office_paths, crowd, public_paths

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _save(folder: Path, name: str, response) -> None:
    assert response.status_code in (200, 404, 422), (name, response.status_code)
    assert response.mimetype == "text/html", (name, response.mimetype)
    (folder / f"{name}.html").write_bytes(response.get_data())


def _edit_the_call(app, slug: str) -> None:
    """A change of the call's text, as an editor saves it: the page lists its versions."""
    with app.app_context():
        petition = db.session.scalar(db.select(Petition).where(Petition.slug == slug))
        values = {
            column.key: getattr(petition, column.key)
            for column in Petition.__table__.columns
            if column.key not in ("id", "text_version", "signature_count", "created_at")
        }
        values["body_markdown"] += "\n\nOne more paragraph."
        editor = db.session.scalar(db.select(Organiser).where(Organiser.role == "editor"))
        editing.save_petition(petition, values, editor, note="A paragraph added")
        db.session.commit()


def _signing_journey(app, folder: Path, slug: str) -> None:
    """Sign, confirm and be thanked, saving each page on the way."""
    client = app.test_client()
    sent = sign(client, slug, email="valid.html@example.org")
    assert sent.status_code == 303, sent.status_code
    _save(folder, "public-check-email", client.get(sent.headers["Location"]))
    with app.app_context():
        signature = db.session.scalar(
            db.select(Signature).where(Signature.email == "valid.html@example.org")
        )
        confirm = f"/petitions/confirm/{tokens.make(tokens.Purpose.CONFIRM, signature.public_id)}"
    _save(folder, "public-confirm", client.get(confirm))
    confirmed = press_button(client, confirm)
    assert confirmed.status_code == 303, confirmed.status_code
    _save(folder, "public-thank-you", client.get(confirmed.headers["Location"]))


def _team_pages(app, organisers, folder: Path) -> None:
    """The pages a signed-out organiser reaches from the sign-in page or an email."""

    visitor = app.test_client()
    _save(folder, "organiser-forgot-password", visitor.get("/organiser/forgot-password"))
    sent = visitor.post(
        "/organiser/forgot-password",
        data={"csrf_token": _csrf(visitor, "/organiser/forgot-password"), "email": "x@y.org"},
    )
    _save(folder, "organiser-password-link-sent", sent)
    with app.app_context():
        invited = db.session.scalar(db.select(Organiser).where(Organiser.invited_at.isnot(None)))
        editor = db.session.get(Organiser, organisers["editor"]["id"])
        invitation = links.make(tokens.Purpose.INVITATION, invited)
        reset = links.make(tokens.Purpose.PASSWORD_RESET, editor)
    _save(folder, "organiser-accept-invitation", visitor.get(f"/organiser/invitation/{invitation}"))
    _save(folder, "organiser-reset-password", visitor.get(f"/organiser/reset-password/{reset}"))
    _save(folder, "organiser-link-problem", visitor.get("/organiser/reset-password/not-a-token"))


def _csrf(client, path: str) -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def _collect(app, organisers, folder: Path) -> int:
    """Save every page type's HTML into ``folder``; returns how many."""
    crowded = crowd(app, organisers)
    slug = str(crowded.ids["slug"])
    visitor = app.test_client()
    for prefix in ("", "/fr", "/ar"):  # a left-to-right and a right-to-left language
        for name, path in public_paths(crowded, slug).items():
            _save(folder, f"public{prefix.replace('/', '-')}-{name}", visitor.get(prefix + path))
    _signing_journey(app, folder, slug)
    _edit_the_call(app, slug)
    _save(folder, "public-call-after-an-edit", visitor.get(f"/petitions/{slug}"))
    admin = signed_in(app.test_client(), organisers["admin"])
    for endpoint, path in back_office_paths(app, crowded).items():
        _save(folder, "organiser-" + endpoint.replace(".", "-"), admin.get(path))
    _team_pages(app, organisers, folder)
    return len(list(folder.iterdir()))


def _vnu(files: list[Path]) -> list[dict]:
    """vnu's messages about ``files``, in one run of the JVM."""
    if shutil.which("java") is None:
        pytest.fail("java is missing: bin/system-deps installs default-jre-headless")
    if not VNU.exists():
        pytest.fail("vnu.jar is missing: bin/setup installs vnu-jar with npm ci")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return json.loads(result.stdout)["messages"]


def test_every_page_type_is_valid_html(app, organisers, artifacts):
    folder = artifacts / "html"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    count = _collect(app, organisers, folder)
    assert count > 70, count
    messages = _vnu(sorted(folder.iterdir()))
    errors = [
        f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
