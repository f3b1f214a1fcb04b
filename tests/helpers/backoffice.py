"""The back office as tests reach it: accounts and signed-in clients, CSRF tokens from its
pages, signatures made directly in the database, and the call form."""

from __future__ import annotations

import re

from campaign import emails
from campaign.extensions import db
from campaign.ip_addresses import pack_ip
from campaign.models import Organiser, OrganiserRole, Petition, Signature, Validity, utcnow
from campaign.organisers import sessions
from campaign.petitions.counters import transition
from campaign.petitions.lifecycle import confirm

PASSWORD = "correct horse battery staple"
ROLES = [role.value for role in OrganiserRole]


def signed_in(client, account: dict):
    """``client`` with a session for ``account``, as after a successful sign-in: a new
    session row in the database, its key in the cookie where Flask-Login looks.

    ``account`` names the organiser by its ``token`` (``Organiser.session_token``).
    """
    with client.application.app_context():
        organiser = db.session.scalar(
            db.select(Organiser).where(Organiser.session_token == account["token"])
        )
        key = sessions.start(organiser, "test client")
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True
    return client


def sign_in_on_the_way(page, base_url: str, path: str, email: str) -> None:
    """In the browser: open ``path`` signed out, sign in, and arrive back at ``path``."""
    page.goto(base_url + path)
    page.wait_for_url(re.compile(r".*/organiser/sign-in\?next=" + re.escape(path) + "$"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**" + path)


def csrf_token(client, path: str) -> str:
    """The session's CSRF token, read from a page of the organisers' area."""
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


NEW = "/organiser/calls/new"


def call_form(token: str, **overrides) -> dict:
    data = {
        "csrf_token": token,
        "title": "Protect the helpers",
        "slug": "protect-the-helpers",
        "summary": "Humanitarian workers need protection.",
        "body_markdown": "We call on **governments** to act.",
        "background_markdown": "",
        "organisation": "Helpers United",
        "organisation_url": "https://helpers.example.org/",
        "organisation_blurb": "",
        "language": "en",
        "state": "open",
        "goal": "1000",
        "timezone": "Europe/Zurich",
        "opened_at": "2026-06-01T09:00",
        "closes_at": "2026-12-31T18:00",
    }
    data.update(overrides)
    return data
