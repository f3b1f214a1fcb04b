"""Organiser accounts: the CLI, signing in and out, back-off and lockout per pair, TOTP."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, Organiser, OrganiserSession, SignInThrottle
from campaign.organisers.sessions import hash_key

from ..helpers.backoffice import PASSWORD, csrf_token, signed_in

SIGN_IN = "/organiser/sign-in"


def sign_in(client, email: str, password: str = PASSWORD, next_url: str | None = None, ip=None):
    token = csrf_token(client, SIGN_IN)
    url = SIGN_IN + (f"?next={next_url}" if next_url else "")
    environ = {"REMOTE_ADDR": ip} if ip else {}
    return client.post(
        url,
        data={"email": email, "password": password, "csrf_token": token},
        environ_base=environ,
    )


def organiser(app, email: str) -> Organiser:
    with app.app_context():
        return db.session.scalar(select(Organiser).where(Organiser.email == email))


# -- the command line ------------------------------------------------------------------


def test_create_list_disable_and_set_password_from_the_cli(app, runner):
    created = runner.invoke(
        args=["organiser", "create", "Ada@Example.org", "--role", "admin", "--name", "Ada"],
        input=PASSWORD + "\n",
        catch_exceptions=False,
    )
    assert created.exit_code == 1  # without --password-stdin it prompts twice
    created = runner.invoke(
        args=["organiser", "create", "Ada@Example.org", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert created.exit_code == 0, created.output
    assert "created ada@example.org (admin)" in created.output
    prompted = runner.invoke(
        args=["organiser", "create", "ed@example.org", "--role", "editor"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert prompted.exit_code == 0, prompted.output
    stored = organiser(app, "ada@example.org")
    assert stored.password_hash.startswith("scrypt:") and PASSWORD not in stored.password_hash

    listing = runner.invoke(args=["organiser", "list"])
    assert "ada@example.org\tadmin\tactive" in listing.output
    assert "ed@example.org\teditor\tactive" in listing.output

    token_before = organiser(app, "ed@example.org").session_token
    disabled = runner.invoke(args=["organiser", "disable", "ed@example.org"])
    assert disabled.exit_code == 0
    ed = organiser(app, "ed@example.org")
    assert not ed.active and ed.session_token != token_before

    changed = runner.invoke(
        args=["organiser", "set-password", "ada@example.org", "--password-stdin"],
        input="another long passphrase\n",
    )
    assert changed.exit_code == 0, changed.output
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["create_organiser", "create_organiser", "disable_organiser", "set_password"]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["not-an-address", "--role", "admin"], PASSWORD, "must have an @-sign"),
        (["x@example.org", "--role", "owner"], PASSWORD, "Invalid value for '--role'"),
        (["x@example.org", "--role", "admin"], "short", "at least 12 characters"),
    ],
)
def test_cli_refuses_bad_accounts(runner, args, stdin, message):
    result = runner.invoke(
        args=["organiser", "create", *args, "--password-stdin"], input=stdin + "\n"
    )
    assert result.exit_code != 0
    assert message.lower() in result.output.lower()


def test_cli_refuses_a_second_account_with_the_same_address(runner, organisers):
    result = runner.invoke(
        args=["organiser", "create", "EDITOR@example.org", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 1
    assert "already exists" in result.output


# -- signing in -------------------------------------------------------------------------


def test_sign_in_starts_a_new_session_and_sign_out_ends_it(app, organisers):
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    response = sign_in(client, "EDITOR@example.org")  # any case
    assert response.status_code == 303
    assert response.headers["Location"] == "/organiser/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with client.session_transaction() as session:
        assert "planted" not in session
        key = session["_user_id"]
    with app.app_context():  # the cookie names a sign-in of the editor's, stored hashed
        row = db.session.scalar(select(OrganiserSession))
        assert row.organiser_id == organisers["editor"]["id"] and row.ended_at is None
        assert row.key_hash == hash_key(key) and key not in (row.key_hash, row.user_agent)
    home = client.get("/organiser/")
    assert home.status_code == 200
    assert home.headers["Cache-Control"] == "no-store"
    assert "Editor" in home.get_data(as_text=True)

    token = csrf_token(client, "/organiser/")
    assert client.post("/organiser/sign-out", data={"csrf_token": token}).status_code == 303
    assert client.get("/organiser/").status_code == 302


def test_the_session_cookie_is_secure_outside_development(make_app, organisers):
    app = make_app(BASE_URL="https://sign.example.org")
    response = sign_in(app.test_client(), "admin@example.org")
    assert response.status_code == 303
    assert "Secure" in response.headers["Set-Cookie"]


def test_wrong_password_and_unknown_account_get_the_same_answer(client, organisers):
    wrong = sign_in(client, "admin@example.org", "not the password")
    unknown = sign_in(client, "nobody@example.org", "not the password")
    for response in (wrong, unknown):
        assert response.status_code == 422
        assert "The email address or the password is wrong." in response.get_data(as_text=True)
    assert client.get("/organiser/").status_code == 302


def test_sign_in_without_a_csrf_token_is_refused(client, organisers):
    response = client.post(SIGN_IN, data={"email": "admin@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "Please try again" in response.get_data(as_text=True)


def test_anonymous_visitors_go_to_sign_in_and_come_back(client, organisers):
    response = client.get("/organiser/audit?page=2")
    assert response.status_code == 302
    assert response.headers["Location"] == "/organiser/sign-in?next=/organiser/audit?page%3D2"
    back = sign_in(client, "admin@example.org", next_url="/organiser/audit%3Fpage%3D2")
    assert back.headers["Location"] == "/organiser/audit?page=2"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_next_never_leaves_the_site(client, organisers, target):
    from urllib.parse import quote

    response = sign_in(client, "admin@example.org", next_url=quote(target, safe=""))
    assert response.status_code == 303
    assert response.headers["Location"] == "/organiser/"


def test_disabling_an_account_ends_its_sessions(app, runner, organisers):
    client = signed_in(app.test_client(), organisers["moderator"])
    assert client.get("/organiser/").status_code == 200
    runner.invoke(args=["organiser", "disable", "moderator@example.org"])
    assert client.get("/organiser/").status_code == 302
    assert sign_in(app.test_client(), "moderator@example.org").status_code == 422


def test_a_new_password_ends_other_sessions(app, runner, organisers):
    client = signed_in(app.test_client(), organisers["admin"])
    runner.invoke(
        args=["organiser", "set-password", "admin@example.org", "--password-stdin"],
        input="a brand new passphrase\n",
    )
    assert client.get("/organiser/").status_code == 302
    assert sign_in(app.test_client(), "admin@example.org").status_code == 422
    assert (
        sign_in(app.test_client(), "admin@example.org", "a brand new passphrase").status_code == 303
    )


# -- back-off and lockout ---------------------------------------------------------------


def test_lockout_is_per_account_and_address(make_app, organisers):
    app = make_app(SIGN_IN_BACKOFF_SECONDS=0)  # no delays: straight to the lock
    attacker = app.test_client()
    for _ in range(10):
        assert sign_in(attacker, "admin@example.org", "guess", ip="198.51.100.7").status_code == 422
    locked = sign_in(attacker, "admin@example.org", ip="198.51.100.7")
    assert locked.status_code == 429
    assert "locked for 15 more minutes" in locked.get_data(as_text=True)
    # Another process (another app on the same database) sees the same lock.
    other_process = make_app(SIGN_IN_BACKOFF_SECONDS=0)
    assert (
        sign_in(other_process.test_client(), "admin@example.org", ip="198.51.100.7").status_code
        == 429
    )
    # The organiser at their own address is not locked out, nor is another account.
    assert sign_in(app.test_client(), "admin@example.org", ip="203.0.113.9").status_code == 303
    assert sign_in(attacker, "editor@example.org", ip="198.51.100.7").status_code == 303

    # After the lock has run out, the right password works again from that address.
    with app.app_context():
        row = db.session.get(SignInThrottle, ("admin@example.org", "198.51.100.7"))
        row.locked_until -= timedelta(minutes=16)
        db.session.commit()
    assert sign_in(app.test_client(), "admin@example.org", ip="198.51.100.7").status_code == 303
    with app.app_context():  # and success clears the pair's record
        assert db.session.get(SignInThrottle, ("admin@example.org", "198.51.100.7")) is None


def test_failures_past_five_must_wait_a_growing_delay(app, organisers):
    client = app.test_client()
    ip = "198.51.100.8"

    def go_back(seconds: int) -> None:
        with app.app_context():
            row = db.session.get(SignInThrottle, ("admin@example.org", ip))
            row.last_failure_at -= timedelta(seconds=seconds)
            db.session.commit()

    for _ in range(5):
        assert sign_in(client, "admin@example.org", "guess", ip=ip).status_code == 422
    # From the fifth failure on, the next attempt (even the right one) must wait.
    waiting = sign_in(client, "admin@example.org", ip=ip)
    assert waiting.status_code == 429
    assert "Please wait 1 second and try again" in waiting.get_data(as_text=True)
    go_back(1)
    assert sign_in(client, "admin@example.org", "guess", ip=ip).status_code == 422
    waiting = sign_in(client, "admin@example.org", ip=ip)
    assert "Please wait 2 seconds" in waiting.get_data(as_text=True)
    with app.app_context():  # refused attempts were not checked, so not counted
        assert db.session.get(SignInThrottle, ("admin@example.org", ip)).failures == 6
    go_back(2)
    assert sign_in(client, "admin@example.org", ip=ip).status_code == 303


def test_lockout_holds_with_request_rate_limits_off(make_app, organisers):
    app = make_app(SIGN_IN_BACKOFF_SECONDS=0, RATELIMIT_ENABLED=False)
    client = app.test_client()
    for _ in range(10):
        sign_in(client, "editor@example.org", "guess", ip="192.0.2.1")
    assert sign_in(client, "editor@example.org", ip="192.0.2.1").status_code == 429


# -- two-step sign-in --------------------------------------------------------------------


def test_admins_enrol_in_totp_and_then_need_a_code(app, organisers):
    client = signed_in(app.test_client(), organisers["admin"])
    page = client.get("/organiser/account/two-step")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "otpauth://totp/Campaign:admin%40example.org?secret=" in html
    with client.session_transaction() as session:
        secret = session["totp_enrol"]
    assert secret in html
    token = csrf_token(client, "/organiser/account/two-step")
    wrong = client.post("/organiser/account/two-step", data={"code": "000000", "csrf_token": token})
    assert wrong.status_code == 422
    code = pyotp.TOTP(secret).now()
    enrolled = client.post("/organiser/account/two-step", data={"code": code, "csrf_token": token})
    assert enrolled.status_code == 303
    assert organiser(app, "admin@example.org").totp_secret == secret

    # Signing in now takes a second step; the password alone is not enough.
    fresh = app.test_client()
    step_one = sign_in(fresh, "admin@example.org")
    assert step_one.headers["Location"] == "/organiser/sign-in/code"
    assert fresh.get("/organiser/").status_code == 302
    token = csrf_token(fresh, "/organiser/sign-in/code")
    bad = fresh.post("/organiser/sign-in/code", data={"code": "123456", "csrf_token": token})
    assert bad.status_code == 422
    # The code used to enrol cannot be replayed.
    replay = fresh.post("/organiser/sign-in/code", data={"code": code, "csrf_token": token})
    assert replay.status_code == 422
    with app.app_context():
        stored = db.session.scalar(select(Organiser).where(Organiser.email == "admin@example.org"))
        stored.totp_last_step -= 2  # as if the enrolment was a minute ago
        db.session.commit()
    good = fresh.post(
        "/organiser/sign-in/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token}
    )
    assert good.status_code == 303 and good.headers["Location"] == "/organiser/"
    assert fresh.get("/organiser/").status_code == 200


def test_the_code_step_needs_the_password_step_first(client, organisers):
    response = client.get("/organiser/sign-in/code")
    assert response.status_code == 302
    assert response.headers["Location"] == "/organiser/sign-in"


def test_only_admins_enrol(as_role):
    assert as_role("editor").get("/organiser/account/two-step").status_code == 403
