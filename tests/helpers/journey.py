"""The signing journey as a test client walks it: the form token, signing, the outbox sent,
the links in the email, the button that confirms."""

from __future__ import annotations

import re
import time
from email.message import EmailMessage

from flask import Flask
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from campaign.extensions import db
from campaign.mail.services import enqueue
from campaign.mail.worker import send_batch
from campaign.models import Petition

from .app import SECRET_KEY

FORM_TOKEN = re.compile(r'name="form_token" type="hidden" value="([^"]+)"')


def form_token(client, slug: str, prefix: str = "") -> str:
    page = client.get(f"{prefix}/petitions/{slug}")
    assert page.status_code == 200
    match = FORM_TOKEN.search(page.get_data(as_text=True))
    assert match, "the petition page has no form token"
    return match.group(1)


def sign(client, slug: str, prefix: str = "", **fields):
    data = {"name": "Ada Lovelace", "email": "ada@example.org", "country": "CH", "consent": "y"}
    if "form_token" not in fields:
        data["form_token"] = form_token(client, slug, prefix)
    data.update(fields)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(f"{prefix}/petitions/{slug}/sign", data=data)


def send_outbox(app: Flask):
    with app.app_context():
        return send_batch()


CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def press_button(client, url: str, button: str = "submit", **fields):
    """What a signer does on the page an email links to: press a button (by its name)."""
    page = client.get(url)
    assert page.status_code == 200
    token = CSRF.search(page.get_data(as_text=True)).group(1)
    return client.post(url, data={"csrf_token": token, button: "pressed", **fields})


def next_path(response) -> str:
    """Where a response redirects, without its query and fragment."""
    return response.headers["Location"].split("?")[0].split("#")[0]


LINK = re.compile(
    r"https?://[^/\s]+(?:/[a-z]{2})?/petitions/(confirm|withdraw|signature)/[A-Za-z0-9_.\-]+"
)


def links_in(message: EmailMessage, kind: str = "confirm") -> list[str]:
    text_part = message.get_body(("plain",)).get_content()
    return [m.group(0) for m in LINK.finditer(text_part) if m.group(1) == kind]


def local_path(url: str) -> str:
    """The path of an absolute link (from the test app's BASE_URL, or a live server's)."""
    return re.sub(r"^https?://[^/]+", "", url)


def aged_token(purpose, payload, age_seconds: int, key: str = SECRET_KEY) -> str:
    """A genuine token signed ``age_seconds`` ago (to test expiry without waiting)."""

    class PastSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age_seconds

    return URLSafeTimedSerializer(key, salt=purpose.value, signer=PastSigner).dumps(payload)


def queue_test_messages(app: Flask, petition: dict, total: int, prefix: str = "reader") -> None:
    """Put ``total`` rendered messages in the outbox, as signing would."""
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        for n in range(total):
            enqueue(
                kind="test",
                to_address=f"{prefix}{n}@example.org",
                to_name="",
                template="confirm",
                subject=f"message {n}",
                language="en",
                context={
                    "petition": call,
                    "name": f"Reader {n}",
                    "confirm_url": f"http://localhost/petitions/confirm/x{n}",
                    "signature_url": f"http://localhost/petitions/withdraw/x{n}",
                    "petition_url": "http://localhost/",
                    "max_age_days": 30,
                },
            )
        db.session.commit()
