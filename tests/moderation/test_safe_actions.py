"""Small actions that are safe: removing a blocklist entry asks first and can be undone,
and the review queue says why each signature was held."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, Blocklist, Signature, utcnow
from campaign.moderation import backoffice as moderation_pages
from campaign.moderation.blocklists import add_block
from campaign.petitions.abuse import SuspectReason, blocklisted

from ..helpers.backoffice import add_signature, csrf_token

PAGE = "/organiser/blocklist"


@pytest.fixture
def entry(app, petition, organisers) -> dict:
    """A call's blocklist entry for an address, added by the moderator a while ago."""
    with app.app_context():
        block = add_block("email", "Known.Troll@example.org", petition["id"], "Harassment", None)
        block.created_by_id = organisers["moderator"]["id"]
        block.created_at = utcnow() - timedelta(days=3)
        db.session.commit()
        return {"id": block.id, "created_at": block.created_at, "petition": petition["id"]}


def entries(app) -> list[tuple]:
    with app.app_context():
        return list(
            db.session.execute(
                select(
                    Blocklist.id,
                    Blocklist.kind,
                    Blocklist.value,
                    Blocklist.petition_id,
                    Blocklist.reason,
                    Blocklist.created_by_id,
                    Blocklist.created_at,
                )
            )
        )


def audit_actions(app) -> list[tuple[str, str, dict]]:
    with app.app_context():
        return [
            (e.action, e.target_id, e.changes)
            for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_removing_an_entry_asks_first(app, as_role, entry):
    moderator = as_role("moderator")
    listing = moderator.get(PAGE).get_data(as_text=True)
    ask = f"/organiser/blocklist/{entry['id']}/delete"
    # The list's "Remove" is a link to a question, not a button that acts at once.
    assert f'href="{ask}"' in listing
    assert f'action="{ask}"' not in listing
    question = moderator.get(ask)
    assert question.status_code == 200
    html = question.get_data(as_text=True)
    assert "Remove this blocklist entry?" in html
    assert "known.troll@example.org" in html and "Harassment" in html
    assert 'href="/organiser/blocklist"' in html  # Cancel goes back, changing nothing
    assert len(entries(app)) == 1
    # Without the session's token the post is refused, and nothing is removed.
    refused = moderator.post(ask, data={})
    assert refused.status_code == 400
    assert len(entries(app)) == 1


def _remove(moderator, entry_id: int):
    ask = f"/organiser/blocklist/{entry_id}/delete"
    return moderator.post(ask, data={"csrf_token": csrf_token(moderator, ask)})


def test_a_removal_can_be_undone_with_its_reason_and_scope(app, as_role, organisers, entry):
    before = entries(app)
    moderator = as_role("moderator")
    removed = _remove(moderator, entry["id"])
    assert removed.status_code == 303 and removed.headers["Location"] == PAGE
    assert entries(app) == []
    with app.app_context():
        assert not blocklisted(entry["petition"], None, "known.troll@example.org")
    page = moderator.get(PAGE).get_data(as_text=True)
    assert "Removed from the blocklist." in page
    assert "Removed: Email address known.troll@example.org." in page
    undo_form = re.search(
        r'<form method="post" action="/organiser/blocklist/undo".*?</form>', page, re.S
    )
    assert undo_form and ">Undo</button>" in undo_form.group(0)
    token = re.search(r'name="csrf_token" value="([^"]+)"', undo_form.group(0)).group(1)

    undone = moderator.post("/organiser/blocklist/undo", data={"csrf_token": token})
    assert undone.status_code == 303
    assert entries(app) == before  # the same entry: id, value, call, reason, who and when
    with app.app_context():
        assert blocklisted(entry["petition"], None, "known.troll@example.org")
    after = moderator.get(PAGE).get_data(as_text=True)
    assert "back on the blocklist" in after
    assert "/organiser/blocklist/undo" not in after  # one removal, one undo
    moderator_id = organisers["moderator"]["id"]
    assert [(a, t) for a, t, _ in audit_actions(app)] == [
        ("add_block", str(entry["id"])),
        ("remove_block", str(entry["id"])),
        ("restore_block", str(entry["id"])),
    ]
    with app.app_context():
        restore = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "restore_block")
        ).one()
        assert restore.actor_id == moderator_id
        # Ids and the kind, never the address itself.
        assert restore.changes == {
            "kind": "email",
            "petition_id": entry["petition"],
            "removed_id": entry["id"],
        }
        assert "troll" not in str(restore.changes)


