"""Registering for an event as a visitor does, over HTTP with the real SMTP server: the
form, the email, confirming, places and the waiting list, cancelling, the calendar file."""

from __future__ import annotations

from datetime import timedelta

import icalendar

from campaign.extensions import db
from campaign.models import Event, EventRegistration, OutboxMessage, RegistrationStatus

from ..helpers.events import (
    ONLINE_URL,
    attachment,
    links_in,
    mail_to,
    make_event,
    press,
    register,
    register_and_confirm,
)
from ..helpers.journey import local_path, send_outbox


def _statuses(app, event_id: int) -> dict[str, str]:
    with app.app_context():
        rows = db.session.scalars(
            db.select(EventRegistration).where(EventRegistration.event_id == event_id)
        )
        return {r.email: r.status for r in rows}


def test_register_confirm_place_with_link_and_calendar(app, client, smtp):
    event = make_event(app)
    response = register(client, "launch")
    assert response.status_code == 303
    assert "/events/launch/check-email" in response.headers["Location"]
    assert _statuses(app, event["id"]) == {"ada@example.org": "pending"}
    send_outbox(app)
    (request,) = smtp.messages
    assert "confirm" in request["Subject"].lower()
    text = request.get_body(("plain",)).get_content()
    assert ONLINE_URL not in text  # not before a place is confirmed
    assert attachment(request) is None

    confirm = links_in(request, "confirm")[0]
    page = client.get(local_path(confirm))
    assert page.status_code == 200  # a GET (a link scanner) confirms nothing
    assert _statuses(app, event["id"]) == {"ada@example.org": "pending"}
    response = press(client, local_path(confirm))
    assert response.status_code == 303
    assert _statuses(app, event["id"]) == {"ada@example.org": "place"}

    own_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ONLINE_URL in own_page
    send_outbox(app)
    place = smtp.messages[-1]
    assert ONLINE_URL in place.get_body(("plain",)).get_content()
    ics = attachment(place)
    assert ics is not None and ics.get_filename() == "launch.ics"
    calendar = icalendar.Calendar.from_ical(ics.get_content())
    assert calendar["METHOD"] == "PUBLISH"
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Launch of the report"
    assert entry.decoded("DTSTART") == event["starts_at"]
    assert entry.decoded("DTEND") == event["starts_at"] + timedelta(hours=1)
    assert str(entry["LOCATION"]) == ONLINE_URL
    assert str(entry["URL"]) == ONLINE_URL
    # The same UID in the file from the registrant's page: one entry in their calendar.
    again = client.get(response.headers["Location"] + "/calendar.ics")
    assert again.status_code == 200 and again.mimetype == "text/calendar"
    reparsed = icalendar.Calendar.from_ical(again.data).walk("VEVENT")[0]
    assert str(reparsed["UID"]) == str(entry["UID"])


def test_the_same_address_twice_makes_one_registration(app, client, smtp):
    event = make_event(app)
    register(client, "launch")
    register(client, "launch", email="ADA@example.org", name="Ada L.")
    send_outbox(app)
    assert len(smtp.messages) == 2
    assert _statuses(app, event["id"]) == {"ada@example.org": "pending"}
    # Both emails confirm the one registration; the second says it is a resend.
    first, second = (links_in(m, "confirm")[0] for m in smtp.messages)
    assert "already asked" in smtp.messages[1].get_body(("plain",)).get_content()
    press(client, local_path(second))
    assert client.get(local_path(first)).status_code == 303  # used: to the own page
    assert _statuses(app, event["id"]) == {"ada@example.org": "place"}
    # Registered: a new try resends the place, with the link, and adds no row.
    send_outbox(app)
    smtp.reset()
    register(client, "launch")
    send_outbox(app)
    (resent,) = smtp.messages
    assert ONLINE_URL in resent.get_body(("plain",)).get_content()
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(EventRegistration)) == 1


