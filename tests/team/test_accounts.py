"""Administrators change roles and disable or enable accounts from the Accounts page,
with safeguards: nobody disables themself, the last active administrator stays one,
and disabling ends the account's sessions at once. Through HTTP."""

from __future__ import annotations

from sqlalchemy import select, update

from campaign.extensions import db
from campaign.models import AuditEntry, Organiser

from ..helpers.backoffice import PASSWORD
from .helpers import post_form

ACCOUNTS = "/organiser/accounts"


def _get(app, organiser_id: int) -> Organiser:
    with app.app_context():
        organiser = db.session.get(Organiser, organiser_id)
        db.session.expunge(organiser)
        return organiser


def _audit(app) -> list[tuple[str, str, dict | None]]:
    with app.app_context():
        rows = db.session.execute(
            select(AuditEntry.action, AuditEntry.target_id, AuditEntry.changes).order_by(
                AuditEntry.id
            )
        )
        return [tuple(row) for row in rows]


def test_the_accounts_page_links_each_account_and_the_invitation(as_role, organisers):
    page = as_role("admin").get(ACCOUNTS).get_data(as_text=True)
    assert 'href="/organiser/accounts/invite"' in page
    for account in organisers.values():
        assert f'href="/organiser/accounts/{account["id"]}"' in page


def test_an_administrator_changes_a_role(app, as_role, organisers):
    admin, editor = as_role("admin"), organisers["editor"]
    page = f"{ACCOUNTS}/{editor['id']}"
    assert 'selected value="editor"' in admin.get(page).get_data(as_text=True).replace(
        'value="editor" selected', 'selected value="editor"'
    )
    changed = post_form(admin, f"{page}/role", page, role="moderator")
    assert changed.status_code == 303
    assert _get(app, editor["id"]).role == "moderator"
    assert "is now: Moderator" in admin.get(page).get_data(as_text=True)
    assert _audit(app)[-1] == (
        "change_role",
        str(editor["id"]),
        {"role": {"before": "editor", "after": "moderator"}},
    )
    # The editor, now a moderator, is refused an editor's page at once.
    assert as_role("editor").get("/organiser/calls/new").status_code == 403


def test_the_last_active_administrator_keeps_the_role(app, as_role, organisers):
    admin = as_role("admin")
    me = organisers["admin"]
    page = f"{ACCOUNTS}/{me['id']}"
    refused = post_form(admin, f"{page}/role", page, role="editor")
    assert refused.status_code == 303
    assert _get(app, me["id"]).role == "admin"
    assert "last active administrator" in admin.get(page).get_data(as_text=True)
    # With a second administrator, the first may step down (and leaves the accounts).
    post_form(admin, f"{ACCOUNTS}/{organisers['editor']['id']}/role", page, role="admin")
    stepped = post_form(admin, f"{page}/role", page, role="editor")
    assert stepped.headers["Location"] == "/organiser/"
    assert _get(app, me["id"]).role == "editor"
    assert admin.get(ACCOUNTS).status_code == 403


def test_a_disabled_administrator_does_not_count_as_the_other_one(app, as_role, organisers):
    """Two administrators, one disabled: the active one is still the last."""
    with app.app_context():
        db.session.execute(
            update(Organiser)
            .where(Organiser.id == organisers["editor"]["id"])
            .values(role="admin", active=False)
        )
        db.session.commit()
    admin = as_role("admin")
    page = f"{ACCOUNTS}/{organisers['admin']['id']}"
    post_form(admin, f"{page}/role", page, role="moderator")
    assert _get(app, organisers["admin"]["id"]).role == "admin"


def test_disabling_asks_first_ends_the_sessions_and_can_be_undone(app, as_role, organisers):
    admin = as_role("admin")
    moderator_id = organisers["moderator"]["id"]
    moderator = as_role("moderator")
    assert moderator.get("/organiser/").status_code == 200
    page = f"{ACCOUNTS}/{moderator_id}"
    assert f'href="{page}/disable"' in admin.get(page).get_data(as_text=True)
    question = admin.get(f"{page}/disable")
    assert question.status_code == 200
    text = question.get_data(as_text=True)
    assert "Disable the account of moderator@example.org?" in text
    assert "1 open session ends at once" in text
    assert _get(app, moderator_id).active  # asking changed nothing

    done = post_form(admin, f"{page}/disable")
    assert done.status_code == 303 and done.headers["Location"] == page
    assert not _get(app, moderator_id).active
    # Signed out at once, and cannot sign in.
    assert moderator.get("/organiser/").status_code == 302
    assert "Enable the account" in admin.get(page).get_data(as_text=True)

    enabled = post_form(admin, f"{page}/enable", page)
    assert enabled.status_code == 303
    assert _get(app, moderator_id).active
    assert [action for action, *_ in _audit(app)] == ["disable_organiser", "enable_organiser"]
    # The old session stays ended; a new sign-in works.
    assert moderator.get("/organiser/").status_code == 302
    again = app.test_client()
    sign_in = post_form(
        again, "/organiser/sign-in", email="moderator@example.org", password=PASSWORD
    )
    assert sign_in.status_code == 303
    assert again.get("/organiser/").status_code == 200


def test_nobody_disables_their_own_account(app, as_role, organisers):
    admin = as_role("admin")
    page = f"{ACCOUNTS}/{organisers['admin']['id']}"
    assert "You cannot disable your own account." in admin.get(page).get_data(as_text=True)
    refused = post_form(admin, f"{page}/disable")
    assert refused.status_code == 303
    assert _get(app, organisers["admin"]["id"]).active
    assert admin.get("/organiser/").status_code == 200
    assert _audit(app) == []


def test_disabling_twice_or_enabling_an_active_account_is_refused_plainly(app, as_role, organisers):
    admin = as_role("admin")
    page = f"{ACCOUNTS}/{organisers['editor']['id']}"
    post_form(admin, f"{page}/disable")
    again = post_form(admin, f"{page}/disable", page)
    assert "already disabled" in admin.get(again.headers["Location"]).get_data(as_text=True)
    post_form(admin, f"{page}/enable", page)
    twice = post_form(admin, f"{page}/enable", page)
    assert "already active" in admin.get(twice.headers["Location"]).get_data(as_text=True)


def test_the_actions_need_the_csrf_token(app, as_role, organisers):
    admin = as_role("admin")
    page = f"{ACCOUNTS}/{organisers['editor']['id']}"
    for action, data in (("disable", {}), ("role", {"role": "admin"})):
        refused = admin.post(f"{page}/{action}", data=data)
        assert refused.status_code == 400, action
    editor = _get(app, organisers["editor"]["id"])
    assert editor.active and editor.role == "editor"
