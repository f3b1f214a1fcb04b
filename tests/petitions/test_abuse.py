"""Abuse: hard limits (429), soft limits that hold signatures back, and the client address."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.ip_addresses import pack_ip
from campaign.models import OutboxMessage, Petition, Signature, Validity
from campaign.tokens import Purpose

from ..helpers.journey import (
    aged_token,
    links_in,
    local_path,
    next_path,
    press_button,
    send_outbox,
    sign,
)

ABUSE_ON = {"RATELIMIT_ENABLED": True}


def signatures(app) -> list[Signature]:
    with app.app_context():
        return list(db.session.scalars(select(Signature).order_by(Signature.id)))


def test_second_signature_from_one_address_within_a_minute_is_suspect(make_app, smtp, petition):
    app = make_app(**ABUSE_ON)
    client = app.test_client()
    first = sign(client, petition["slug"], email="one@example.org")
    second = sign(client, petition["slug"], email="two@example.org")
    # The signer sees exactly the normal page: a bot learns nothing.
    assert first.status_code == second.status_code == 303
    assert next_path(first) == next_path(second)
    one, two = signatures(app)
    assert (one.validity, one.suspect_reason) == (Validity.OK, None)
    assert (two.validity, two.suspect_reason) == (Validity.SUSPECT, "soft-limit")
    # Real people share addresses: the suspect signer still gets the email and can confirm,
    # but is not counted until an organiser releases the signature.
    assert send_outbox(app).sent == 2
    for message in smtp.messages:
        press_button(client, local_path(links_in(message)[0]))
    with app.app_context():
        assert db.session.get(Petition, petition["id"]).signature_count == 1
    assert client.get(f"/petitions/{petition['slug']}/count.json").json["signature_count"] == 1


def test_five_in_five_minutes(make_app, petition):
    app = make_app(SIGN_SOFT_LIMITS="5/300", **ABUSE_ON)
    client = app.test_client()
    for n in range(7):
        sign(client, petition["slug"], email=f"p{n}@example.org")
    assert [s.validity for s in signatures(app)] == [Validity.OK] * 5 + [Validity.SUSPECT] * 2


def test_limits_are_per_address_and_per_call(make_app, petition):
    app = make_app(**ABUSE_ON)
    client = app.test_client()
    sign(client, petition["slug"], email="a@example.org")
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    sign(other, petition["slug"], email="b@example.org")
    with app.app_context():
        second = Petition(slug="second-call", title="Second", state="open")
        db.session.add(second)
        db.session.commit()
    sign(client, "second-call", email="a@example.org")
    assert [s.validity for s in signatures(app)] == [Validity.OK] * 3


def test_honeypot_marks_suspect_but_looks_normal(make_app, petition):
    app = make_app(**ABUSE_ON)
    response = sign(app.test_client(), petition["slug"], website="http://spam.example")
    assert response.status_code == 303
    [signature] = signatures(app)
    assert (signature.validity, signature.suspect_reason) == (Validity.SUSPECT, "honeypot")
    with app.app_context():
        assert len(db.session.scalars(select(OutboxMessage)).all()) == 1


def test_faster_than_a_person_is_suspect(make_app, petition):
    app = make_app(SIGN_MIN_SECONDS=2, **ABUSE_ON)
    client = app.test_client()
    sign(client, petition["slug"], email="fast@example.org")  # token served just now
    client.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    with app.app_context():
        read_slowly = aged_token(Purpose.SIGN_FORM, petition["id"], 5)
    sign(client, petition["slug"], email="human@example.org", form_token=read_slowly)
    fast, human = signatures(app)
    assert (fast.validity, fast.suspect_reason) == (Validity.SUSPECT, "too-fast")
    assert human.validity == Validity.OK


def test_timing_check_off_with_zero(make_app, petition):
    app = make_app(SIGN_MIN_SECONDS=0, **ABUSE_ON)
    sign(app.test_client(), petition["slug"])
    assert signatures(app)[0].validity == Validity.OK


def test_switching_limits_off_disables_both_layers(make_app, petition):
    app = make_app(RATELIMIT_ENABLED=False, SIGN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    for n in range(5):
        assert sign(client, petition["slug"], email=f"k{n}@example.org").status_code == 303
    assert {s.validity for s in signatures(app)} == {Validity.OK}


def test_hard_limit_gets_a_styled_429(make_app, petition):
    app = make_app(SIGN_RATE_LIMIT="3 per minute", SIGN_SOFT_LIMITS="", **ABUSE_ON)
    client = app.test_client()
    statuses = [
        sign(client, petition["slug"], email=f"h{n}@example.org").status_code for n in range(4)
    ]
    assert statuses == [303, 303, 303, 429]
    limited = sign(client, petition["slug"], email="h9@example.org")
    assert limited.status_code == 429
    html = limited.get_data(as_text=True)
    assert "Too many requests" in html and "site.css" in html
    assert len(signatures(app)) == 3
    # Another address is not affected.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    assert sign(other, petition["slug"], email="other@example.org").status_code == 303


def test_confirmation_is_rate_limited(make_app, petition):
    app = make_app(CONFIRM_RATE_LIMIT="2 per minute", **ABUSE_ON)
    client = app.test_client()
    codes = [client.get("/petitions/confirm/not-a-token").status_code for _ in range(3)]
    assert codes == [404, 404, 429]


def test_forwarded_for_is_ignored_without_a_proxy(make_app, petition):
    app = make_app(PROXY_COUNT=0)
    forged = _sign_with_headers(app, petition, {"X-Forwarded-For": "6.6.6.6"}, "f@example.org")
    assert forged.ip_address == pack_ip("127.0.0.1")


def test_forwarded_for_is_used_behind_the_configured_proxies(make_app, petition):
    app = make_app(PROXY_COUNT=1)
    # The client forged the first entry; our proxy appended the real address.
    signature = _sign_with_headers(
        app, petition, {"X-Forwarded-For": "6.6.6.6, 203.0.113.50"}, "p@example.org"
    )
    assert signature.ip_address == pack_ip("203.0.113.50")


def _sign_with_headers(app, petition, headers, email) -> Signature:
    from ..helpers.journey import form_token

    client = app.test_client()
    data = {
        "name": "Ada",
        "email": email,
        "country": "CH",
        "consent": "y",
        "form_token": form_token(client, petition["slug"]),
    }
    assert (
        client.post(f"/petitions/{petition['slug']}/sign", data=data, headers=headers).status_code
        == 303
    )
    with app.app_context():
        return db.session.scalars(select(Signature).where(Signature.email == email)).one()


def test_blocklisted_signatures_are_suspect_even_with_limits_off(make_app, petition):
    from campaign.models import BlocklistKind
    from campaign.moderation.blocklists import add_block

    app = make_app(RATELIMIT_ENABLED=False)
    with app.app_context():
        add_block(BlocklistKind.DOMAIN, "spamwave.org", None, "bot wave", None)
        add_block(BlocklistKind.IP_RANGE, "198.51.100.0/24", petition["id"], "bots", None)
        db.session.commit()
    client = app.test_client()
    assert sign(client, petition["slug"], email="bot1@spamwave.org").status_code == 303
    ranged = app.test_client()
    ranged.environ_base["REMOTE_ADDR"] = "198.51.100.77"
    sign(ranged, petition["slug"], email="ranged@example.org")
    sign(client, petition["slug"], email="fine@example.org")
    reasons = [(s.email, s.validity, s.suspect_reason) for s in signatures(app)]
    assert reasons == [
        ("bot1@spamwave.org", Validity.SUSPECT, "blocklist"),
        ("ranged@example.org", Validity.SUSPECT, "blocklist"),
        ("fine@example.org", Validity.OK, None),
    ]


def test_organiser_sign_in_has_a_hard_limit_per_address(make_app):
    app = make_app(SIGNIN_RATE_LIMIT="3 per minute", **ABUSE_ON)
    client = app.test_client()
    page = client.get("/organiser/sign-in")
    assert page.status_code == 200
    import re

    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)
    ).group(1)
    data = {"csrf_token": token, "email": "nobody@example.org", "password": "wrong password!"}
    codes = [client.post("/organiser/sign-in", data=data).status_code for _ in range(4)]
    assert codes == [422, 422, 422, 429]
    assert "Too many requests" in client.post("/organiser/sign-in", data=data).get_data(
        as_text=True
    )


def test_a_block_added_by_another_process_applies_within_the_cache_time(make_app, petition):
    """Each process rereads the blocklists every BLOCKLIST_CACHE_SECONDS, not on every post."""
    import time

    from campaign.models import Blocklist, BlocklistKind

    app = make_app(BLOCKLIST_CACHE_SECONDS=0.5)
    client = app.test_client()
    sign(client, petition["slug"], email="before@spamwave.org")  # the rules are now cached
    # Another process's organiser adds a block: a row this process was not told about.
    with app.app_context():
        db.session.add(Blocklist(kind=BlocklistKind.DOMAIN, value="spamwave.org", reason="x"))
        db.session.commit()
    time.sleep(0.6)
    sign(client, petition["slug"], email="after@spamwave.org")
    reasons = [(s.email, s.suspect_reason) for s in signatures(app)]
    assert reasons == [("before@spamwave.org", None), ("after@spamwave.org", "blocklist")]
