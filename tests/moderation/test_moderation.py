"""Moderation: search, invalidation one by one or by a previewed rule, undo, the review
queue, and blocklists applied to new signatures."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, Blocklist, Petition, Signature, utcnow
from campaign.moderation.blocklists import add_block
from campaign.petitions.abuse import blocklisted
from campaign.petitions.lifecycle import confirm
from campaign.timezones import to_local

from ..helpers.backoffice import add_signature, csrf_token
from ..helpers.journey import send_outbox, sign


def count(app, petition_id: int) -> int:
    with app.app_context():
        return db.session.get(Petition, petition_id).signature_count


def spam_wave(app, petition_id: int) -> None:
    """Ten genuine signatures and a wave of 25 from one domain and network."""
    with app.app_context():
        for n in range(10):
            add_signature(
                petition_id, f"person{n}@example.org", name=f"Person {n}", ip=f"192.0.2.{n + 1}"
            )
        for n in range(25):
            add_signature(
                petition_id,
                f"bot{n}@mail.spamwave.org" if n % 5 else f"bot{n}@spamwave.org",
                name=f"Bot {n}",
                ip=f"198.51.100.{n + 1}",
                confirmed=n < 20,
                country="US",
            )
        add_signature(petition_id, "v6@example.net", name="Six", ip="2001:db8::7")
        db.session.commit()


def search(client, petition_id: int, **params):
    return client.get(f"/organiser/calls/{petition_id}/signatures?{urlencode(params)}")


def matches(response) -> int:
    import re

    found = re.search(r"(\d+) signatures? match", response.get_data(as_text=True))
    assert found, response.get_data(as_text=True)[:2000]
    return int(found.group(1))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 36),
        ({"name": "bot 1"}, 11),  # Bot 1, Bot 10 to Bot 19
        ({"email": "person3@"}, 1),
        ({"email": "PERSON3@EXAMPLE.ORG"}, 1),
        ({"domain": "spamwave.org"}, 25),  # the domain and its subdomains
        ({"domain": "mail.spamwave.org"}, 20),
        ({"ip": "198.51.100.7"}, 1),
        ({"ip": "198.51.100.0/28"}, 15),  # .0 to .15: .1 to .15 are used
        ({"ip": "192.0.2.0/24"}, 10),
        ({"ip": "2001:db8::/32"}, 1),
        ({"country": "us"}, 25),
        ({"status": "pending"}, 5),
        ({"validity": "ok", "country": "CH"}, 11),
    ],
)
def test_search(app, as_role, petition, params, expected):
    spam_wave(app, petition["id"])
    assert matches(search(as_role("moderator"), petition["id"], **params)) == expected


def test_search_by_time_window_in_the_calls_time_zone(app, as_role, petition):
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        call.timezone = "Asia/Tokyo"
        add_signature(petition["id"], "old@example.org", created_at=utcnow() - timedelta(days=2))
        add_signature(petition["id"], "new@example.org")
        db.session.commit()
        since = to_local(utcnow() - timedelta(hours=1), "Asia/Tokyo")
    response = search(as_role("moderator"), petition["id"], since=since.strftime("%Y-%m-%dT%H:%M"))
    assert matches(response) == 1 and "new@example.org" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ip": "300.1.2.3"}, "Enter an IP address or a range"),
        ({"ip": "10.0.0.0/99"}, "Enter an IP address or a range"),
        ({"domain": "not a domain"}, "Enter a domain like example.org."),
        ({"country": "Switzerland"}, "Enter a two-letter country code"),
        ({"since": "yesterday"}, "Not a valid datetime value"),
        ({"since": "2026-05-02", "until": "2026-05-01"}, "must come after its start"),
        ({"status": "deleted"}, "Not a valid choice"),
    ],
)
def test_bad_search_input_gets_a_clear_error(as_role, petition, params, message):
    response = search(as_role("moderator"), petition["id"], **params)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_results_are_paged(app, as_role, petition):
    with app.app_context():
        for n in range(55):
            add_signature(petition["id"], f"p{n}@example.org", name=f"Page Person {n}")
        db.session.commit()
    client = as_role("moderator")
    first = search(client, petition["id"]).get_data(as_text=True)
    second = search(client, petition["id"], page=2).get_data(as_text=True)
    assert first.count("Page Person") == 50 and second.count("Page Person") == 5
    assert "Page 1 of 2" in first


def test_invalidate_a_spam_wave_by_domain_with_a_preview_then_undo(app, as_role, petition):
    spam_wave(app, petition["id"])
    assert count(app, petition["id"]) == 31  # 10 people, 20 confirmed bots, 1 IPv6
    client = as_role("moderator")
    query = {"domain": "spamwave.org"}
    base = f"/organiser/calls/{petition['id']}/signatures/bulk"
    bulk = f"{base}?{urlencode({**query, 'action': 'invalidate'})}"
    preview = client.get(bulk)
    html = preview.get_data(as_text=True)
    assert "25 signatures would be invalidated" in html and "(20 of them count now)" in html
    assert count(app, petition["id"]) == 31  # a preview changes nothing

    # A signature arriving after the preview is left alone.
    with app.app_context():
        late_id = add_signature(petition["id"], "late@spamwave.org", name="Late Bot")
        db.session.commit()
    token = csrf_token(client, bulk)
    up_to = int(html.split('name="up_to_id" value="')[1].split('"')[0])
    no_reason = client.post(
        bulk, data={"csrf_token": token, "action": "invalidate", "up_to_id": up_to}
    )
    assert no_reason.status_code == 422
    assert "Please give a reason for invalidating." in no_reason.get_data(as_text=True)
    done = client.post(
        bulk,
        data={"csrf_token": token, "action": "invalidate", "up_to_id": up_to, "reason": "Bot wave"},
    )
    assert done.status_code == 303
    assert count(app, petition["id"]) == 11 + 1  # the 11 genuine ones, and the late one
    with app.app_context():
        moderator_id = db.session.scalar(
            select(AuditEntry.actor_id).where(AuditEntry.action == "invalidate_by_rule")
        )
        wave = db.session.scalars(
            select(Signature).where(Signature.email_canonical.like("%spamwave.org"))
        ).all()
        invalidated = [s for s in wave if s.validity == "invalidated"]
        assert len(invalidated) == 25
        assert all(
            s.invalidation_reason == "Bot wave"
            and s.invalidated_by_id == moderator_id
            and s.invalidated_at is not None
            for s in invalidated
        )
        assert db.session.get(Signature, late_id).validity == "ok"
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "invalidate_by_rule")
        )
        assert entry.changes["rule"] == ["domain"] and entry.changes["count"] == 25
        assert len(entry.changes["signature_ids"]) == 25
        assert "spamwave.org" not in str(entry.changes)

    # The public count and JSON follow.
    public = app.test_client().get(f"/petitions/{petition['slug']}/count.json").json
    assert public["signature_count"] == 12

    # Undo, by the same rule.
    restore = f"{base}?{urlencode({**query, 'action': 'restore'})}"
    html = client.get(restore).get_data(as_text=True)
    assert "25 signatures would be valid again" in html
    up_to = int(html.split('name="up_to_id" value="')[1].split('"')[0])
    client.post(restore, data={"csrf_token": token, "action": "restore", "up_to_id": up_to})
    assert count(app, petition["id"]) == 32
    with app.app_context():
        assert (
            db.session.scalar(
                select(Signature.invalidation_reason).where(Signature.name == "Bot 1")
            )
            is None
        )


def test_a_rule_must_single_something_out(app, as_role, petition):
    spam_wave(app, petition["id"])
    response = as_role("moderator").get(
        f"/organiser/calls/{petition['id']}/signatures/bulk?country=US&action=invalidate"
    )
    assert response.status_code == 303
    assert count(app, petition["id"]) == 31


def test_invalidate_one_and_undo(app, as_role, petition):
    with app.app_context():
        signature_id = add_signature(petition["id"], "one@example.org")
        db.session.commit()
    client = as_role("moderator")
    page = f"/organiser/calls/{petition['id']}/signatures"
    token = csrf_token(client, page)
    base = f"{page}/{signature_id}"
    refused = client.post(base + "/invalidate", data={"csrf_token": token, "reason": " "})
    assert refused.status_code == 303 and count(app, petition["id"]) == 1
    client.post(
        base + "/invalidate",
        data={"csrf_token": token, "reason": "Same person twice", "back": "https://evil.example/"},
    )
    assert count(app, petition["id"]) == 0
    listing = client.get(page + "?validity=invalidated").get_data(as_text=True)
    assert "Same person twice" in listing
    back = client.post(base + "/restore", data={"csrf_token": token, "back": page + "?x=1"})
    assert back.headers["Location"] == page + "?x=1"
    assert count(app, petition["id"]) == 1
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["invalidate_signature", "restore_signature"]


def test_blocklisted_signers_are_held_as_suspect_and_reviewed(app, client, smtp, as_role, petition):
    moderator = as_role("moderator")
    page = "/organiser/blocklist"
    token = csrf_token(moderator, page)
    for kind, value in [
        ("ip_range", "198.51.100.0/24"),
        ("domain", "Spamwave.org"),
        ("email", "Known.Troll+x@Gmail.com"),
    ]:
        added = moderator.post(
            page,
            data={
                "csrf_token": token,
                "kind": kind,
                "value": value,
                "petition_id": 0,
                "reason": "abuse",
            },
        )
        assert added.status_code == 303
    listing = moderator.get(page).get_data(as_text=True)
    assert (
        "198.51.100.0/24" in listing
        and "spamwave.org" in listing
        and "knowntroll@gmail.com" in listing
    )

    cases = [
        ("ip@example.org", "198.51.100.9"),
        ("someone@mail.spamwave.org", "192.0.2.1"),
        ("knowntroll@gmail.com", "192.0.2.2"),
        ("fine@example.org", "192.0.2.3"),
    ]
    # Each signs through the real form, from their own address.
    for email, ip in cases:
        client.environ_base["REMOTE_ADDR"] = ip
        response = sign(client, petition["slug"], email=email)
        assert response.status_code == 303, re.findall(
            r"<li>(.*?)</li>", response.get_data(as_text=True)
        )
    client.environ_base.pop("REMOTE_ADDR", None)
    send_outbox(app)
    assert {m["To"].addresses[0].addr_spec.lower() for m in smtp.messages} >= {e for e, _ in cases}
    with app.app_context():
        validity = dict(db.session.execute(select(Signature.email, Signature.validity)).all())
    assert validity["fine@example.org"] == "ok"
    assert validity["ip@example.org"] == "suspect"
    assert validity["someone@mail.spamwave.org"] == "suspect"
    assert validity["knowntroll@gmail.com"] == "suspect"

    # The review queue: release one, invalidate another.
    with app.app_context():
        ids = dict(db.session.execute(select(Signature.email, Signature.id)).all())
        for email in ("ip@example.org", "someone@mail.spamwave.org", "fine@example.org"):
            confirm(db.session.get(Signature, ids[email]))
        db.session.commit()
    assert count(app, petition["id"]) == 1
    review = f"/organiser/calls/{petition['id']}/review"
    html = moderator.get(review).get_data(as_text=True)
    assert "3 waiting" in html
    base = f"/organiser/calls/{petition['id']}/signatures"
    moderator.post(f"{base}/{ids['ip@example.org']}/release", data={"csrf_token": token})
    moderator.post(
        f"{base}/{ids['someone@mail.spamwave.org']}/invalidate",
        data={"csrf_token": token, "reason": "Spam domain"},
    )
    assert count(app, petition["id"]) == 2
    assert "1 waiting" in moderator.get(review).get_data(as_text=True)

    # Removing an entry lets new signatures through again.
    with app.app_context():
        entry_id = db.session.scalar(select(Blocklist.id).where(Blocklist.kind == "domain"))
    moderator.post(f"{page}/{entry_id}/delete", data={"csrf_token": token})
    client.environ_base["REMOTE_ADDR"] = "192.0.2.50"
    sign(client, petition["slug"], email="other@spamwave.org")
    with app.app_context():
        assert (
            db.session.scalar(
                select(Signature.validity).where(Signature.email == "other@spamwave.org")
            )
            == "ok"
        )


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("ip_range", "not-an-ip", "Enter an IP address or a range"),
        ("domain", "x", "Enter a domain like example.org."),
        ("email", "nobody", "Enter an email address like name@example.org."),
        ("ip_range", "", "Please enter what to block."),
    ],
)
def test_bad_blocklist_entries_get_a_clear_error(as_role, kind, value, message, organisers):
    client = as_role("moderator")
    token = csrf_token(client, "/organiser/blocklist")
    response = client.post(
        "/organiser/blocklist",
        data={"csrf_token": token, "kind": kind, "value": value, "petition_id": 0},
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_blocklisted_checks_scope_ranges_and_subdomains(app, petition):
    with app.app_context():
        other = Petition(slug="other", title="Other", text_version=1)
        db.session.add(other)
        db.session.flush()
        add_block("ip_range", "2001:db8:1::/48", None, "", None)
        add_block("domain", "spamwave.org", other.id, "", None)
        db.session.flush()
        pid = petition["id"]
        assert blocklisted(pid, "2001:db8:1:2::5", "a@example.org")
        assert not blocklisted(pid, "2001:db8:2::5", "a@example.org")
        assert not blocklisted(pid, "10.0.0.1", "a@sub.spamwave.org")  # another call's
        assert blocklisted(other.id, None, "a@sub.spamwave.org")
        assert not blocklisted(other.id, None, "a@notspamwave.org")
        db.session.rollback()
