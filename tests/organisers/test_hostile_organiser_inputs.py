"""Hostile input against the organisers' forms: exact outcomes, nothing stored wrongly.

The public forms' cases are in tests/test_hostile_inputs.py; these complete the
suite for the organisers' area (sign-in, calls, notables, blocklists, uploads).
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.models import Blocklist, NotableSignatory, Petition

from ..helpers.backoffice import NEW, call_form, csrf_token


def petitions(app) -> list[Petition]:
    with app.app_context():
        return list(db.session.scalars(select(Petition).order_by(Petition.id)))


CALL_CASES = [
    # (id, overrides, expected status, message on the page, slug stored or None)
    ("script-in-title", {"title": "<script>alert(1)</script>"}, 303, "", "protect-the-helpers"),
    ("slug-traversal", {"slug": "../../etc/passwd"}, 422, "lower-case", None),
    ("slug-reserved", {"slug": "confirm"}, 422, "taken by the site itself", None),
    ("slug-uppercase-folded", {"slug": "Protect"}, 303, "", "protect"),
    ("title-newline", {"title": "A\r\nB"}, 422, "one line", None),
    ("organisation-newline", {"organisation": "X\nBcc: y@example.org"}, 422, "one line", None),
    ("goal-negative", {"goal": "-5"}, 422, "", None),
    ("goal-huge", {"goal": "99999999999999999999"}, 422, "", None),
    ("timezone-bogus", {"timezone": "Mars/Olympus"}, 422, "time zone", None),
    ("timezone-traversal", {"timezone": "../../../etc/localtime"}, 422, "time zone", None),
    ("url-javascript", {"organisation_url": "javascript:alert(1)"}, 422, "", None),
    ("closes-before-opens", {"closes_at": "2026-01-01T00:00"}, 422, "", None),
    ("state-unknown", {"state": "hacked"}, 422, "", None),
    # PostgreSQL refuses NUL in text: it must be a form error, never a 500.
    ("body-nul-byte", {"body_markdown": "Stop\x00 the attacks"}, 422, "control characters", None),
    ("background-nul", {"background_markdown": "a\x00b"}, 422, "control characters", None),
    ("body-direction-override", {"body_markdown": "abc \u202e gpj.exe"}, 422, "control", None),
    ("body-crlf-accepted", {"body_markdown": "One\r\nTwo"}, 303, "", "protect-the-helpers"),
]


@pytest.mark.parametrize(
    ("case", "overrides", "status", "message", "slug"), CALL_CASES, ids=[c[0] for c in CALL_CASES]
)
def test_call_form_against_hostile_input(app, as_role, case, overrides, status, message, slug):
    editor = as_role("editor")
    before = len(petitions(app))
    response = editor.post(NEW, data=call_form(csrf_token(editor, NEW), **overrides))
    assert response.status_code == status
    after = petitions(app)
    if slug is None:
        assert len(after) == before
        assert message.lower() in response.get_data(as_text=True).lower()
    else:
        assert after[-1].slug == slug
    assert response.status_code != 500


def test_markup_in_a_call_title_is_escaped_on_the_public_page(app, as_role, client):
    editor = as_role("editor")
    editor.post(
        NEW,
        data=call_form(
            csrf_token(editor, NEW),
            title="<img src=x onerror=alert(1)>",
            body_markdown="<script>alert(1)</script> [x](javascript:alert(1))",
        ),
    )
    html = client.get("/petitions/protect-the-helpers").get_data(as_text=True)
    assert "<img src=x onerror" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert 'href="javascript:' not in html


@pytest.mark.parametrize("data", [{}, {"csrf_token": "forged"}])
def test_organiser_posts_without_a_valid_csrf_token_are_refused(app, as_role, data):
    editor = as_role("editor")
    before = len(petitions(app))
    response = editor.post(NEW, data={**call_form("x"), **data} if data else call_form(""))
    assert response.status_code == 400
    assert len(petitions(app)) == before


@pytest.mark.parametrize(
    "target",
    [
        "%2F%2Fevil.example",
        "https:evil.example",
        "\\\\evil.example",
        "/%5Cevil.example",
        "http://localhost.evil.example/organiser/",
    ],
)
def test_next_after_sign_in_never_leaves_the_site(client, organisers, target):
    from ..helpers.backoffice import PASSWORD

    path = f"/organiser/sign-in?next={target}"
    token = csrf_token(client, path)
    response = client.post(
        path, data={"csrf_token": token, "email": "admin@example.org", "password": PASSWORD}
    )
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "evil" not in location


@pytest.mark.parametrize(
    ("value", "kind", "stored"),
    [
        ("999.1.1.1/99", "ip_range", False),
        ("10.0.0.0/8; DROP TABLE signature", "ip_range", False),
        ("not a domain", "domain", False),
        ("<script>.example", "domain", False),
        ("SpamWave.ORG", "domain", True),
    ],
)
def test_blocklist_entries_are_checked(app, as_role, value, kind, stored):
    moderator = as_role("moderator")
    token = csrf_token(moderator, "/organiser/blocklist")
    response = moderator.post(
        "/organiser/blocklist",
        data={"csrf_token": token, "kind": kind, "value": value, "petition_id": "0"},
    )
    assert response.status_code == (303 if stored else 422)
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Blocklist))
    assert count == (1 if stored else 0)


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("../../../etc/passwd.png", b"\x89PNG\r\n\x1a\n not really a png"),
        (
            "portrait.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),
        ("shell.php.jpg", b"<?php system($_GET['c']); ?>"),
    ],
)
def test_uploads_that_are_not_images_are_refused(app, as_role, petition, filename, content):
    editor = as_role("editor")
    path = f"/organiser/calls/{petition['id']}/notables/new"
    token = csrf_token(editor, path)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(NotableSignatory))
    response = editor.post(
        path,
        data={
            "csrf_token": token,
            "name": "Somebody",
            "title": "",
            "category": "Civil society",
            "portrait": (io.BytesIO(content), filename),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(NotableSignatory)) == before


@pytest.mark.parametrize(
    "job",
    ["0", "-1", "99999999999999999999", "1%00", "1.json.json", "..%2F1", "%2e%2e", "1;2"],
)
def test_package_job_pages_take_only_a_job_of_the_call(app, as_role, petition, job):
    """A made-up job id is a plain 404 (never a 500), for the page and its JSON alike."""
    client = as_role("admin")
    for suffix in ("", ".json"):
        url = f"/organiser/exports/{petition['slug']}/delivery/jobs/{job}{suffix}"
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("number", ["99999999999999999999", "2147483648", "0"])
def test_ids_no_row_can_have_are_a_404_on_every_page(app, as_role, petition, number):
    """Every page with a row id in its path, the id out of any column's range: 404, never 500
    (SQLite's driver overflows past 64 bits, PostgreSQL's integer past 32)."""
    client = as_role("admin")
    tried = []
    for rule in app.url_map.iter_rules():
        ids = [name for name, converter in rule._converters.items() if converter.regex == r"\d+"]
        if not ids or "GET" not in (rule.methods or ()):
            continue
        values = {name: number for name in ids}
        values.update({name: petition["slug"] for name in rule.arguments if name == "slug"})
        values.update({name: "fr" for name in rule.arguments if name == "language"})
        values.update({name: "0" * 64 for name in rule.arguments if name in ("digest", "leaf")})
        path = rule.build(values, append_unknown=False)[1]
        path = path.replace(str(int(number)), number)
        status = client.get(path).status_code
        tried.append(path)
        assert status == 404, (path, status)
    assert len(tried) > 20, tried
