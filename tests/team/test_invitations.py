"""Administrators invite organisers by email: the account waits, invited, until its owner
chooses a password from the link, which works once, for INVITATION_DAYS, and only the
newest one. Through HTTP, with the real outbox and SMTP server."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, Organiser, OrganiserSession
from campaign.tokens import Purpose

from ..helpers.journey import aged_token
from .helpers import NEW_PASSWORD, delivered, invite, link_in, post_form, set_password


def _account(app, email: str) -> Organiser | None:
    with app.app_context():
        organiser = db.session.scalar(select(Organiser).where(Organiser.email == email))
        if organiser is not None:
            db.session.expunge(organiser)
        return organiser


def _actions(app, organiser_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.target_id == str(organiser_id))
                .order_by(AuditEntry.id)
            )
        )


def test_an_invitation_is_emailed_and_its_link_sets_a_password_and_signs_in(app, as_role, smtp):
    admin = as_role("admin")
    response = invite(admin, "New.Person@Example.org", role="moderator", name="Grace")
    assert response.status_code == 303
    account = _account(app, "new.person@example.org")
    assert account.invited and account.role == "moderator" and account.password_hash == ""
    assert response.headers["Location"] == f"/organiser/accounts/{account.id}"
    assert "invited" in admin.get("/organiser/accounts").get_data(as_text=True)
    # Nothing was sent during the request: the outbox sends it.
    assert smtp.messages == []
    [message] = delivered(app, smtp, "new.person@example.org")
    assert "organisers' area" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "Hello Grace," in text and "Admin invites you" in text and "Moderator" in text
    assert "for 7 days" in text
    link = link_in(message, "invitation")

    # No password yet: signing in with anything fails.
    anonymous = app.test_client()
    page = anonymous.get(link)
    assert page.status_code == 200
    assert "new.person@example.org" in page.get_data(as_text=True)
    short = set_password(anonymous, link, "too short")
    assert short.status_code == 422
    assert "at least 12 characters" in short.get_data(as_text=True)
    different = set_password(anonymous, link, NEW_PASSWORD, "another passphrase entirely")
    assert different.status_code == 422
    assert "not the same" in different.get_data(as_text=True)

    done = set_password(anonymous, link)
    assert done.status_code == 303 and done.headers["Location"] == "/organiser/"
    home = anonymous.get("/organiser/")
    assert home.status_code == 200
    assert "Grace" in home.get_data(as_text=True)
    account = _account(app, "new.person@example.org")
    assert not account.invited and account.password_hash.startswith("scrypt:")
    assert _actions(app, account.id) == ["invite_organiser", "accept_invitation"]

    # The link worked once.
    again = app.test_client().get(link)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    # And the password signs in.
    fresh = app.test_client()
    signed = post_form(
        fresh, "/organiser/sign-in", email="new.person@example.org", password=NEW_PASSWORD
    )
    assert signed.status_code == 303


def test_an_expired_invitation_is_refused_clearly(app, as_role, smtp):
    invite(as_role("admin"), "late@example.org")
    account = _account(app, "late@example.org")
    with app.app_context():
        from campaign.team.links import fingerprint

        organiser = db.session.get(Organiser, account.id)
        payload = {"a": organiser.id, "f": fingerprint(organiser)}
    eight_days = 8 * 24 * 3600
    expired = aged_token(Purpose.INVITATION, payload, eight_days)
    page = app.test_client().get(f"/organiser/invitation/{expired}")
    assert page.status_code == 410
    assert "invitation has expired" in page.get_data(as_text=True)
    # Six days old still works (INVITATION_DAYS is 7).
    recent = aged_token(Purpose.INVITATION, payload, 6 * 24 * 3600)
    assert app.test_client().get(f"/organiser/invitation/{recent}").status_code == 200
    # A mangled link says so.
    broken = app.test_client().get(f"/organiser/invitation/{recent[:-3]}")
    assert broken.status_code == 404
    assert "not complete or not valid" in broken.get_data(as_text=True)


def test_the_setting_shortens_the_invitation(make_app, smtp):
    app = make_app(INVITATION_DAYS=1)
    with app.app_context():
        organiser = Organiser(email="x@example.org", role="editor", password_hash="")
        db.session.add(organiser)
        db.session.commit()
        from campaign.team.links import fingerprint

        payload = {"a": organiser.id, "f": fingerprint(organiser)}
    two_days = aged_token(Purpose.INVITATION, payload, 2 * 24 * 3600)
    assert app.test_client().get(f"/organiser/invitation/{two_days}").status_code == 410


def test_resending_makes_a_new_link_and_the_old_one_stops_working(app, as_role, smtp):
    admin = as_role("admin")
    invite(admin, "twice@example.org")
    account = _account(app, "twice@example.org")
    [first] = delivered(app, smtp, "twice@example.org")
    old = link_in(first, "invitation")
    smtp.reset()
    resent = post_form(
        admin, f"/organiser/accounts/{account.id}/invitation/resend", "/organiser/accounts"
    )
    assert resent.status_code == 303
    [second] = delivered(app, smtp, "twice@example.org")
    new = link_in(second, "invitation")
    assert new != old
    refused = app.test_client().get(old)
    assert refused.status_code == 410
    assert "newer invitation" in refused.get_data(as_text=True)
    assert set_password(app.test_client(), new).status_code == 303
    assert _actions(app, account.id) == [
        "invite_organiser",
        "resend_invitation",
        "accept_invitation",
    ]
    # Once accepted, there is nothing to resend or cancel.
    again = post_form(
        admin, f"/organiser/accounts/{account.id}/invitation/resend", "/organiser/accounts"
    )
    assert again.status_code == 303
    assert "already set its password" in admin.get(again.headers["Location"]).get_data(as_text=True)


def test_a_cancelled_invitation_deletes_the_account_and_its_link_says_so(app, as_role, smtp):
    admin = as_role("admin")
    invite(admin, "nope@example.org")
    account = _account(app, "nope@example.org")
    [message] = delivered(app, smtp, "nope@example.org")
    link = link_in(message, "invitation")
    cancelled = post_form(
        admin, f"/organiser/accounts/{account.id}/invitation/cancel", "/organiser/accounts"
    )
    assert cancelled.status_code == 303
    assert cancelled.headers["Location"] == "/organiser/accounts"
    assert _account(app, "nope@example.org") is None
    page = app.test_client().get(link)
    assert page.status_code == 410
    assert "invitation was cancelled" in page.get_data(as_text=True)
    assert _actions(app, account.id) == ["invite_organiser", "cancel_invitation"]
    # The address can be invited again.
    assert invite(admin, "nope@example.org").status_code == 303


def test_an_invited_account_cannot_sign_in_or_reset_before_choosing_a_password(app, as_role, smtp):
    invite(as_role("admin"), "waiting@example.org")
    client = app.test_client()
    refused = post_form(
        client, "/organiser/sign-in", email="waiting@example.org", password="anything at all"
    )
    assert refused.status_code == 422
    assert "password is wrong" in refused.get_data(as_text=True)
    asked = post_form(app.test_client(), "/organiser/forgot-password", email="waiting@example.org")
    assert asked.status_code == 200
    assert [m["Subject"] for m in delivered(app, smtp, "waiting@example.org")] == [
        "You are invited to the organisers' area of localhost"
    ]


def test_an_address_already_in_use_or_invalid_is_refused(app, as_role, organisers):
    admin = as_role("admin")
    taken = invite(admin, organisers["editor"]["email"].upper())
    assert taken.status_code == 422
    assert "already exists" in taken.get_data(as_text=True)
    bad = invite(admin, "not an address")
    assert bad.status_code == 422
    assert "like name@example.org" in bad.get_data(as_text=True)
    no_role = invite(admin, "someone@example.org", role="owner")
    assert no_role.status_code == 422
    with app.app_context():
        assert (
            db.session.scalar(select(Organiser).where(Organiser.email == "someone@example.org"))
            is None
        )
        assert db.session.scalar(select(OrganiserSession).where(OrganiserSession.id < 0)) is None
