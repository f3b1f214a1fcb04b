"""Organisers' sessions end when the server says so, on every host.

Two ``create_app`` on one database are two hosts. Time moves by editing a session's
row, never by sleeping.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pyotp
import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, OrganiserSession, utcnow

from ..helpers.backoffice import PASSWORD, csrf_token, signed_in

HOME = "/organiser/"
SIGN_IN = "/organiser/sign-in"


def sign_in(client, email: str, next_url: str | None = None):
    token = csrf_token(client, SIGN_IN)
    url = SIGN_IN + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": PASSWORD, "csrf_token": token})


def post(client, path: str, page: str = HOME):
    return client.post(path, data={"csrf_token": csrf_token(client, page)})


def refused_with(client, path: str, message: str) -> None:
    """``path`` sends ``client`` to sign in, coming back afterwards, and says why."""
    response = client.get(path)
    assert response.status_code == 302, response.status_code
    assert response.headers["Location"] == f"{SIGN_IN}?next={quote(path, safe='/?')}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert message in page
    # Said once: the dead key has left the cookie.
    assert message not in client.get(response.headers["Location"]).get_data(as_text=True)


def only_session(app, organiser_id: int) -> OrganiserSession:
    with app.app_context():
        return db.session.scalars(
            select(OrganiserSession).where(OrganiserSession.organiser_id == organiser_id)
        ).one()


def move_clock(app, organiser_id: int, **changes: timedelta) -> None:
    """As if the account's sessions had been created or last seen earlier by ``changes``."""
    with app.app_context():
        rows = db.session.scalars(
            select(OrganiserSession).where(OrganiserSession.organiser_id == organiser_id)
        )
        for row in rows:
            for column, earlier in changes.items():
                setattr(row, column, getattr(row, column) - earlier)
        db.session.commit()