def test_undo_needs_the_session_token_and_works_once(app, as_role, entry):
    moderator = as_role("moderator")
    _remove(moderator, entry["id"])
    forged = moderator.post("/organiser/blocklist/undo", data={"csrf_token": "forged"})
    assert forged.status_code == 400
    assert entries(app) == []
    token = csrf_token(moderator, PAGE)
    assert (
        moderator.post("/organiser/blocklist/undo", data={"csrf_token": token}).status_code == 303
    )
    again = moderator.post(
        "/organiser/blocklist/undo", data={"csrf_token": token}, follow_redirects=True
    )
    assert "no removal to undo" in again.get_data(as_text=True)
    assert len(entries(app)) == 1


def test_undo_expires_and_never_duplicates_an_entry_added_again(app, as_role, entry):
    moderator = as_role("moderator")
    _remove(moderator, entry["id"])
    # Meanwhile someone adds the same address for the same call again.
    with app.app_context():
        add_block("email", "known.troll@example.org", entry["petition"], "Again", None)
        db.session.commit()
    token = csrf_token(moderator, PAGE)
    page = moderator.post(
        "/organiser/blocklist/undo", data={"csrf_token": token}, follow_redirects=True
    )
    assert "on the blocklist again already" in page.get_data(as_text=True)
    assert [row.reason for row in entries(app)] == ["Again"]

    # A removal older than the undo window shows no "Undo" and undoes nothing.
    other = entries(app)[0].id
    _remove(moderator, other)
    with moderator.session_transaction() as session:
        old = utcnow() - timedelta(seconds=moderation_pages.UNDO_SECONDS + 1)
        session["blocklist_undo"] = {**session["blocklist_undo"], "at": old.isoformat()}
    assert "/organiser/blocklist/undo" not in moderator.get(PAGE).get_data(as_text=True)
    moderator.post("/organiser/blocklist/undo", data={"csrf_token": token})
    assert entries(app) == []


def test_an_ip_range_comes_back_matching(app, as_role, petition):
    with app.app_context():
        block = add_block("ip_range", "198.51.100.0/24", None, "Botnet", None)
        db.session.commit()
        entry_id = block.id
    moderator = as_role("admin")
    _remove(moderator, entry_id)
    with app.app_context():
        assert not blocklisted(petition["id"], "198.51.100.7", "a@example.org")
    moderator.post("/organiser/blocklist/undo", data={"csrf_token": csrf_token(moderator, PAGE)})
    with app.app_context():
        assert blocklisted(petition["id"], "198.51.100.7", "a@example.org")
    [row] = entries(app)
    assert (row.id, row.value, row.petition_id, row.reason) == (
        entry_id,
        "198.51.100.0/24",
        None,
        "Botnet",
    )


# -- the review queue says why ------------------------------------------------------------

REASONS = {
    SuspectReason.TOO_FAST: "Sent faster than a person can fill the form",
    SuspectReason.HONEYPOT: "Filled a field that only robots see",
    SuspectReason.BLOCKLIST: "Matches a blocklist entry",
    SuspectReason.SOFT_LIMIT: "Too many signatures from the same IP address in a short time",
}


def test_the_review_queue_says_why_each_signature_was_held(app, as_role, petition):
    with app.app_context():
        for n, code in enumerate([*REASONS, None, "some-future-check"]):
            signature_id = add_signature(petition["id"], f"held{n}@example.org", validity="suspect")
            db.session.get(Signature, signature_id).suspect_reason = code
        db.session.commit()
    html = as_role("moderator").get(f"/organiser/calls/{petition['id']}/review")
    assert html.status_code == 200
    page = html.get_data(as_text=True)
    for code, sentence in REASONS.items():
        # The sentence for people, the code kept as data (for filters and scripts).
        assert f'data-reason="{code}">{sentence}' in page, code
    assert "No reason was recorded" in page
    assert 'data-reason="some-future-check">Held for a check: some-future-check' in page


def test_every_reason_the_checks_give_has_a_sentence():
    from campaign.moderation.reasons import REASON_SENTENCES

    codes = {v for k, v in vars(SuspectReason).items() if not k.startswith("_")}
    assert codes == set(REASON_SENTENCES) == set(REASONS)