def test_capacity_waiting_list_and_cancel_promotes_the_first_waiting(app, client, smtp):
    event = make_event(app, capacity=1)
    own = {}
    for n, who in enumerate(["ada", "bob", "cy"]):
        own[who] = register_and_confirm(
            app, app.test_client(), smtp, "launch", f"{who}@example.org", f"Person {n}"
        )
    assert _statuses(app, event["id"]) == {
        "ada@example.org": "place",
        "bob@example.org": "waiting",
        "cy@example.org": "waiting",
    }
    page = client.get("/events/launch").get_data(as_text=True)
    assert "1 person registered" in page and "waiting list is open" in page
    send_outbox(app)
    waiting = mail_to(smtp, "bob@example.org")[-1]
    assert "waiting list" in waiting["Subject"]
    assert ONLINE_URL not in waiting.get_body(("plain",)).get_content()
    assert attachment(waiting) is None
    # Bob's own page shows no link either.
    assert ONLINE_URL not in client.get(own["bob"]).get_data(as_text=True)

    smtp.reset()
    assert press(client, own["ada"], button="cancel").status_code == 200
    assert _statuses(app, event["id"]) == {
        "ada@example.org": "cancelled",
        "bob@example.org": "place",
        "cy@example.org": "waiting",
    }
    send_outbox(app)
    (promoted,) = smtp.messages
    assert "bob@example.org" in promoted["To"]
    assert "place has been freed" in promoted.get_body(("plain",)).get_content()
    assert ONLINE_URL in promoted.get_body(("plain",)).get_content()
    assert attachment(promoted) is not None
    # The page no longer offers to cancel; nobody else is promoted.
    again = client.get(own["ada"]).get_data(as_text=True)
    assert "This registration is cancelled" in again and 'name="cancel"' not in again
    assert _statuses(app, event["id"])["cy@example.org"] == "waiting"


def test_a_waiting_person_cancelling_promotes_nobody(app, client, smtp):
    event = make_event(app, capacity=1)
    register_and_confirm(app, app.test_client(), smtp, "launch", "ada@example.org", "Ada")
    bob = register_and_confirm(app, app.test_client(), smtp, "launch", "bob@example.org", "Bob")
    cy = register_and_confirm(app, app.test_client(), smtp, "launch", "cy@example.org", "Cy")
    press(client, bob, button="cancel")
    assert _statuses(app, event["id"]) == {
        "ada@example.org": "place",
        "bob@example.org": "cancelled",
        "cy@example.org": "waiting",
    }
    assert cy


def test_past_event_takes_no_registration(app, client, smtp):
    make_event(app, starts_in=timedelta(days=-2))
    page = client.get("/events/launch").get_data(as_text=True)
    assert "This event is over" in page
    assert 'name="form_token"' not in page
    response = register(client, "launch", form_token="whatever")
    assert response.status_code == 409


def test_a_confirmation_link_used_after_the_event_gives_no_place(app, client, smtp):
    event = make_event(app)
    register(client, "launch")
    send_outbox(app)
    confirm = local_path(links_in(smtp.messages[0], "confirm")[0])
    with app.app_context():
        row = db.session.get(Event, event["id"])
        row.starts_at, row.ends_at = (
            row.starts_at - timedelta(days=30),
            row.ends_at - timedelta(days=30),
        )
        db.session.commit()
    page = client.get(confirm)
    assert page.status_code == 410
    assert "This event is over" in page.get_data(as_text=True)
    assert client.post(confirm, data={"submit": "pressed"}).status_code == 410
    assert _statuses(app, event["id"]) == {"ada@example.org": "pending"}


def test_page_in_french_and_registration_in_french(app, client, smtp):
    make_event(app)
    page = client.get("/fr/events/launch").get_data(as_text=True)
    assert "Lancement du rapport" in page
    assert "(Europe/Zurich)" in page
    register(client, "launch", prefix="/fr")
    send_outbox(app)
    (message,) = smtp.messages
    assert "/fr/events/confirm/" in message.get_body(("plain",)).get_content()
    with app.app_context():
        assert db.session.scalar(db.select(EventRegistration.language)) == "fr"
        assert db.session.scalar(db.select(OutboxMessage.registration_id)) is not None


def test_invalid_links_explain_themselves(app, client):
    make_event(app)
    assert client.get("/events/confirm/not-a-token").status_code == 404
    assert client.get("/events/registration/not-a-token").status_code == 404
    assert RegistrationStatus.PLACE == "place"
