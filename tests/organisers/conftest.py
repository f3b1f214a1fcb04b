"""Fixtures of the organisers' area: one account per role, and clients signed in as them.

Accounts are written with a password hash computed once per run, with few PBKDF2
rounds: scrypt is slow on purpose, and the lockout tests check dozens of passwords
(accounts made by the CLI, tested in test_accounts.py, use scrypt). Test clients are
signed in by putting the account's session token where Flask-Login looks for it; the
sign-in form itself is tested in test_accounts.py.
"""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from campaign.extensions import db
from campaign.models import Organiser, OrganiserRole

PASSWORD = "correct horse battery staple"
ROLES = [role.value for role in OrganiserRole]


@pytest.fixture(scope="session")
def password_hash() -> str:
    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


@pytest.fixture
def organisers(app, password_hash) -> dict[str, dict]:
    """An active account per role: {role: {"id", "email", "token"}}."""
    accounts = {}
    with app.app_context():
        for role in ROLES:
            organiser = Organiser(
                email=f"{role}@example.org",
                name=role.title(),
                role=role,
                password_hash=password_hash,
            )
            db.session.add(organiser)
            db.session.flush()
            accounts[role] = {
                "id": organiser.id,
                "email": organiser.email,
                "token": organiser.session_token,
            }
        db.session.commit()
    return accounts


def signed_in(client, account: dict):
    """``client`` with a session for ``account``, as after a successful sign-in."""
    with client.session_transaction() as session:
        session["_user_id"] = account["token"]
        session["_fresh"] = True
    return client


@pytest.fixture
def as_role(app, organisers):
    """A new test client signed in with the given role (or anonymous for None)."""

    def make(role: str | None):
        client = app.test_client()
        return signed_in(client, organisers[role]) if role else client

    return make


def sign_in_on_the_way(page, base_url: str, path: str, email: str) -> None:
    """In the browser: open ``path`` signed out, sign in, and arrive back at ``path``."""
    import re

    page.goto(base_url + path)
    page.wait_for_url(re.compile(r".*/organiser/sign-in\?next=" + re.escape(path) + "$"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**" + path)


def csrf_token(client, path: str) -> str:
    """The session's CSRF token, read from a page of the organisers' area."""
    import re

    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def add_signature(
    petition_id: int,
    email: str,
    *,
    name: str = "A Signer",
    confirmed: bool = True,
    validity: str = "ok",
    updates: bool = False,
    public: bool = False,
    language: str = "en",
    country: str = "CH",
    ip: str | None = "203.0.113.10",
    created_at=None,
) -> int:
    """A signature as the signing journey leaves it, moved through the counting path.

    Call inside an app context; the caller commits.
    """
    from campaign import emails
    from campaign.ip_addresses import pack_ip
    from campaign.models import Petition, Signature, Validity, utcnow
    from campaign.petitions.counters import transition
    from campaign.petitions.lifecycle import confirm

    petition = db.session.get(Petition, petition_id)
    signature = Signature(
        petition_id=petition_id,
        name=name,
        email=email,
        email_canonical=emails.canonical(email),
        ip_address=pack_ip(ip),
        country=country,
        public=public,
        updates=updates,
        language=language,
        text_version=petition.text_version,
        privacy_version="test",
        consent_text="I agree",
        created_at=created_at or utcnow(),
    )
    db.session.add(signature)
    db.session.flush()
    if confirmed:
        confirm(signature)
    if validity != "ok":
        transition(signature, validity=Validity(validity))
    return signature.id
