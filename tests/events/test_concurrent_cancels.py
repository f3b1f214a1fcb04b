"""Two cancellations at once promote two different people, in the waiting list's order,
and never more people than there are places (the event's row lock)."""

from __future__ import annotations

import threading

import pytest

from campaign.events import registrations
from campaign.extensions import db
from campaign.models import EventRegistration

from ..helpers.events import make_event, register_and_confirm


def _by_email(app) -> dict[str, str]:
    with app.app_context():
        return {r.email: r.status for r in db.session.scalars(db.select(EventRegistration))}


def _cancel_together(app, emails: list[str]) -> list[BaseException]:
    barrier = threading.Barrier(len(emails))
    errors: list[BaseException] = []

    def cancel(email: str) -> None:
        try:
            with app.app_context():
                found = db.session.scalar(
                    db.select(EventRegistration).where(EventRegistration.email == email)
                )
                barrier.wait()
                registrations.cancel(found)
                db.session.commit()
        except BaseException as error:  # reported by the test
            errors.append(error)

    threads = [threading.Thread(target=cancel, args=(e,)) for e in emails]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.parametrize("same", [False, True], ids=["two-people", "one-person-twice"])
def test_concurrent_cancellations(make_app, smtp, same):
    app = make_app()
    make_event(app, capacity=2)
    names = ["ada", "bob", "cy", "dee", "eve"]
    for name in names:
        register_and_confirm(app, app.test_client(), smtp, "launch", f"{name}@example.org", name)
    assert list(_by_email(app).values()).count("place") == 2
    targets = ["ada@example.org"] * 2 if same else ["ada@example.org", "bob@example.org"]
    assert _cancel_together(app, targets) == []
    statuses = _by_email(app)
    if same:
        assert statuses == {
            "ada@example.org": "cancelled",
            "bob@example.org": "place",
            "cy@example.org": "place",
            "dee@example.org": "waiting",
            "eve@example.org": "waiting",
        }
    else:
        assert statuses == {
            "ada@example.org": "cancelled",
            "bob@example.org": "cancelled",
            "cy@example.org": "place",
            "dee@example.org": "place",
            "eve@example.org": "waiting",
        }
