"""An event as a visitor meets it: its page's form token, registering, the links in the
emails, the buttons on the pages they open."""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import EmailMessage

from flask import Flask

from campaign.extensions import db
from campaign.models import Event, utcnow

from .journey import CSRF, local_path, send_outbox

FORM_TOKEN = re.compile(r'name="form_token" type="hidden" value="([^"]+)"')
ONLINE_URL = "https://meet.example/secret-room-4711"
LINK = re.compile(r"https?://[^/\s]+(?:/[a-z]{2})?/events/(confirm|registration)/[A-Za-z0-9_.\-]+")


def make_event(
    app: Flask,
    *,
    slug: str = "launch",
    capacity: int = 2,
    starts_in: timedelta = timedelta(days=10),
    petition_id: int | None = None,
    online_url: str | None = ONLINE_URL,
) -> dict:
    from campaign.events.services import set_text

    with app.app_context():
        starts = utcnow().replace(microsecond=0) + starts_in
        event = Event(
            slug=slug,
            petition_id=petition_id,
            language="en",
            spoken_languages=["en"],
            timezone="Europe/Zurich",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            online_url=online_url,
            venue=None if online_url else "Maison de la Paix, Geneva",
            capacity=capacity,
            published=True,
        )
        db.session.add(event)
        set_text(event, "en", "Launch of the report", "A panel on **the report**.")
        set_text(event, "fr", "Lancement du rapport", "Une table ronde.")
        db.session.commit()
        return {"id": event.id, "slug": slug, "starts_at": event.starts_at}


def form_token(client, slug: str, prefix: str = "") -> str:
    page = client.get(f"{prefix}/events/{slug}")
    assert page.status_code == 200
    return FORM_TOKEN.search(page.get_data(as_text=True)).group(1)


def register(client, slug: str, prefix: str = "", **fields):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "country": "CH",
        "organisation": "Analytical Engines",
        "consent": "y",
    }
    if "form_token" not in fields:
        data["form_token"] = form_token(client, slug, prefix)
    data.update(fields)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(f"{prefix}/events/{slug}/register", data=data)


def links_in(message: EmailMessage, kind: str) -> list[str]:
    text = message.get_body(("plain",)).get_content()
    return [m.group(0) for m in LINK.finditer(text) if m.group(1) == kind]


def mail_to(smtp, address: str) -> list[EmailMessage]:
    return [m for m in smtp.messages if address in m["To"]]


def press(client, url: str, button: str = "submit"):
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    token = CSRF.search(page.get_data(as_text=True)).group(1)
    return client.post(url, data={"csrf_token": token, button: "pressed"})


def register_and_confirm(app: Flask, client, smtp, slug: str, email: str, name: str) -> str:
    """Register, open the email's link, press confirm; the registrant's own page's path."""
    assert register(client, slug, email=email, name=name).status_code == 303
    send_outbox(app)
    confirm = links_in(mail_to(smtp, email)[-1], "confirm")[0]
    response = press(client, local_path(confirm))
    assert response.status_code == 303
    return response.headers["Location"]


def attachment(message: EmailMessage, content_type: str = "text/calendar"):
    for part in message.iter_attachments():
        if part.get_content_type() == content_type:
            return part
    return None
