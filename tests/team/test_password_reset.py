"""A forgotten password, reset by an emailed link: the same answer for any address, the
email only to a real account, a link that works once and for an hour, every session
ended, rate limits per client and per address. Through HTTP, real outbox and SMTP."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, Organiser, OutboxMessage
from campaign.tokens import Purpose

from ..helpers.backoffice import PASSWORD
from ..helpers.journey import aged_token
from .helpers import NEW_PASSWORD, delivered, link_in, post_form, set_password

FORGOT = "/organiser/forgot-password"
SENT = "If an account exists for this address, we've sent a link"


def _ask(client, email: str):
    return post_form(client, FORGOT, email=email)


def test_the_sign_in_page_links_to_the_form(client):
    page = client.get("/organiser/sign-in").get_data(as_text=True)
    assert f'href="{FORGOT}"' in page and "Forgot your password?" in page


def test_a_known_and_an_unknown_address_get_the_same_answer_and_only_one_an_email(
    app, client, organisers, smtp
):
    known = _ask(app.test_client(), "Editor@Example.org")
    unknown = _ask(app.test_client(), "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    body = known.get_data(as_text=True)
    assert SENT in body
    assert unknown.get_data(as_text=True) == body.replace(  # only the CSRF-free page: same
        "Editor@Example.org", "nobody@example.org"
    )
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 1
    [message] = delivered(app, smtp, "editor@example.org")
    assert [m["To"] for m in smtp.messages] == [message["To"]]
    assert message["Subject"] == "Reset your password for localhost"
    assert "for 60 minutes" in message.get_body(("plain",)).get_content()


def test_the_link_sets_a_new_password_once_and_ends_every_session(app, as_role, organisers, smtp):
    elsewhere = as_role("editor")
    assert elsewhere.get("/organiser/").status_code == 200
    _ask(app.test_client(), "editor@example.org")
    link = link_in(delivered(app, smtp, "editor@example.org")[0], "reset-password")

    browser = app.test_client()
    page = browser.get(link)
    assert page.status_code == 200 and "editor@example.org" in page.get_data(as_text=True)
    assert set_password(browser, link, "short").status_code == 422
    done = set_password(browser, link)
    assert done.status_code == 303 and done.headers["Location"] == "/organiser/"
    home = browser.get("/organiser/")
    assert home.status_code == 200  # signed in
    assert "You were signed out everywhere else" in home.get_data(as_text=True)
    # The session opened before is over; the old password is refused, the new one works.
    assert elsewhere.get("/organiser/").status_code == 302
    old = post_form(
        app.test_client(), "/organiser/sign-in", email="editor@example.org", password=PASSWORD
    )
    assert old.status_code == 422
    new = post_form(
        app.test_client(), "/organiser/sign-in", email="editor@example.org", password=NEW_PASSWORD
    )
    assert new.status_code == 303
    # Used once: the link is dead.
    reused = app.test_client().get(link)
    assert reused.status_code == 410
    assert "already been used" in reused.get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions == ["reset_password"]


def test_an_expired_link_is_refused_and_offers_a_new_one(app, organisers):
    with app.app_context():
        from campaign.team.links import fingerprint

        editor = db.session.get(Organiser, organisers["editor"]["id"])
        payload = {"a": editor.id, "f": fingerprint(editor)}
    late = aged_token(Purpose.PASSWORD_RESET, payload, 61 * 60)
    page = app.test_client().get(f"/organiser/reset-password/{late}")
    assert page.status_code == 410
    assert "This link has expired" in page.get_data(as_text=True)
    assert f'href="{FORGOT}"' in page.get_data(as_text=True)
    fresh = aged_token(Purpose.PASSWORD_RESET, payload, 59 * 60)
    assert app.test_client().get(f"/organiser/reset-password/{fresh}").status_code == 200
    # An invitation's link is no reset link (another salt).
    other = aged_token(Purpose.INVITATION, payload, 0)
    assert app.test_client().get(f"/organiser/reset-password/{other}").status_code == 404


def test_a_disabled_account_gets_no_link_and_its_old_link_dies(app, as_role, organisers, smtp):
    _ask(app.test_client(), "moderator@example.org")
    link = link_in(delivered(app, smtp, "moderator@example.org")[0], "reset-password")
    smtp.reset()
    admin = as_role("admin")
    post_form(admin, f"/organiser/accounts/{organisers['moderator']['id']}/disable")
    answer = _ask(app.test_client(), "moderator@example.org")
    assert SENT in answer.get_data(as_text=True)
    assert delivered(app, smtp, "moderator@example.org") == []
    assert app.test_client().get(link).status_code == 410


def test_a_reset_with_two_step_on_still_asks_for_the_code(app, organisers, smtp):
    with app.app_context():
        admin = db.session.get(Organiser, organisers["admin"]["id"])
        admin.totp_secret = "JBSWY3DPEHPK3PXP"
        db.session.commit()
    _ask(app.test_client(), "admin@example.org")
    link = link_in(delivered(app, smtp, "admin@example.org")[0], "reset-password")
    browser = app.test_client()
    done = set_password(browser, link)
    assert done.headers["Location"] == "/organiser/sign-in/code"
    assert browser.get("/organiser/").status_code == 302  # not signed in without the code
    assert browser.get("/organiser/sign-in/code").status_code == 200


def test_asking_is_rate_limited_per_address_and_per_client(make_app, organisers, smtp):
    app = make_app(
        RATELIMIT_ENABLED=True,
        PASSWORD_RESET_RATE_LIMIT="6 per minute",
        PASSWORD_RESET_EMAIL_RATE_LIMIT="2 per hour",
    )
    # Per address: the third request for one address is refused...
    answers = [_ask(app.test_client(), "editor@example.org").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert len(delivered(app, smtp, "editor@example.org")) == 2
    # ... while another address still gets its answer, until the client's own limit.
    answers = []
    for n in range(8):
        answers.append(_ask(app.test_client(), f"someone{n}@example.org").status_code)
        if answers[-1] == 429:
            break
    assert answers[0] == 200 and answers[-1] == 429, answers
    assert len(answers) <= 4, answers  # 6 a minute in all, 3 already spent above
