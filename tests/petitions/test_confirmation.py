"""The email link: delivered over real SMTP, followed, confirmed only by the button."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from campaign.extensions import db
from campaign.models import CountryCount, Lifecycle, OutboxMessage, Petition, Signature
from campaign.tokens import Purpose

from ..helpers.app import SECRET_KEY
from ..helpers.journey import (
    CSRF,
    aged_token,
    links_in,
    local_path,
    press_button,
    send_outbox,
    sign,
)


def signature_count(app, petition) -> int:
    with app.app_context():
        return db.session.get(Petition, petition["id"]).signature_count


def sign_and_get_mail(app, client, smtp, petition, **fields):
    assert sign(client, petition["slug"], **fields).status_code == 303
    result = send_outbox(app)
    assert result.sent == 1
    return smtp.messages[-1]


def test_email_has_text_and_html_and_a_link_without_the_address(app, client, smtp, petition):
    mail = sign_and_get_mail(app, client, smtp, petition, email="ada.l@example.org")
    assert mail["To"] == "Ada Lovelace <ada.l@example.org>"
    assert "Please confirm your signature" in mail["Subject"]
    with app.app_context():
        row = db.session.scalars(select(OutboxMessage)).one()
        assert mail["Message-ID"] == row.message_id
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    [link] = links_in(mail)
    assert link.startswith("http://localhost/petitions/confirm/")
    assert link in html
    assert "ada" not in link.lower()
    assert "example.org" not in link
    assert "/petitions/signature/" in text


def test_scanner_get_does_not_confirm_and_the_button_does(app, client, smtp, petition):
    mail = sign_and_get_mail(app, client, smtp, petition)
    [link] = links_in(mail)
    # A link scanner fetches the URL (several times): nothing is confirmed.
    scanner = app.test_client()
    for _ in range(3):
        page = scanner.get(local_path(link))
        assert page.status_code == 200
        assert page.headers["Cache-Control"] == "no-store"
        assert "Confirm my signature" in page.get_data(as_text=True)
    assert signature_count(app, petition) == 0

    response = press_button(client, local_path(link))
    assert response.status_code == 303
    thank_you = client.get(response.headers["Location"])
    html = thank_you.get_data(as_text=True)
    assert "your signature is confirmed" in html
    for network in (
        "mailto:",
        "bsky.app",
        "mastodonshare.com",
        "x.com",
        "facebook.com",
        "wa.me",
        "linkedin.com",
    ):
        assert network in html
    assert '<script src="http' not in html
    assert signature_count(app, petition) == 1
    assert client.get(f"/petitions/{petition['slug']}/count.json").json == {"signature_count": 1}
    with app.app_context():
        signature = db.session.scalars(select(Signature)).one()
        assert signature.status == Lifecycle.CONFIRMED
        assert signature.confirmed_at is not None
        counts = db.session.scalars(select(CountryCount)).all()
        assert [(c.country, c.signature_count) for c in counts] == [("CH", 1)]


def test_confirming_twice_is_harmless(app, client, smtp, petition):
    [link] = links_in(sign_and_get_mail(app, client, smtp, petition))
    url = local_path(link)
    # Two tabs opened the link before either pressed the button.
    tabs = [app.test_client(), app.test_client()]
    tokens = [CSRF.search(tab.get(url).get_data(as_text=True)).group(1) for tab in tabs]
    first, second = (
        tab.post(url, data={"csrf_token": token}) for tab, token in zip(tabs, tokens, strict=True)
    )
    assert first.status_code == 303 and first.headers["Location"].endswith("/thank-you")
    assert second.status_code == 200
    assert "already confirmed" in second.get_data(as_text=True)
    assert signature_count(app, petition) == 1
    # Opening the link again later says so, with the way to the signature's own page.
    again = client.get(url)
    assert again.status_code == 200
    assert "/petitions/signature/" in again.get_data(as_text=True)
    assert signature_count(app, petition) == 1


def read_signature(how: str):
    """The one signature, as the moderation pages read it or as a confirmation link does."""
    from campaign.petitions import lifecycle

    signature = db.session.scalars(select(Signature)).one()
    return lifecycle.link_target(signature.public_id) if how == "link" else signature


def set_status(signature_id: int, status: str) -> None:
    """Another request's write, behind the back of whatever this one has read."""
    table = Signature.__table__
    db.session.execute(update(table).where(table.c.id == signature_id).values(status=status))


@pytest.mark.parametrize("how", ["object", "link"])
def test_a_confirmation_that_lost_the_race_counts_nothing(app, client, petition, how):
    """The row is moved only from the state this request saw; on PostgreSQL the
    counters are bumped in the same statement, from the moved row alone."""
    from campaign.petitions import lifecycle

    assert sign(client, petition["slug"]).status_code == 303
    with app.app_context():
        signature = read_signature(how)
        # Another request confirms it (its own counting aside) after this one read it.
        set_status(signature.id, Lifecycle.CONFIRMED)
        assert signature.status == Lifecycle.PENDING  # what this request saw
        assert lifecycle.confirm(signature) is False
        db.session.commit()
        assert db.session.scalars(select(CountryCount)).all() == []
    assert signature_count(app, petition) == 0

    with app.app_context():  # and a confirmation that wins counts once, everywhere
        set_status(read_signature("object").id, Lifecycle.PENDING)
        db.session.commit()
        signature = read_signature(how)
        assert lifecycle.confirm(signature) is True
        db.session.commit()
        counts = db.session.scalars(select(CountryCount)).all()
        assert [(c.country, c.signature_count) for c in counts] == [("CH", 1)]
        assert read_signature("object").confirmed_at is not None
    assert signature_count(app, petition) == 1


