"""/petitions lists every published call, open ones first, in the reader's language; the
footer of every page leads there, so a second call is found without knowing its address."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import Petition, PetitionState, utcnow
from campaign.petitions.services import public_calls


def _calls(app, petition) -> None:
    """Besides the demo call (open): a call past its closing date, a delivered one and a
    draft, each opened after the demo call."""
    with app.app_context():
        demo = db.session.get(Petition, petition["id"])
        later = (demo.opened_at or utcnow()) + timedelta(days=1)
        for slug, state, closes_at in [
            ("past-its-date", PetitionState.OPEN, utcnow() - timedelta(days=1)),
            ("handed-over", PetitionState.DELIVERED, None),
            ("not-yet", PetitionState.DRAFT, None),
        ]:
            db.session.add(
                Petition(
                    slug=slug,
                    title=f"The {slug} call",
                    summary="A summary.",
                    body_markdown="A call.",
                    state=state,
                    opened_at=later,
                    closes_at=closes_at,
                    signature_count=7,
                )
            )
        db.session.commit()


def test_open_calls_come_first_and_drafts_never(app, client, petition):
    _calls(app, petition)
    with app.app_context():
        assert [c.slug for c in public_calls()] == [
            petition["slug"],
            "past-its-date",
            "handed-over",
        ]
    page = client.get("/petitions")
    assert page.status_code == 200 and page.headers["Cache-Control"].startswith("public")
    html = page.get_data(as_text=True)
    assert "not-yet" not in html
    positions = [
        html.index(f'href="/petitions/{slug}"')
        for slug in (petition["slug"], "past-its-date", "handed-over")
    ]
    assert positions == sorted(positions)
    assert html.count("Open for signatures") == 1 and "Delivered" in html and "Closed" in html


def test_the_list_speaks_the_readers_language(app, client, petition):
    html = client.get("/fr/petitions").get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert "Gouvernements : mettez fin aux cyberattaques contre la santé" in html.replace(
        "\\u00a0", " "
    ).replace("\xa0", " ")
    assert client.get("/es/petitions").status_code == 200


def test_every_page_leads_to_the_list(client, petition):
    assert 'href="/petitions"' in client.get(f"/petitions/{petition['slug']}").get_data(
        as_text=True
    )
    assert 'href="/fr/petitions"' in client.get("/fr/").get_data(as_text=True)


def test_the_home_page_prefers_a_call_open_for_signing(app, client, petition):
    """With nothing featured, the home page shows the call people can sign, not one
    delivered or past its date that happens to be newer."""
    _calls(app, petition)
    with app.app_context():
        db.session.get(Petition, petition["id"]).featured = False
        db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert f'href="/petitions/{petition["slug"]}"' in home
    assert "handed-over" not in home and "past-its-date" not in home


def test_the_home_page_shows_the_other_open_calls_after_the_featured_one(app, client, petition):
    _calls(app, petition)
    with app.app_context():
        db.session.add(
            Petition(
                slug="second-open",
                title="The second open call",
                summary="Another demand.",
                body_markdown="A call.",
                state=PetitionState.OPEN,
                opened_at=utcnow() - timedelta(days=2),
                signature_count=3,
            )
        )
        db.session.commit()
    home = client.get("/fr/").get_data(as_text=True)
    others = home[home.index('id="other-calls-heading"') :]
    card = '<h3 lang="en"><a href="/fr/petitions/second-open">The second open call</a></h3>'
    assert card in others
    # The featured call is above, not again; closed, delivered and draft calls are not listed.
    assert f'href="/fr/petitions/{petition["slug"]}"' not in others
    for slug in ("past-its-date", "handed-over", "not-yet"):
        assert slug not in home
    assert 'href="/fr/petitions">' in others
    # With one open call, no such section.
    with app.app_context():
        db.session.scalar(
            select(Petition).where(Petition.slug == "second-open")
        ).state = PetitionState.CLOSED
        db.session.commit()
    assert "other-calls-heading" not in client.get("/es/").get_data(as_text=True)
