"""The online link and the registrants are in no public output: the event's page and list,
the home page, the call's page and its JSON, in every language, full or not, over or not."""

from __future__ import annotations

from datetime import timedelta

from campaign.extensions import db
from campaign.models import Event

from ..helpers.events import ONLINE_URL, make_event, register_and_confirm

PEOPLE = [("Zyxwv Quarantine", "zyxwv@example.org"), ("Qoppa Sampi", "qoppa@example.org")]


def _public_paths(slug: str, call: str) -> list[str]:
    paths = []
    for prefix in ("", "/fr", "/ar"):
        paths += [
            f"{prefix}/",
            f"{prefix}/events/",
            f"{prefix}/events/{slug}",
            f"{prefix}/events/{slug}/check-email",
            f"{prefix}/petitions/{call}",
            f"{prefix}/petitions",
        ]
    return [*paths, f"/petitions/{call}.json", f"/petitions/{call}/count.json"]


def _assert_nothing_private(client, paths: list[str]) -> int:
    checked = 0
    for path in paths:
        response = client.get(path)
        if response.status_code in (301, 302, 308):
            response = client.get(response.headers["Location"])
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert ONLINE_URL not in body, path
        assert "secret-room" not in body, path
        for name, email in PEOPLE:
            assert name not in body, path
            assert email not in body, path
        checked += 1
    return checked


def test_no_public_output_holds_the_link_or_a_registrant(app, client, smtp, petition):
    event = make_event(app, capacity=1, petition_id=petition["id"])
    for name, email in PEOPLE:
        register_and_confirm(app, app.test_client(), smtp, "launch", email, name)
    paths = _public_paths("launch", petition["slug"])
    # The pages do list the event (so the checks look where it is shown).
    assert "Launch of the report" in client.get("/").get_data(as_text=True)
    assert "Launch of the report" in client.get(f"/petitions/{petition['slug']}").get_data(
        as_text=True
    )
    assert "1 person registered" in client.get("/events/launch").get_data(as_text=True)
    assert _assert_nothing_private(client, paths) == len(paths)
    # Over: the page says so, and still holds nothing private.
    with app.app_context():
        found = db.session.get(Event, event["id"])
        found.starts_at -= timedelta(days=30)
        found.ends_at -= timedelta(days=30)
        db.session.commit()
    assert "This event is over" in client.get("/events/launch").get_data(as_text=True)
    _assert_nothing_private(client, paths)


def test_a_post_with_errors_holds_nothing_private(app, client, smtp):
    make_event(app)
    register_and_confirm(app, app.test_client(), smtp, "launch", PEOPLE[0][1], PEOPLE[0][0])
    response = client.post("/events/launch/register", data={"name": "x"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert ONLINE_URL not in body and PEOPLE[0][1] not in body
