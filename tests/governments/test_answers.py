"""Recording a government's answer in the back office: who may, what is refused, editing
it later, the audit log, and the list of deliveries with their answers or their wait."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.governments import responses
from campaign.models import AuditEntry, Delivery, GovernmentResponse, Petition, Stance

from ..helpers.backoffice import csrf_token
from .helpers import add_delivery, add_response, add_target, today


@pytest.fixture
def delivered(app, petition) -> dict:
    """A call with one delivery to Spain 10 days ago and one to Mexico 75 days ago."""
    with app.app_context():
        add_target(petition["id"], "ES")
        add_target(petition["id"], "MX")
        now = today(petition["id"])
        spain = add_delivery(petition["id"], "ES", now - timedelta(days=10))
        mexico = add_delivery(petition["id"], "MX", now - timedelta(days=75))
        db.session.commit()
    base = f"/organiser/calls/{petition['id']}/answers"
    return {"now": now, "spain": spain, "mexico": mexico, "list": base, "form": f"{base}/{spain}"}


def answer_form(token: str, now, **overrides) -> dict:
    data = {
        "csrf_token": token,
        "responded_on": (now - timedelta(days=2)).isoformat(),
        "stance": "partly_supports",
        "summary": "The ministry will raise the matter at the next council.",
        "text_en": "The Government of Spain thanks the signatories.\r\n\r\nIt will act.",
        "text_fr": "",
        "text_es": "El Gobierno de España agradece a los firmantes.",
        "source_url": "https://gov.example/press/answer",
    }
    data.update(overrides)
    return data


def test_only_editors_and_administrators_record_answers(as_role, delivered):
    assert as_role(None).get(delivered["list"]).status_code == 302
    assert as_role("moderator").get(delivered["list"]).status_code == 403
    assert as_role("moderator").get(delivered["form"]).status_code == 403
    moderator = as_role("moderator")
    token = csrf_token(moderator, "/organiser/")
    refused = moderator.post(delivered["form"], data=answer_form(token, delivered["now"]))
    assert refused.status_code == 403
    for role in ("editor", "admin"):
        client = as_role(role)
        assert client.get(delivered["list"]).status_code == 200
        page = client.get(delivered["form"])
        assert page.status_code == 200
        assert page.headers["Cache-Control"] == "no-store"


def test_an_editor_records_an_answer_and_it_is_audited(app, as_role, organisers, delivered):
    client = as_role("editor")
    listing = client.get(delivered["list"]).get_data(as_text=True)
    assert "No reply yet · 10 days" in listing
    assert "No reply · 75 days" in listing  # past the call's 60 days
    assert "Record the answer" in listing
    blank = client.get(delivered["form"]).get_data(as_text=True)
    assert f'value="{delivered["now"].isoformat()}"' in blank  # most are recorded the day they come

    token = csrf_token(client, delivered["form"])
    saved = client.post(delivered["form"], data=answer_form(token, delivered["now"]))
    assert saved.status_code == 303
    assert saved.headers["Location"].endswith(delivered["list"])
    listing = client.get(delivered["list"]).get_data(as_text=True)
    assert "Partly supports the call" in listing
    assert "Edit the answer" in listing
    assert "No reply yet" not in listing

    with app.app_context():
        response = db.session.scalar(select(GovernmentResponse))
        assert response.delivery_id == delivered["spain"]
        assert response.stance == "partly_supports"
        assert response.responded_on == delivered["now"] - timedelta(days=2)
        # Line breaks as LF; languages left empty are not kept.
        assert response.texts == {
            "en": "The Government of Spain thanks the signatories.\n\nIt will act.",
            "es": "El Gobierno de España agradece a los firmantes.",
        }
        assert response.source_url == "https://gov.example/press/answer"
        assert response.recorded_by_id == organisers["editor"]["id"]
        entry = db.session.scalar(select(AuditEntry))
        assert entry.action == "record_government_response"
        assert entry.actor_id == organisers["editor"]["id"]
        assert entry.target_id == str(response.id)
        assert entry.changes["text_languages"] == ["en", "es"]


def test_the_answer_is_edited_later_and_the_change_is_audited(app, as_role, delivered):
    with app.app_context():
        add_response(delivered["spain"], delivered["now"] - timedelta(days=3), stance="declines")
        db.session.commit()
    client = as_role("admin")
    page = client.get(delivered["form"]).get_data(as_text=True)
    assert "Edit the answer of the government of Spain" in page
    assert re.search(r'<input checked[^>]*value="declines"', page)

    token = csrf_token(client, delivered["form"])
    data = answer_form(token, delivered["now"], stance="supports", summary="Now it supports it.")
    assert client.post(delivered["form"], data=data).status_code == 303
    with app.app_context():
        [response] = db.session.scalars(select(GovernmentResponse)).all()
        assert response.stance == "supports"
        assert response.summary == "Now it supports it."
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "edit_government_response")
        )
        assert entry.changes["stance"] == {"before": "declines", "after": "supports"}
        assert entry.changes["summary"]["after"] == "Now it supports it."


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"responded_on": "DAY_BEFORE_DELIVERY"}, "cannot be dated before the delivery"),
        ({"responded_on": "TOMORROW"}, "cannot be dated in the future"),
        ({"responded_on": ""}, "Please enter the date of the answer."),
        ({"stance": ""}, "Please choose what the answer says of the call."),
        ({"stance": "enthusiastic"}, "Not a valid choice"),
        ({"summary": "  "}, "Please summarise the answer."),
        ({"summary": "x" * 1001}, "1000 characters"),
        ({"source_url": "javascript:alert(1)"}, "http:// or https://"),
        ({"source_url": "ftp://gov.example/answer"}, "http:// or https://"),
        ({"text_en": "Hidden\x00byte"}, "invisible control characters"),
    ],
)
def test_an_answer_that_breaks_a_rule_is_refused(app, as_role, delivered, overrides, message):
    now = delivered["now"]
    days = {"DAY_BEFORE_DELIVERY": now - timedelta(days=11), "TOMORROW": now + timedelta(days=1)}
    if overrides.get("responded_on") in days:
        overrides = {"responded_on": days[overrides["responded_on"]].isoformat()}
    client = as_role("editor")
    token = csrf_token(client, delivered["form"])
    refused = client.post(delivered["form"], data=answer_form(token, now, **overrides))
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "There is a problem" in page
    assert message in page
    with app.app_context():
        assert db.session.scalar(select(GovernmentResponse)) is None
        assert db.session.scalar(select(AuditEntry)) is None


def test_the_answer_may_be_dated_the_day_of_the_delivery_and_have_no_text(app, as_role, delivered):
    client = as_role("editor")
    token = csrf_token(client, delivered["form"])
    data = answer_form(
        token,
        delivered["now"],
        responded_on=(delivered["now"] - timedelta(days=10)).isoformat(),
        stance="acknowledged",
        text_en="",
        text_es="",
        source_url="",
    )
    assert client.post(delivered["form"], data=data).status_code == 303
    with app.app_context():
        response = db.session.scalar(select(GovernmentResponse))
        assert response.texts == {}
        assert response.source_url is None


def test_another_calls_delivery_is_not_found(app, as_role, delivered, petition):
    client = as_role("editor")
    assert client.get(f"{delivered['list']}/999999").status_code == 404
    with app.app_context():
        other = Petition(slug="another-call", title="Another", state="open")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    assert (
        client.get(f"/organiser/calls/{other_id}/answers/{delivered['spain']}").status_code == 404
    )


def test_the_service_refuses_a_second_answer_and_a_bad_date(app, delivered):
    with app.test_request_context():
        delivery = db.session.get(Delivery, delivered["spain"])
        answer = responses.Answer(
            responded_on=delivered["now"],
            stance=Stance.SUPPORTS,
            summary="Supports it.",
            texts={"fr": "Texte."},
        )
        recorded = responses.record_response(delivery, answer, None)
        assert recorded.delivery_id == delivery.id
        with pytest.raises(responses.AnswerRefused, match="already has an answer"):
            responses.record_response(delivery, answer, None)
        late = responses.Answer(
            responded_on=delivered["now"] + timedelta(days=1), stance=Stance.SUPPORTS, summary="x"
        )
        with pytest.raises(responses.AnswerRefused, match="future"):
            responses.edit_response(recorded, late, None)
        db.session.rollback()


# Full texts as the governments' ministries write them.
UN_TEXTS = {
    "ar": "تشكر حكومة إسبانيا الموقِّعين على هذا النداء.",
    "zh": "西班牙政府感谢签署人。",
    "ru": "Правительство Испании благодарит подписантов.",
}


def test_full_texts_in_arabic_chinese_and_russian(app, client, as_role, petition, delivered):
    editor = as_role("editor")
    blank = editor.get(delivered["form"]).get_data(as_text=True)
    # A field per language, in its own language and direction whatever the page's.
    (arabic,) = re.findall(r'<textarea[^>]*id="text_ar"[^>]*>', blank)
    assert 'dir="rtl"' in arabic and 'lang="ar"' in arabic
    for lang in ("zh", "ru"):
        (field,) = re.findall(rf'<textarea[^>]*id="text_{lang}"[^>]*>', blank)
        assert f'lang="{lang}"' in field and 'dir="ltr"' in field
    token = csrf_token(editor, delivered["form"])
    fields = {"text_en": "", "text_es": "", **{f"text_{k}": v for k, v in UN_TEXTS.items()}}
    saved = editor.post(delivered["form"], data=answer_form(token, delivered["now"], **fields))
    assert saved.status_code == 303, saved.get_data(as_text=True)[:2000]
    with app.app_context():
        response = db.session.scalar(select(GovernmentResponse))
        assert response.texts == UN_TEXTS
    edit = editor.get(delivered["form"]).get_data(as_text=True)
    assert UN_TEXTS["ar"] in edit and UN_TEXTS["zh"] in edit

    public = f"/petitions/{petition['slug']}/governments"
    # Each language's page shows its own text; English, which has none, the call's
    # language's or the first there is, marked with its language and direction.
    for lang, text in UN_TEXTS.items():
        page = client.get(f"/{lang}{public}").get_data(as_text=True)
        assert text in page, lang
    english = client.get(public).get_data(as_text=True)
    (shown,) = re.findall(r'<div class="gov-text" lang="(\w+)"([^>]*)>', english)
    assert shown[0] in UN_TEXTS
    assert ('dir="rtl"' in shown[1]) == (shown[0] == "ar")
    spain = next(
        g for g in client.get(f"{public}.json").get_json()["governments"] if g["code"] == "ES"
    )
    assert spain["response"]["texts"] == UN_TEXTS
    assert spain["names"]["ar"] == "إسبانيا" and spain["names"]["zh"] == "西班牙"


def test_the_service_refuses_a_full_text_in_a_language_the_site_does_not_have(app, delivered):
    with app.test_request_context():
        delivery = db.session.get(Delivery, delivered["spain"])
        answer = responses.Answer(
            responded_on=delivered["now"],
            stance=Stance.SUPPORTS,
            summary="Supports it.",
            texts={"de": "Text."},
        )
        with pytest.raises(responses.AnswerRefused, match="site's languages"):
            responses.record_response(delivery, answer, None)
        db.session.rollback()
