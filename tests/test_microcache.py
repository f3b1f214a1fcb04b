"""The one-second cache of public responses in each web process (campaign/microcache.py).

It must speed up the public page and count without ever serving something a
CDN could not: nothing personal, nothing with a session, nothing stale for
longer than its few seconds.
"""

from __future__ import annotations

import time

import pytest

from campaign.extensions import db
from campaign.microcache import MicroCache
from campaign.petitions.counters import adjust_counters

COUNT = "/petitions/call-to-governments/count.json"


def microcache_of(app) -> MicroCache | None:
    """The cache among the WSGI layers around the app, if any."""
    layer = app.wsgi_app
    while layer is not None:
        if isinstance(layer, MicroCache):
            return layer
        layer = getattr(layer, "app", None)
    return None


@pytest.fixture
def cached_app(make_app):
    return make_app(PUBLIC_RESPONSE_CACHE_SECONDS=1)


def add_to_count(app, petition_id: int, delta: int = 1) -> None:
    with app.app_context():
        adjust_counters(petition_id, "CH", delta)
        db.session.commit()


def count(client, path: str = COUNT, **kwargs) -> int:
    response = client.get(path, **kwargs)
    assert response.status_code == 200
    return response.get_json()["signature_count"]


@pytest.fixture
def seeded(cached_app):
    from campaign.petitions.cli import seed_demo

    with cached_app.app_context():
        call, _ = seed_demo()
        db.session.commit()
        return call.id


def test_public_count_is_kept_one_second_then_refreshed(cached_app, seeded):
    client = cached_app.test_client()
    assert count(client) == 0
    add_to_count(cached_app, seeded)
    assert count(client) == 0, "served from the cache within the second"
    time.sleep(1.1)
    assert count(client) == 1, "the origin reflects a change within seconds"


def test_page_is_cached_per_language(cached_app, seeded):
    client = cached_app.test_client()
    english = client.get("/petitions/call-to-governments")
    french = client.get("/fr/petitions/call-to-governments")
    assert english.status_code == french.status_code == 200
    assert 'lang="en"' in english.get_data(as_text=True)
    assert 'lang="fr"' in french.get_data(as_text=True)
    # The cached copy keeps the security and cache headers of the original.
    again = client.get("/fr/petitions/call-to-governments")
    assert again.get_data() == french.get_data()
    assert again.headers["Cache-Control"].startswith("public")
    assert "default-src 'self'" in again.headers["Content-Security-Policy"]


def test_requests_with_a_cookie_or_a_query_string_always_reach_the_app(cached_app, seeded):
    client = cached_app.test_client()
    assert count(client) == 0
    add_to_count(cached_app, seeded)
    assert count(client, f"{COUNT}?fresh") == 1
    assert count(client) == 0
    with_cookie = cached_app.test_client()
    with_cookie.set_cookie("session", "anything")
    assert count(with_cookie) == 1


def test_each_host_has_its_own_copy(cached_app, seeded):
    client = cached_app.test_client()
    assert count(client, base_url="http://one.example") == 0
    add_to_count(cached_app, seeded)
    assert count(client, base_url="http://two.example") == 1
    assert count(client, base_url="http://one.example") == 0


def test_private_and_failed_responses_are_never_kept(cached_app, seeded):
    client = cached_app.test_client()
    thank_you = "/petitions/call-to-governments/thank-you"
    with client.session_transaction() as session:  # as the confirm button leaves it
        session["just_confirmed"] = {"call": "call-to-governments", "signature": "x"}
    assert client.get(thank_you).headers["Cache-Control"] == "no-store"
    add_to_count(cached_app, seeded, 7)
    # no-store: the next visitor sees the new count at once.
    assert "7" in client.get(thank_you).get_data(as_text=True)
    # A 404 is not kept: the call appears as soon as it exists.
    assert client.get("/petitions/not-yet/count.json").status_code == 404
    cache = microcache_of(cached_app)
    assert all("/petitions/not-yet/count.json" not in key for key in cache._entries)


def test_off_when_testing_unless_asked(app, cached_app):
    assert app.config["PUBLIC_RESPONSE_CACHE_SECONDS"] == 0
    assert microcache_of(app) is None
    assert microcache_of(cached_app) is not None


def test_a_streamed_download_passes_through_unbuffered_and_is_not_kept(cached_app, seeded):
    """The press CSV streams as its snapshot is written: kept here, all of it would sit in
    memory (a million rows: 53 MB, twice) and its first byte would wait for its last."""
    from campaign.exports import snapshots

    from .exports.helpers import add_signature

    with cached_app.app_context():
        add_signature(seeded, "Streamed Signer")
        db.session.commit()
    client = cached_app.test_client()
    url = "/petitions/call-to-governments/signatories.csv"
    first = client.get(url, buffered=False)  # written while it is sent: no length
    assert first.is_streamed and "Content-Length" not in first.headers
    body = b"".join(first.response)
    first.close()
    snapshots.wait_for_jobs()
    assert b"Streamed Signer" in body
    assert microcache_of(cached_app)._entries == {}  # nothing of it was kept
    # From the stored snapshot, with its length: a short list may be kept like a page.
    assert client.get(url).data == body
