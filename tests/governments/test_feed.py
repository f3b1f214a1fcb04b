"""The Atom feed: well-formed, an entry per recorded delivery and per answer, stable ids,
times that say when each changed, in the reader's language."""

from __future__ import annotations

import re
from datetime import timedelta
from xml.etree import ElementTree as ET

from campaign.extensions import db
from campaign.models import GovernmentResponse

from .helpers import add_delivery, add_target, one_in_each_state, today

FEED = "/petitions/call-to-governments/governments.atom"
A = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def parse(client, path: str = FEED) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    return ET.fromstring(response.data)


def entries(feed: ET.Element) -> dict[str, ET.Element]:
    return {entry.findtext(f"{A}id"): entry for entry in feed.findall(f"{A}entry")}


def test_the_feed_has_an_entry_per_delivery_and_per_answer(app, client, petition):
    with app.app_context():
        deliveries = one_in_each_state(petition["id"])
    feed = parse(client)
    assert feed.tag == f"{A}feed"
    assert feed.get(XML_LANG) == "en"
    assert feed.findtext(f"{A}id").startswith("tag:localhost,")
    assert "Governments: stop the cyberattacks on healthcare" in feed.findtext(f"{A}title")
    assert RFC3339.fullmatch(feed.findtext(f"{A}updated"))
    assert feed.find(f"{A}author/{A}name").text
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
    assert links == {
        "self": f"http://localhost{FEED}",
        "alternate": "http://localhost/petitions/call-to-governments/governments",
    }

    found = entries(feed)
    assert len(found) == 4  # three deliveries, one answer
    ids = sorted(found)
    assert [i.rsplit("/", 1)[1] for i in ids] == sorted(
        [f"delivery-{n}" for n in deliveries.values()] + [f"response-{_response_id(app)}"]
    )
    for entry in found.values():
        assert entry.findtext(f"{A}title")
        assert RFC3339.fullmatch(entry.findtext(f"{A}updated"))
        assert RFC3339.fullmatch(entry.findtext(f"{A}published"))
        assert (
            entry.find(f"{A}link")
            .get("href")
            .startswith("http://localhost/petitions/call-to-governments/governments#government-")
        )
    kenya = next(e for i, e in found.items() if "response-" in i)
    assert kenya.findtext(f"{A}title") == (
        "The government of Kenya answered: Partly supports the call"
    )
    assert "raise the matter at the next council" in kenya.findtext(f"{A}summary")
    content = kenya.find(f"{A}content")
    assert content.get(XML_LANG) == "en"
    assert "It will act." in content.text
    spain = found[next(i for i in ids if i.endswith(f"delivery-{deliveries['ES']}"))]
    assert spain.findtext(f"{A}title") == "Delivered to the government of Spain"
    assert "240 signatures" in spain.findtext(f"{A}summary")
    assert spain.find(f"{A}content") is None


def _response_id(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(GovernmentResponse.id))


def test_ids_stay_and_an_edited_answer_is_updated(app, client, petition):
    with app.app_context():
        one_in_each_state(petition["id"])
    before = entries(parse(client))
    with app.app_context():
        response = db.session.scalar(db.select(GovernmentResponse))
        response.summary = "A corrected summary."
        response.updated_at = response.updated_at + timedelta(days=1)
        db.session.commit()
    after = entries(parse(client))
    assert set(after) == set(before)
    changed = [i for i in after if "response-" in i]
    assert after[changed[0]].findtext(f"{A}updated") > before[changed[0]].findtext(f"{A}updated")
    # The newest change first, and the feed is as new as it.
    feed = parse(client)
    assert feed.find(f"{A}entry/{A}id").text == changed[0]
    assert feed.findtext(f"{A}updated") == after[changed[0]].findtext(f"{A}updated")


def test_the_feed_in_french_and_with_odd_text(app, client, petition):
    with app.app_context():
        one_in_each_state(petition["id"])
        add_target(petition["id"], "DE")
        add_delivery(petition["id"], "DE", today(petition["id"]), body='Amt <&> "Büro"\x0b')
        db.session.commit()
    feed = parse(client, f"/fr{FEED}")
    assert feed.get(XML_LANG) == "fr"
    titles = [entry.findtext(f"{A}title") for entry in feed.findall(f"{A}entry")]
    assert any("Allemagne" in title for title in titles), titles
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
    assert links["self"] == f"http://localhost/fr{FEED}"
    summaries = " ".join(entry.findtext(f"{A}summary") for entry in feed.findall(f"{A}entry"))
    assert 'Amt <&> "Büro"' in summaries


def test_a_call_without_deliveries_has_an_empty_feed(client, petition):
    feed = parse(client)
    assert feed.findall(f"{A}entry") == []
    assert RFC3339.fullmatch(feed.findtext(f"{A}updated"))


def test_a_delivery_to_a_government_no_longer_addressed_links_to_the_page(app, client, petition):
    with app.app_context():
        add_delivery(petition["id"], "IT", today(petition["id"]))
        db.session.commit()
    [entry] = parse(client).findall(f"{A}entry")
    assert entry.findtext(f"{A}title") == "Delivered to the government of Italy"
    assert entry.find(f"{A}link").get("href") == (
        "http://localhost/petitions/call-to-governments/governments"
    )
