"""The public JSON contract."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import Signature

from ..helpers.journey import links_in, local_path, press_button, send_outbox, sign


def confirm_one(app, client, smtp, petition, **fields):
    sign(client, petition["slug"], **fields)
    send_outbox(app)
    [link] = links_in(smtp.messages[-1])
    press_button(client, local_path(link))


def test_petition_json_contract(app, client, smtp, petition):
    confirm_one(app, client, smtp, petition, email="one@example.org", country="CH")
    confirm_one(app, client, smtp, petition, email="two@example.org", country="CH")
    confirm_one(app, client, smtp, petition, email="three@example.org", country="FR")
    sign(client, petition["slug"], email="pending@example.org", country="DE")  # not confirmed

    response = client.get(f"/petitions/{petition['slug']}.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    assert "Set-Cookie" not in response.headers
    data = response.json
    assert set(data) == {
        "slug",
        "title",
        "state",
        "goal",
        "signature_count",
        "opened_at",
        "closes_at",
        "signatures_by_country",
        "notable_signatories",
    }
    assert data["slug"] == petition["slug"] and data["state"] == "open"
    assert data["signature_count"] == 3
    assert data["opened_at"] == "2020-05-26T07:00:00Z"
    assert data["closes_at"] is None
    assert data["signatures_by_country"] == [
        {"code": "CH", "name": "Switzerland", "signature_count": 2},
        {"code": "FR", "name": "France", "signature_count": 1},
    ]
    notable = data["notable_signatories"][0]
    assert set(notable) == {
        "name",
        "title",
        "organisation",
        "country",
        "category",
        "portrait_url",
        "url",
    }
    assert len(data["notable_signatories"]) >= 15
    body = response.get_data(as_text=True)
    assert "@" not in body  # no email address, ever

    count = client.get(f"/petitions/{petition['slug']}/count.json")
    assert count.json == {"signature_count": 3}
    assert count.headers["Access-Control-Allow-Origin"] == "*"
    assert count.headers["Cache-Control"].startswith("public, max-age=")


def test_country_names_follow_the_url_language(app, client, smtp, petition):
    confirm_one(app, client, smtp, petition, email="one@example.org", country="CH")
    names = {
        language: client.get(f"{prefix}/petitions/{petition['slug']}.json").json[
            "signatures_by_country"
        ][0]["name"]
        for language, prefix in (("en", ""), ("fr", "/fr"), ("ar", "/ar"), ("zh", "/zh"))
    }
    assert names == {"en": "Switzerland", "fr": "Suisse", "ar": "سويسرا", "zh": "瑞士"}


def test_unknown_call_json_is_a_json_404(client):
    response = client.get("/petitions/nothing-here.json")
    assert response.status_code == 404
    assert response.json["error"]["status"] == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_suspect_or_pending_signatures_never_count(app, client, smtp, petition):
    from campaign.models import Validity
    from campaign.petitions.counters import transition

    confirm_one(app, client, smtp, petition)
    with app.app_context():
        signature = db.session.scalars(select(Signature)).one()
        assert transition(signature, validity=Validity.INVALIDATED)
        db.session.commit()
    assert client.get(f"/petitions/{petition['slug']}/count.json").json["signature_count"] == 0
    with app.app_context():
        signature = db.session.scalars(select(Signature)).one()
        assert transition(signature, validity=Validity.OK)
        db.session.commit()
    assert client.get(f"/petitions/{petition['slug']}/count.json").json["signature_count"] == 1
