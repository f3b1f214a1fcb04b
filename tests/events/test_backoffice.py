"""The organisers' event pages: creating an event and its text, the registrations list,
the CSV export (administrators, in the audit log), more places for the people waiting."""

from __future__ import annotations

import csv
import io
import re

from campaign.extensions import db
from campaign.models import AuditEntry, Event

from ..helpers.events import ONLINE_URL, make_event, register_and_confirm
from ..helpers.journey import CSRF, send_outbox

BUTTON_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _post(client, url: str, **data):
    token = CSRF.search(client.get(url).get_data(as_text=True)).group(1)
    return client.post(url, data={"csrf_token": token, **data})


def test_an_editor_creates_an_event_and_writes_its_text(app, as_role, petition):
    editor = as_role("editor")
    assert 'href="/organiser/events"' in editor.get("/organiser/").get_data(as_text=True)
    response = _post(
        editor,
        "/organiser/events/new",
        slug="launch-2030",
        petition_id=str(petition["id"]),
        language="en",
        spoken_languages=["en", "fr"],
        timezone="Europe/Zurich",
        starts_at="2030-03-09T17:00",
        ends_at="2030-03-09T18:30",
        online_url=ONLINE_URL,
        capacity="50",
        published="y",
    )
    assert response.status_code == 303
    assert "/text/en" in response.headers["Location"]
    assert _post(editor, response.headers["Location"], title="Launch", description_markdown="Hi")
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        assert event.starts_at.isoformat() == "2030-03-09T16:00:00+00:00"  # 17:00 in Zurich
        assert event.spoken_languages == ["en", "fr"]
        entries = [e.action for e in db.session.scalars(db.select(AuditEntry))]
        assert entries == ["create_event", "edit_event_text"]
        changes = db.session.scalar(db.select(AuditEntry.changes).limit(1))
        assert ONLINE_URL not in str(changes)  # the audit log names the link's change only
    page = app.test_client().get("/events/launch-2030").get_data(as_text=True)
    assert "Launch" in page and "(Europe/Zurich)" in page
    assert "Read and sign the call" in page


def test_registrations_page_and_admin_export(app, as_role, smtp):
    event = make_event(app, capacity=1)
    register_and_confirm(app, app.test_client(), smtp, "launch", "ada@example.org", "=Ada")
    register_and_confirm(app, app.test_client(), smtp, "launch", "bob@example.org", "Bob")
    editor = as_role("editor")
    page = editor.get(f"/organiser/events/{event['id']}/registrations").get_data(as_text=True)
    assert "ada@example.org" in page and "Waiting list" in page
    assert "Export as CSV" not in page  # administrators only
    admin = as_role("admin")
    url = f"/organiser/events/{event['id']}/registrations"
    assert "Export as CSV" in admin.get(url).get_data(as_text=True)
    token = BUTTON_TOKEN.search(admin.get(url).get_data(as_text=True)).group(1)
    response = admin.post(f"{url}.csv", data={"csrf_token": token})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["email"], r["status"]) for r in rows] == [
        ("ada@example.org", "place"),
        ("bob@example.org", "waiting"),
    ]
    assert rows[0]["name"] == "'=Ada"  # no formula runs in a spreadsheet
    with app.app_context():
        entry = db.session.scalar(
            db.select(AuditEntry).where(AuditEntry.action == "export_registrations")
        )
        assert entry.changes == {"rows": 2} and entry.target_id == str(event["id"])
    assert editor.post(f"{url}.csv", data={"csrf_token": token}).status_code in (400, 403)


def test_more_places_go_to_the_people_waiting(app, as_role, smtp):
    event = make_event(app, capacity=1)
    register_and_confirm(app, app.test_client(), smtp, "launch", "ada@example.org", "Ada")
    register_and_confirm(app, app.test_client(), smtp, "launch", "bob@example.org", "Bob")
    send_outbox(app)
    smtp.reset()
    editor = as_role("editor")
    url = f"/organiser/events/{event['id']}/edit"
    page = editor.get(url).get_data(as_text=True)
    data = {
        "csrf_token": CSRF.search(page).group(1),
        "slug": "launch",
        "language": "en",
        "timezone": "Europe/Zurich",
        "starts_at": event["starts_at"].strftime("%Y-%m-%dT%H:%M"),
        "ends_at": "2099-01-01T00:00",
        "online_url": ONLINE_URL,
        "capacity": "2",
        "published": "y",
    }
    assert editor.post(url, data=data).status_code == 303
    send_outbox(app)
    (promoted,) = smtp.messages
    assert "bob@example.org" in promoted["To"]


def test_building_the_event_form_leaves_its_validators_as_declared(app):
    """Validators added to a bound field join the list every instance shares: the form
    built a hundred times checks its address as often as built once."""
    from campaign.events.forms import EventForm

    with app.test_request_context():
        counts = {
            len(EventForm(languages=["en"], calls=[], publications=[]).slug.validators)
            for _ in range(100)
        }
    assert counts == {3}
