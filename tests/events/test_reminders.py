"""Reminders a day and an hour before, with the clock set by ``--now``; the recording
message after the event, once; people on the waiting list get neither."""

from __future__ import annotations

from datetime import timedelta

from campaign.extensions import db
from campaign.models import Event, EventReminder

from ..helpers.events import ONLINE_URL, make_event, register_and_confirm
from ..helpers.journey import send_outbox


def _remind(runner, moment) -> str:
    result = runner.invoke(args=["events", "send-reminders", "--now", moment.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def _mail(app, smtp) -> list:
    smtp.reset()
    send_outbox(app)
    return list(smtp.messages)


def test_day_and_hour_reminders_go_once_to_people_with_a_place(app, runner, smtp):
    event = make_event(app, capacity=1)
    start = event["starts_at"]
    register_and_confirm(app, app.test_client(), smtp, "launch", "ada@example.org", "Ada")
    register_and_confirm(app, app.test_client(), smtp, "launch", "bob@example.org", "Bob")
    _mail(app, smtp)  # the confirmations

    assert "no reminder due" in _remind(runner, start - timedelta(hours=25))
    assert _mail(app, smtp) == []

    assert "launch: 1 reminders queued" in _remind(runner, start - timedelta(hours=23))
    (day,) = _mail(app, smtp)
    assert "ada@example.org" in day["To"] and day["Subject"].startswith("Tomorrow")
    assert ONLINE_URL in day.get_body(("plain",)).get_content()
    _remind(runner, start - timedelta(hours=22))  # again, later the same day: nothing
    assert _mail(app, smtp) == []

    _remind(runner, start - timedelta(minutes=50))
    (hour,) = _mail(app, smtp)
    assert "ada@example.org" in hour["To"] and hour["Subject"].startswith("In one hour")
    _remind(runner, start - timedelta(minutes=45))
    _remind(runner, start + timedelta(minutes=5))  # under way: nobody is reminded
    assert _mail(app, smtp) == []
    with app.app_context():
        kinds = sorted(db.session.scalars(db.select(EventReminder.kind)))
    assert kinds == ["day", "hour"]  # none for Bob, who is waiting


def test_a_place_given_in_the_last_hour_gets_the_hour_reminder_only(app, runner, smtp):
    event = make_event(app, capacity=1)
    register_and_confirm(app, app.test_client(), smtp, "launch", "ada@example.org", "Ada")
    _mail(app, smtp)
    _remind(runner, event["starts_at"] - timedelta(minutes=30))
    (message,) = _mail(app, smtp)
    assert message["Subject"].startswith("In one hour")


def test_recording_message_goes_once_after_the_event(app, smtp, as_role):
    event = make_event(app, capacity=1)
    client = app.test_client()
    register_and_confirm(app, client, smtp, "launch", "ada@example.org", "Ada")
    register_and_confirm(app, app.test_client(), smtp, "launch", "bob@example.org", "Bob")
    _mail(app, smtp)
    editor = as_role("editor")
    url = f"/organiser/events/{event['id']}/recording"
    before = editor.get(url).get_data(as_text=True)
    assert "once the event is over" in before  # not before it ends
    with app.app_context():
        found = db.session.get(Event, event["id"])
        found.starts_at -= timedelta(days=20)
        found.ends_at -= timedelta(days=20)
        db.session.commit()
    page = editor.get(url).get_data(as_text=True)
    from ..helpers.journey import CSRF

    token = CSRF.search(page).group(1)
    data = {
        "csrf_token": token,
        "recording_url": "https://video.example/recording",
        "message": "Thank you for coming.",
    }
    hostile = {**data, "recording_url": "javascript:alert(1)"}
    refused = editor.post(url, data=hostile)
    assert refused.status_code == 422 and "valid URL" in refused.get_data(as_text=True)
    assert editor.post(url, data={**data, "message": "  "}).status_code == 422
    assert editor.post(url, data=data).status_code == 303
    assert editor.post(url, data=data).status_code == 200  # sent already: the form is gone
    (message,) = _mail(app, smtp)
    assert "ada@example.org" in message["To"]
    body = message.get_body(("plain",)).get_content()
    assert "https://video.example/recording" in body and "Thank you for coming." in body
