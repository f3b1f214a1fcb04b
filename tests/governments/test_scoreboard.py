"""The public scoreboard over HTTP: each state, the JSON exactly, CORS and caching, the
page in three languages, the call page's summary, 404s, and nothing personal anywhere."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from campaign.extensions import db
from campaign.governments.scoreboard import State, scoreboard, state_counts, state_of, summary
from campaign.models import Delivery, GovernmentResponse, Petition

from ..helpers.backoffice import add_signature
from .helpers import (
    HANDED_OVER_BY,
    SECRET_CONTACTS,
    add_delivery,
    add_response,
    add_target,
    one_in_each_state,
    today,
    without_targets,
)

SLUG = "call-to-governments"
PAGE = f"/petitions/{SLUG}/governments"
JSON = f"{PAGE}.json"
ATOM = f"{PAGE}.atom"


@pytest.fixture
def world(app, petition) -> dict[str, int]:
    with app.app_context():
        return one_in_each_state(petition["id"])


def states_of(client) -> dict[str, str]:
    return {row["code"]: row["state"] for row in client.get(JSON).get_json()["governments"]}


def test_each_government_is_in_its_state(client, world):
    assert states_of(client) == {
        "FR": "collecting",
        "CH": "ready",
        "ES": "delivered",
        "MX": "no_reply",
        "KE": "responded",
    }


def test_the_states_move_with_counts_deliveries_time_and_answers(app, client, petition):
    with app.app_context():
        now = today(petition["id"])
        without_targets(petition["id"])
        add_target(petition["id"], "DE", threshold=2)
        add_signature(petition["id"], "one@example.org", country="DE")
        add_signature(petition["id"], "pending@example.org", country="DE", confirmed=False)
        add_signature(petition["id"], "held@example.org", country="DE", validity="suspect")
        db.session.commit()
    # Only confirmed signatures that count: one of the three.
    [germany] = client.get(JSON).get_json()["governments"]
    assert (germany["signature_count"], germany["state"]) == (1, "collecting")

    with app.app_context():
        add_signature(petition["id"], "two@example.org", country="DE")
        db.session.commit()
    assert states_of(client) == {"DE": "ready"}

    with app.app_context():
        delivery = add_delivery(petition["id"], "DE", now - timedelta(days=60))
        db.session.commit()
    assert states_of(client) == {"DE": "delivered"}  # the 60th day is still within the wait

    with app.app_context():
        db.session.get(Delivery, delivery).delivered_on = now - timedelta(days=61)
        db.session.commit()
    assert states_of(client) == {"DE": "no_reply"}

    with app.app_context():
        db.session.get(Petition, petition["id"]).reply_wait_days = 90
        db.session.commit()
    assert states_of(client) == {"DE": "delivered"}

    with app.app_context():
        add_response(delivery, now, stance="declines")
        db.session.commit()
    assert states_of(client) == {"DE": "responded"}


def test_the_latest_delivery_is_the_current_round(app, petition):
    """A second delivery after an answer awaits its own answer."""
    with app.app_context():
        now = today(petition["id"])
        without_targets(petition["id"])
        add_target(petition["id"], "ES")
        first = add_delivery(petition["id"], "ES", now - timedelta(days=40), signature_count=100)
        add_response(first, now - timedelta(days=30))
        second = add_delivery(petition["id"], "ES", now - timedelta(days=3), signature_count=300)
        db.session.commit()
        [spain] = scoreboard(db.session.get(Petition, petition["id"]))
        assert spain.state == State.DELIVERED
        assert spain.delivery.id == second
        assert spain.response is None
        assert spain.days_waiting == 3


def test_state_of_is_one_rule():
    assert (
        state_of(0, 0, None, False, 60, today=date(2026, 1, 1)) == State.READY
    )  # no threshold: ready at once
    assert state_of(9, 10, None, False, 60, today=date(2026, 1, 1)) == State.COLLECTING
    delivered = date(2026, 1, 1)
    assert state_of(9, 10, delivered, False, 60, today=date(2026, 3, 2)) == State.DELIVERED
    assert state_of(9, 10, delivered, False, 60, today=date(2026, 3, 3)) == State.NO_REPLY
    assert state_of(9, 10, delivered, True, 60, today=date(2026, 3, 3)) == State.RESPONDED


def test_the_call_page_summary_follows_the_scoreboard(app, world, petition):
    with app.test_request_context():
        call = db.session.get(Petition, petition["id"])
        assert summary(call) == state_counts(scoreboard(call))
        assert set(summary(call).values()) == {1}  # one government in each state


def test_the_json_is_exactly_as_documented(client, world):
    response = client.get(JSON)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    body = response.get_json()
    assert set(body) == {"slug", "governments"}
    assert body["slug"] == SLUG
    rows = {row["code"]: row for row in body["governments"]}
    keys = {
        "code",
        "name",
        "names",
        "body",
        "signature_count",
        "threshold",
        "state",
        "delivered_at",
        "delivery_manifest_sha256",
        "response",
    }
    assert all(set(row) == keys for row in rows.values())
    assert rows["CH"] == {
        "code": "CH",
        "name": "Switzerland",
        "names": {
            "en": "Switzerland",
            "fr": "Suisse",
            "es": "Suiza",
            "ar": "سويسرا",
            "zh": "瑞士",
            "ru": "Швейцария",
        },
        "body": "Federal Department of Foreign Affairs",
        "signature_count": 420,
        "threshold": 100,
        "state": "ready",
        "delivered_at": None,
        "delivery_manifest_sha256": None,
        "response": None,
    }
    kenya = rows["KE"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", kenya["delivered_at"])
    assert re.fullmatch(r"[0-9a-f]{64}", kenya["delivery_manifest_sha256"])
    assert set(kenya["response"]) == {"date", "stance", "summary", "url", "texts"}
    assert kenya["response"]["stance"] == "partly_supports"
    assert kenya["response"]["url"] == "https://gov.example/press/answer"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", kenya["response"]["date"])
    assert rows["ES"]["response"] is None and rows["ES"]["delivered_at"]
    # Names in English, whatever the URL's language.
    assert client.get(f"/fr{JSON}").get_json()["governments"][0]["name"] == "Switzerland"


def test_a_call_without_governments_has_an_empty_scoreboard(app, client, petition):
    with app.app_context():
        without_targets(petition["id"])
        db.session.commit()
    assert client.get(JSON).get_json() == {"slug": SLUG, "governments": []}
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "This call does not address any government yet." in page.get_data(as_text=True)
    # ... and its page has no governments section.
    assert 'id="governments-heading"' not in client.get(f"/petitions/{SLUG}").get_data(as_text=True)


def test_the_page_shows_every_government_and_each_answer(client, world):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    page = response.get_data(as_text=True)
    for text in (
        "Collecting signatures",
        "Ready to deliver",
        "Delivered, awaiting a reply",
        "No reply after 90 days",
        "No reply yet · 10 days",
        "Partly supports the call",
        "The ministry will raise the matter at the next council.",
        'href="https://gov.example/press/answer"',
        "The Government of Kenya thanks the signatories.",
        "Federal Department of Foreign Affairs",
    ):
        assert text in page, text
    assert page.count('class="gov-row ') == 5
    assert 'id="government-ke"' in page and 'id="government-fr"' not in page
    assert f'href="/petitions/{SLUG}/governments.atom"' in page
    assert 'type="application/atom+xml"' in page


def test_the_page_in_french_and_spanish(client, world):
    french = client.get(f"/fr{PAGE}").get_data(as_text=True)
    assert '<html lang="fr">' in french
    assert "Suisse" in french and "Espagne" in french
    assert 'href="/fr/petitions/call-to-governments/governments.atom"' in french
    # The answer's French text is shown to French readers, without a language mark.
    assert "Le gouvernement du Kenya remercie les signataires." in french
    assert '<div class="gov-text" lang="fr">' in french

    spanish = client.get(f"/es{PAGE}").get_data(as_text=True)
    assert '<html lang="es">' in spanish
    assert "Suiza" in spanish and "Kenia" in spanish
    # No Spanish text: another language's, marked as such.
    assert '<div class="gov-text" lang="en">' in spanish
    assert "The Government of Kenya thanks the signatories." in spanish


def test_the_call_page_summarises_the_governments(client, world):
    page = client.get(f"/petitions/{SLUG}").get_data(as_text=True)
    section = page[page.index('class="petition-governments"') :]
    section = section[: section.index("</section>")]
    for text in (
        "1 collecting signatures",
        "1 ready to deliver",
        "1 delivered, awaiting a reply",
        "1 with no reply",
        "1 responded",
    ):
        assert text in section, text
    assert f'href="/petitions/{SLUG}/governments"' in section
    french = client.get(f"/fr/petitions/{SLUG}").get_data(as_text=True)
    assert f'href="/fr/petitions/{SLUG}/governments"' in french


@pytest.mark.parametrize("path", [PAGE, JSON, ATOM])
def test_an_unknown_or_draft_call_is_not_found(app, client, petition, path):
    assert client.get(path.replace(SLUG, "no-such-call")).status_code == 404
    with app.app_context():
        db.session.get(Petition, petition["id"]).state = "draft"
        db.session.commit()
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("prefix", ["", "/fr", "/es"])
def test_nothing_personal_is_public(app, client, world, prefix):
    """No contact address of a government, nobody's name or email, in any public output."""
    with app.app_context():
        responses = db.session.scalars(db.select(GovernmentResponse)).all()
        assert responses  # the answer is there, and recorded by...
    outputs = [
        client.get(f"{prefix}{path}").get_data(as_text=True)
        for path in (PAGE, JSON, ATOM, f"/petitions/{SLUG}")
    ]
    for output in outputs[:3]:
        for secret in (*SECRET_CONTACTS, "second-", HANDED_OVER_BY, "@"):
            assert secret not in output, secret
    assert not any(secret in outputs[3] for secret in (*SECRET_CONTACTS, HANDED_OVER_BY))
