"""The audit log: written with each change, readable (and paged) by administrators only."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry
from campaign.organisers import audit


def test_record_keeps_who_what_and_the_change(app, organisers):
    with app.app_context():
        from campaign.models import Organiser

        admin = db.session.get(Organiser, organisers["admin"]["id"])
        audit.record(
            admin,
            "edit_petition",
            "petition",
            7,
            audit.diff({"title": "Old", "goal": 10}, {"title": "New", "goal": 10}),
        )
        db.session.commit()
        entry = db.session.scalar(select(AuditEntry))
        assert (entry.actor_id, entry.action, entry.target_type, entry.target_id) == (
            admin.id,
            "edit_petition",
            "petition",
            "7",
        )
        # Only what changed, with before and after.
        assert entry.changes == {"title": {"before": "Old", "after": "New"}}


def test_admins_read_the_log_newest_first_in_pages(app, as_role, organisers):
    with app.app_context():
        for n in range(55):
            audit.record(None, f"action_{n}", "thing", n)
        db.session.commit()
    client = as_role("admin")
    first = client.get("/organiser/audit").get_data(as_text=True)
    assert "55 entries" in first
    assert "action_54<" in first and "action_5<" in first and "action_4<" not in first
    assert "Page 1 of 2" in first and "command line" in first
    second = client.get("/organiser/audit?page=2").get_data(as_text=True)
    assert "action_4<" in second and "action_0<" in second and "action_54<" not in second
    # A page number that is not a number is simply the first page.
    assert as_role("admin").get("/organiser/audit?page=abc").status_code == 200
    assert as_role("editor").get("/organiser/audit").status_code == 403
    assert as_role("moderator").get("/organiser/audit").status_code == 403