def audit_actions(app) -> list[tuple]:
    with app.app_context():
        return [
            (e.action, e.actor_id, e.target_id, e.changes)
            for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


ENDED = "Your session has ended: you signed out, or it was ended from another device"


def test_a_cookie_copied_before_sign_out_is_refused_after_it_on_another_host(make_app, organisers):
    first_host, second_host = make_app(), make_app()
    organiser = first_host.test_client()
    assert sign_in(organiser, "editor@example.org").status_code == 303
    copy = second_host.test_client()
    copy.set_cookie("session", organiser.get_cookie("session").value)
    assert copy.get(HOME).status_code == 200  # the same secret key: any host reads it

    assert post(organiser, "/organiser/sign-out").headers["Location"] == SIGN_IN
    assert organiser.get(HOME).status_code == 302
    refused_with(copy, HOME, ENDED)
    with first_host.app_context():
        row = db.session.scalar(select(OrganiserSession))
        assert row.ended_at is not None and row.end_reason == "signed_out"


def test_sign_out_everywhere_ends_every_session_of_the_account(make_app, organisers):
    app, other_host = make_app(), make_app()
    laptop = signed_in(app.test_client(), organisers["editor"])
    phone = signed_in(other_host.test_client(), organisers["editor"])
    colleague = signed_in(app.test_client(), organisers["moderator"])

    listing = laptop.get("/organiser/account/sessions").get_data(as_text=True)
    assert listing.count("<tr>") == 1 + 2  # the header and both sessions
    assert "(this browser)" in listing and "Sign out everywhere" in listing

    response = post(laptop, "/organiser/account/sessions/end", "/organiser/account/sessions")
    assert response.status_code == 303 and response.headers["Location"] == SIGN_IN
    assert "You are signed out on every device." in laptop.get(SIGN_IN).get_data(as_text=True)
    assert laptop.get(HOME).status_code == 302
    refused_with(phone, "/organiser/account/sessions", ENDED)
    assert colleague.get(HOME).status_code == 200
    editor = organisers["editor"]["id"]
    assert audit_actions(app) == [("end_sessions", editor, str(editor), {"sessions": 2})]


def test_an_administrator_ends_another_accounts_sessions(app, organisers):
    admin = signed_in(app.test_client(), organisers["admin"])
    moderator = signed_in(app.test_client(), organisers["moderator"])
    accounts = admin.get("/organiser/accounts").get_data(as_text=True)
    assert "End all sessions of moderator@example.org" in accounts
    assert "End all sessions of editor@example.org" not in accounts  # none to end

    moderator_id = organisers["moderator"]["id"]
    response = post(
        admin, f"/organiser/accounts/{moderator_id}/end-sessions", "/organiser/accounts"
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/organiser/accounts"
    page = admin.get("/organiser/accounts").get_data(as_text=True)
    assert "1 session of moderator@example.org was ended." in page
    refused_with(moderator, HOME, ENDED)
    assert admin.get(HOME).status_code == 200
    assert only_session(app, moderator_id).end_reason == "administrator"
    assert audit_actions(app) == [
        ("end_sessions", organisers["admin"]["id"], str(moderator_id), {"sessions": 1})
    ]
    missing = post(admin, "/organiser/accounts/999999/end-sessions", "/organiser/accounts")
    assert missing.status_code == 404


def test_an_administrator_ending_their_own_sessions_is_signed_out(app, organisers):
    admin = signed_in(app.test_client(), organisers["admin"])
    admin_id = organisers["admin"]["id"]
    response = post(admin, f"/organiser/accounts/{admin_id}/end-sessions", "/organiser/accounts")
    assert response.headers["Location"] == SIGN_IN
    assert admin.get(HOME).status_code == 302


def test_an_idle_session_ends_and_signing_in_again_comes_back(app, organisers):
    client = signed_in(app.test_client(), organisers["admin"])
    admin = organisers["admin"]["id"]
    move_clock(app, admin, last_seen_at=timedelta(minutes=119))
    assert client.get(HOME).status_code == 200  # just in time: and now seen again
    seen = only_session(app, admin).last_seen_at
    assert utcnow() - seen < timedelta(seconds=30)
    assert client.get(HOME).status_code == 200
    assert only_session(app, admin).last_seen_at == seen  # not a write per request

    move_clock(app, admin, last_seen_at=timedelta(minutes=121))
    path = "/organiser/audit?page=1"
    refused_with(client, path, "You were signed out after 120 minutes without activity.")
    back = sign_in(client, "admin@example.org", next_url="/organiser/audit%3Fpage%3D1")
    assert back.headers["Location"] == path
    assert client.get(path).status_code == 200


def test_the_idle_limit_is_a_setting(make_app, organisers):
    app = make_app(SESSION_IDLE_MINUTES=5)
    client = signed_in(app.test_client(), organisers["editor"])
    move_clock(app, organisers["editor"]["id"], last_seen_at=timedelta(minutes=4))
    assert client.get(HOME).status_code == 200  # four minutes idle: still in
    move_clock(app, organisers["editor"]["id"], last_seen_at=timedelta(minutes=6))
    refused_with(client, HOME, "You were signed out after 5 minutes without activity.")


def test_a_session_ends_at_its_absolute_lifetime_however_busy(make_app, organisers):
    app = make_app(SESSION_MAX_HOURS=1)
    client = signed_in(app.test_client(), organisers["editor"])
    editor = organisers["editor"]["id"]
    move_clock(app, editor, created_at=timedelta(minutes=59))
    assert client.get(HOME).status_code == 200
    move_clock(app, editor, created_at=timedelta(minutes=2))
    refused_with(client, HOME, "Sessions last at most 1 hour, and yours has ended.")


def test_a_form_sent_after_the_session_ended_comes_back_to_its_page(app, organisers):
    client = signed_in(app.test_client(), organisers["editor"])
    token = csrf_token(client, "/organiser/calls/new")
    move_clock(app, organisers["editor"]["id"], last_seen_at=timedelta(hours=3))
    response = client.post(
        "/organiser/calls/new",
        data={"csrf_token": token, "title": "Lost"},
        headers={"Referer": "http://localhost/organiser/calls/new?from=home"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"{SIGN_IN}?next=/organiser/calls/new?from%3Dhome"
    # Another site's address is not where anyone is sent back to.
    client = signed_in(app.test_client(), organisers["editor"])
    token = csrf_token(client, HOME)
    move_clock(app, organisers["editor"]["id"], last_seen_at=timedelta(hours=3))
    response = client.post(
        "/organiser/sign-out",
        data={"csrf_token": token},
        headers={"Referer": "https://evil.example/organiser/"},
    )
    assert response.headers["Location"] == f"{SIGN_IN}?next=/organiser/sign-out"


def test_turning_on_two_step_sign_in_ends_the_other_sessions(app, organisers):
    here = signed_in(app.test_client(), organisers["admin"])
    elsewhere = signed_in(app.test_client(), organisers["admin"])
    here.get("/organiser/account/two-step")
    with here.session_transaction() as session:
        secret = session["totp_enrol"]
    token = csrf_token(here, "/organiser/account/two-step")
    code = pyotp.TOTP(secret).now()
    enrolled = here.post("/organiser/account/two-step", data={"code": code, "csrf_token": token})
    assert enrolled.status_code == 303
    assert here.get(HOME).status_code == 200
    refused_with(elsewhere, HOME, ENDED)


def _sessions_of_every_age(app, organisers) -> int:
    """Five sessions of the editor, named by their age; returns how many."""
    now = utcnow()
    ages = {
        "live": dict(created_at=now, last_seen_at=now),
        "ended yesterday": dict(created_at=now, last_seen_at=now, ended_at=now - timedelta(1)),
        "ended long ago": dict(
            created_at=now - timedelta(40), last_seen_at=now, ended_at=now - timedelta(40)
        ),
        "idle long ago": dict(created_at=now - timedelta(40), last_seen_at=now - timedelta(40)),
        "too old long ago": dict(created_at=now - timedelta(41), last_seen_at=now),
    }
    with app.app_context():
        for name, times in ages.items():
            db.session.add(
                OrganiserSession(
                    key_hash=name, organiser_id=organisers["editor"]["id"], user_agent="", **times
                )
            )
        db.session.commit()
    return len(ages)


def _sessions_left(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(OrganiserSession.key_hash)))


@pytest.mark.parametrize(("keep_days", "left"), [(30, {"live", "ended yesterday"}), (0, {"live"})])
def test_old_sessions_are_pruned_from_the_command_line(app, runner, organisers, keep_days, left):
    made = _sessions_of_every_age(app, organisers)
    result = runner.invoke(args=["organiser", "prune-sessions", "--keep-days", str(keep_days)])
    assert result.exit_code == 0, result.output
    assert result.output == f"deleted {made - len(left)} old sessions\n"
    assert _sessions_left(app) == left


def test_the_daily_retention_run_prunes_sessions_a_month_old(app, runner, organisers):
    # The timer every host already has, so no one has to remember a sixth.
    _sessions_of_every_age(app, organisers)
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "deleted 3 old organiser sessions" in result.output
    assert _sessions_left(app) == {"live", "ended yesterday"}


@pytest.mark.parametrize("data", [{}, {"csrf_token": "forged"}])
def test_ending_sessions_needs_the_forms_csrf_token(app, organisers, data):
    admin = signed_in(app.test_client(), organisers["admin"])
    moderator = signed_in(app.test_client(), organisers["moderator"])
    moderator_id = organisers["moderator"]["id"]
    for path in (
        f"/organiser/accounts/{moderator_id}/end-sessions",
        "/organiser/account/sessions/end",
    ):
        assert admin.post(path, data=data).status_code == 400
    assert admin.get(HOME).status_code == 200 and moderator.get(HOME).status_code == 200
    assert audit_actions(app) == []