# SQLite moves and counts in several statements, in one transaction: nothing to check there.
@pytest.mark.postgres_only
@pytest.mark.parametrize("how", ["object", "link"])
def test_on_postgresql_a_confirmation_commits_with_its_statement(app, client, petition, how):
    """The call's counter row is locked while the statement runs, not until a COMMIT
    a round trip later: other connections see the count before the view commits."""
    from campaign.database import each_statement_commits
    from campaign.petitions import lifecycle

    assert sign(client, petition["slug"]).status_code == 303
    with app.app_context():
        each_statement_commits()
        assert lifecycle.confirm(read_signature(how)) is True
        with db.engine.connect() as other:
            count = select(Petition.signature_count).where(Petition.id == petition["id"])
            assert other.scalar(count) == 1
            assert other.scalar(select(Signature.status)) == Lifecycle.CONFIRMED
        db.session.commit()  # nothing left to commit
    assert signature_count(app, petition) == 1


def test_post_without_session_csrf_explains_instead_of_confirming(app, client, smtp, petition):
    [link] = links_in(sign_and_get_mail(app, client, smtp, petition))
    response = app.test_client().post(local_path(link), data={})
    assert response.status_code == 400
    assert "press the button again" in response.get_data(as_text=True)
    # With the session the page set, but a token that is not its own: refused alike.
    client.get(local_path(link))
    for forged in ("", "not-a-token", aged_token(Purpose.CONFIRM, "x", 0)):
        response = client.post(local_path(link), data={"csrf_token": forged})
        assert response.status_code == 400
    assert signature_count(app, petition) == 0
    assert press_button(client, local_path(link)).status_code == 303
    assert signature_count(app, petition) == 1


def test_expired_link_lets_the_person_sign_again(app, client, smtp, petition):
    sign_and_get_mail(app, client, smtp, petition)
    with app.app_context():
        public_id = db.session.scalars(select(Signature)).one().public_id
    old = aged_token(Purpose.CONFIRM, public_id, 31 * 86400)
    response = client.get(f"/petitions/confirm/{old}")
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert "This link has expired" in html
    assert f'href="/petitions/{petition["slug"]}"' in html
    assert signature_count(app, petition) == 0
    # Still within 30 days: accepted.
    fresh_enough = aged_token(Purpose.CONFIRM, public_id, 29 * 86400)
    assert press_button(client, f"/petitions/confirm/{fresh_enough}").status_code == 303


def test_tampered_and_foreign_tokens_get_a_clear_page(app, client, smtp, petition):
    [link] = links_in(sign_and_get_mail(app, client, smtp, petition))
    token = link.rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (tampered, "nonsense", aged_token(Purpose.SIGNATURE, "x", 0)):
        response = client.get(f"/petitions/confirm/{bad}")
        assert response.status_code == 404
        assert "This link does not work" in response.get_data(as_text=True)
    # A withdraw token for the same signature does not confirm it (salt per purpose).
    with app.app_context():
        public_id = db.session.scalars(select(Signature)).one().public_id
    withdraw_token = aged_token(Purpose.SIGNATURE, public_id, 0)
    assert client.get(f"/petitions/confirm/{withdraw_token}").status_code == 404
    assert signature_count(app, petition) == 0


def test_links_survive_a_key_rotation(make_app, smtp, petition):
    old_key_token = None
    app = make_app()
    client = app.test_client()
    mail = sign_and_get_mail(app, client, smtp, petition)
    [link] = links_in(mail)
    old_key_token = local_path(link)
    rotated = make_app(SECRET_KEY="a-brand-new-key", SECRET_KEY_FALLBACKS=[SECRET_KEY])
    assert press_button(rotated.test_client(), old_key_token).status_code == 303
    without_fallback = make_app(SECRET_KEY="a-brand-new-key")
    assert without_fallback.test_client().get(old_key_token).status_code == 404


def test_withdrawal_erases_personal_data_and_leaves_the_count(app, client, smtp, petition):
    mail = sign_and_get_mail(app, client, smtp, petition)
    [confirm] = links_in(mail)
    [withdraw] = links_in(mail, "signature")
    press_button(client, local_path(confirm))
    assert signature_count(app, petition) == 1
    page = client.get(local_path(withdraw))
    assert "Withdraw my signature" in page.get_data(as_text=True)
    assert signature_count(app, petition) == 1  # a GET changes nothing
    response = press_button(client, local_path(withdraw))
    assert response.status_code == 200
    assert "has been withdrawn" in response.get_data(as_text=True)
    assert signature_count(app, petition) == 0
    with app.app_context():
        signature = db.session.scalars(select(Signature)).one()
        assert signature.status == Lifecycle.WITHDRAWN
        assert (signature.name, signature.email, signature.email_canonical) == (None, None, None)
        assert signature.ip_address is None
        assert signature.country == "CH" and signature.confirmed_at is not None
        assert db.session.scalars(select(OutboxMessage)).all() == []
        assert db.session.scalars(select(CountryCount)).one().signature_count == 0
    # The confirmation link now explains, and the person may sign again.
    assert "was withdrawn" in client.get(local_path(confirm)).get_data(as_text=True)
    assert sign(client, petition["slug"]).status_code == 303
    with app.app_context():
        assert len(db.session.scalars(select(Signature)).all()) == 2


def test_secret_key_is_used_for_tokens(app):
    # Guard for the fixtures above: tokens are made with the test key.
    with app.app_context():
        from campaign import tokens

        token = tokens.make(Purpose.CONFIRM, "abc")
    assert aged_token(Purpose.CONFIRM, "abc", 0, SECRET_KEY).split(".")[0] == token.split(".")[0]
