"""A call's delivery settings and retention periods, edited in the back office by admins.

The same rules as ``flask export settings`` and ``flask retention set`` (one
function each), the same audit entries, and a refusal changes nothing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, Petition

from ..helpers.backoffice import csrf_token

PAGE = "/organiser/calls/{id}/personal-data"


def _call(app, petition) -> Petition:
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        db.session.expunge(call)
        return call


def _audit(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()
        for entry in entries:
            db.session.expunge(entry)
        return list(entries)


def _post(client, petition, form: str, data: dict):
    page = PAGE.format(id=petition["id"])
    token = csrf_token(client, page)
    return client.post(f"{page}/{form}", data={"csrf_token": token, **data})


def test_the_page_shows_the_calls_settings(app, petition, as_role):
    html = as_role("admin").get(PAGE.format(id=petition["id"])).get_data(as_text=True)
    assert '<input checked id="mode-0" name="mode" type="radio" value="names">' in html
    for field in ("name", "country", "confirmed_at"):
        assert f'name="fields" type="checkbox" value="{field}"' in html
    assert 'checked id="fields-3"' not in html  # language is not delivered by default
    assert 'id="pending_days" name="pending_days" type="text" value="30"' in html
    assert 'id="erase_after_days" name="erase_after_days" type="text" value="30"' in html
    assert "never before confirmation links expire (30 days)" in html
    assert html.count('id="delivery-submit"') == 1 and html.count('id="retention-submit"') == 1
    # The call's sections link to it, for admins only.
    dashboard = f"/organiser/calls/{petition['id']}"
    assert PAGE.format(id=petition["id"]) in as_role("admin").get(dashboard).get_data(as_text=True)
    assert PAGE.format(id=petition["id"]) not in as_role("editor").get(dashboard).get_data(
        as_text=True
    )


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_only_admins_change_what_leaves_the_site(app, petition, as_role, role):
    client = as_role(role)
    assert client.get(PAGE.format(id=petition["id"])).status_code == 403
    admin_token = csrf_token(as_role("admin"), PAGE.format(id=petition["id"]))
    refused = client.post(
        PAGE.format(id=petition["id"]) + "/retention",
        data={"csrf_token": admin_token, "pending_days": "1", "erase_after_days": "0"},
    )
    assert refused.status_code in (400, 403)
    assert _call(app, petition).pending_retention_days == 30


def test_an_admin_sets_totals_only_then_names_with_other_fields(app, petition, as_role, organisers):
    client = as_role("admin")
    saved = _post(client, petition, "delivery", {"mode": "counts_only"})
    assert saved.status_code == 303
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "The delivery settings are saved." in page
    call = _call(app, petition)
    # Totals only needs no field: the call keeps the ones it had.
    assert call.delivery_mode == "counts_only"
    assert call.delivery_fields == "name,country,confirmed_at"

    data = {"mode": "names", "fields": ["language", "name"]}
    assert _post(client, petition, "delivery", data).status_code == 303
    call = _call(app, petition)
    assert (call.delivery_mode, call.delivery_fields) == ("names", "name,language")
    first, second = _audit(app, "edit_delivery_settings")
    assert first.actor_id == second.actor_id == organisers["admin"]["id"]
    assert (first.target_type, first.target_id) == ("petition", str(petition["id"]))
    assert first.changes == {"delivery_mode": {"before": "names", "after": "counts_only"}}
    assert second.changes == {
        "delivery_mode": {"before": "counts_only", "after": "names"},
        "delivery_fields": {"before": "name,country,confirmed_at", "after": "name,language"},
    }
    # Saving what is already there changes nothing and records nothing.
    again = _post(client, petition, "delivery", data)
    assert "Nothing changed." in client.get(again.headers["Location"]).get_data(as_text=True)
    assert len(_audit(app, "edit_delivery_settings")) == 2


DELIVERY_REFUSALS = [
    ("names-without-fields", {"mode": "names"}, "The lists need at least one field"),
    (
        "email-as-a-field",
        {"mode": "names", "fields": ["name", "email"]},
        "choose from Name, Country (code and name), Date of confirmation, Language the",
    ),
    ("unknown-mode", {"mode": "everything", "fields": ["name"]}, "Please choose whether"),
    ("no-mode", {"fields": ["name"]}, "Please choose whether packages name the signers."),
    ("totals-with-a-bad-field", {"mode": "counts_only", "fields": ["ip_address"]}, "choose from"),
]


@pytest.mark.parametrize(
    ("data", "message"),
    [case[1:] for case in DELIVERY_REFUSALS],
    ids=[case[0] for case in DELIVERY_REFUSALS],
)
def test_delivery_settings_refused_with_a_clear_message(app, petition, as_role, data, message):
    response = _post(as_role("admin"), petition, "delivery", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and "There is a problem" in html
    call = _call(app, petition)
    assert (call.delivery_mode, call.delivery_fields) == ("names", "name,country,confirmed_at")
    assert _audit(app, "edit_delivery_settings") == []


def test_an_admin_sets_the_retention_periods(app, petition, as_role, organisers):
    response = _post(
        as_role("admin"), petition, "retention", {"pending_days": " 7 ", "erase_after_days": "0"}
    )
    assert response.status_code == 303
    call = _call(app, petition)
    assert (call.pending_retention_days, call.erase_after_delivery_days) == (7, 0)
    (entry,) = _audit(app, "edit_retention")
    assert entry.actor_id == organisers["admin"]["id"]
    assert entry.changes == {
        "pending_retention_days": {"before": 30, "after": 7},
        "erase_after_delivery_days": {"before": 30, "after": 0},
    }


RETENTION_REFUSALS = [
    ("pending-zero", {"pending_days": "0", "erase_after_days": "5"}, "pending"),
    ("pending-words", {"pending_days": "thirty", "erase_after_days": "5"}, "pending"),
    ("pending-blank", {"pending_days": "", "erase_after_days": "5"}, "pending"),
    ("pending-fraction", {"pending_days": "1.5", "erase_after_days": "5"}, "pending"),
    ("pending-huge", {"pending_days": "99999999999999999999", "erase_after_days": "5"}, "pending"),
    ("erase-negative", {"pending_days": "5", "erase_after_days": "-1"}, "erase"),
    ("erase-over-ten-years", {"pending_days": "5", "erase_after_days": "3651"}, "erase"),
    ("erase-nul", {"pending_days": "5", "erase_after_days": "1\x00"}, "erase"),
    ("erase-missing", {"pending_days": "5"}, "erase"),
]
MESSAGES = {
    "pending": "Please enter how many days to keep unconfirmed signatures: from 1 to 3650.",
    "erase": "Please enter how many days after the last delivery to erase personal data: "
    "from 0 to 3650.",
}


@pytest.mark.parametrize(
    ("data", "which"),
    [case[1:] for case in RETENTION_REFUSALS],
    ids=[case[0] for case in RETENTION_REFUSALS],
)
def test_retention_refused_with_a_clear_message_and_nothing_half_saved(
    app, petition, as_role, data, which
):
    response = _post(as_role("admin"), petition, "retention", data)
    assert response.status_code == 422
    assert MESSAGES[which] in response.get_data(as_text=True)
    call = _call(app, petition)
    # The other period, valid on its own, is not saved either.
    assert (call.pending_retention_days, call.erase_after_delivery_days) == (30, 30)
    assert _audit(app, "edit_retention") == []


def test_the_commands_follow_the_same_rules_and_leave_the_same_trace(app, runner, petition):
    slug = petition["slug"]
    too_long = runner.invoke(args=["retention", "set", slug, "--erase-after-days", "4000"])
    assert too_long.exit_code != 0 and "from 0 to 3650" in too_long.output
    assert _call(app, petition).erase_after_delivery_days == 30
    done = runner.invoke(args=["retention", "set", slug, "--erase-after-days", "14"])
    assert done.exit_code == 0, done.output
    (entry,) = _audit(app, "edit_retention")
    assert entry.actor_id is None  # the command line
    assert entry.changes == {"erase_after_delivery_days": {"before": 30, "after": 14}}
    settings = runner.invoke(args=["export", "settings", slug, "--mode", "counts_only"])
    assert settings.exit_code == 0, settings.output
    (entry,) = _audit(app, "edit_delivery_settings")
    assert entry.actor_id is None
