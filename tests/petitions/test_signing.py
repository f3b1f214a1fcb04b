"""Signing over HTTP: the stateless form token, validation, and what is stored."""

from __future__ import annotations

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import event, func, select

from campaign.extensions import db
from campaign.models import Lifecycle, OutboxMessage, Petition, PetitionState, Signature
from campaign.tokens import Purpose

from ..helpers.app import SECRET_KEY
from ..helpers.journey import aged_token, form_token, next_path, send_outbox, sign


def count_rows(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_petition_page_is_cacheable_and_sets_no_cookie(client, petition):
    response = client.get(f"/petitions/{petition['slug']}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    html = response.get_data(as_text=True)
    assert "Governments: stop the cyberattacks on healthcare" in html
    assert "Desmond Tutu" in html and "Nobel Peace Prize laureate" in html
    for field in ("name", "email", "country", "consent", "public", "updates"):
        assert f'name="{field}"' in html
    assert '<option value="CH">Switzerland</option>' in html
    assert 'href="/privacy"' in html


def test_valid_signature_is_stored_pending_with_its_email(app, client, petition):
    response = sign(
        client, petition["slug"], name="  Ada   Lovelace ", email="Ada@Example.org", public="y"
    )
    assert response.status_code == 303
    assert next_path(response) == f"/petitions/{petition['slug']}/check-email"
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    # The page repeats the address typed, with a way back to the form; its URL does not.
    assert "Check your email" in html and "<bdi>Ada@example.org</bdi>" in html
    assert "Wrong address? Sign again" in html
    assert "example.org" not in response.headers["Location"].lower()
    assert page.headers["Cache-Control"] == "no-store"

    with app.app_context():
        signature = db.session.scalars(select(Signature)).one()
        assert signature.status == Lifecycle.PENDING
        assert signature.name == "Ada Lovelace"
        assert signature.email == "Ada@example.org"  # as given (domain lower-cased)
        assert signature.email_canonical == "ada@example.org"
        assert signature.country == "CH"
        assert signature.public is True and signature.updates is False
        assert signature.language == "en"
        assert signature.text_version == 1
        assert signature.privacy_version
        assert "privacy notice" in signature.consent_text
        assert signature.ip_address is not None and len(signature.ip_address) == 16
        message = db.session.scalars(select(OutboxMessage)).one()
        assert message.signature_id == signature.id
        assert message.kind == "confirm"
        assert message.to_address == "Ada@example.org"
        assert db.session.get(Petition, petition["id"]).signature_count == 0


def test_a_new_signature_and_its_email_are_written_together(app, client, petition):
    """On PostgreSQL in one statement that commits by itself (one round trip on a busy
    day, no BEGIN or COMMIT), on SQLite in two in a transaction. A second post from the
    same mailbox is a submission of its own, written the same way, with its own email.
    (The email allowance's counters, each an upsert of its own, are counted apart.)"""
    with app.app_context():
        engine = db.engine
    writes: list[str] = []
    in_autocommit: list[bool] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "WITH", "UPDATE")):
            in_autocommit.append(bool(getattr(conn.connection.dbapi_connection, "autocommit", 0)))
            if "signing_allowance" not in statement:
                writes.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert sign(client, petition["slug"], email="ada@example.org").status_code == 303
        first = list(writes)
        writes.clear()
        assert sign(client, petition["slug"], email="ADA@example.org", name="Ada L").status_code
    finally:
        event.remove(engine, "before_cursor_execute", record)

    if engine.dialect.name == "postgresql":
        for statements in (first, writes):
            assert len(statements) == 1
            assert "signature" in statements[0] and "outbox_message" in statements[0]
        assert all(in_autocommit)
    else:
        assert len(first) == len(writes) == 2
    with app.app_context():
        submissions = db.session.scalars(select(Signature).order_by(Signature.id)).all()
        messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    # Each submission keeps what was typed and gets its own email, to the address it gave.
    assert [s.name for s in submissions] == ["Ada Lovelace", "Ada L"]
    assert [m.signature_id for m in messages] == [s.id for s in submissions]
    assert [m.to_address for m in messages] == ["ada@example.org", "ADA@example.org"]
    assert [s.emails_sent for s in submissions] == [1, 1]


def test_missing_token_is_refused_and_nothing_stored(app, client, petition):
    response = sign(client, petition["slug"], form_token=None)
    assert response.status_code == 400
    assert "missing its security token" in response.get_data(as_text=True)
    assert count_rows(app, Signature) == 0
    assert count_rows(app, OutboxMessage) == 0


def test_forged_token_is_refused(app, client, petition):
    forged = URLSafeTimedSerializer("not-our-key", salt=Purpose.SIGN_FORM.value).dumps(
        petition["id"]
    )
    response = sign(client, petition["slug"], form_token=forged)
    assert response.status_code == 400
    assert "could not be verified" in response.get_data(as_text=True)
    assert count_rows(app, Signature) == 0


def test_token_for_another_purpose_is_refused(app, client, petition):
    other = URLSafeTimedSerializer(SECRET_KEY, salt=Purpose.CONFIRM.value).dumps(petition["id"])
    response = sign(client, petition["slug"], form_token=other)
    assert response.status_code == 400
    assert count_rows(app, Signature) == 0


def test_token_of_another_call_is_refused(app, client, petition):
    other_call = URLSafeTimedSerializer(SECRET_KEY, salt=Purpose.SIGN_FORM.value).dumps(
        petition["id"] + 1
    )
    response = sign(client, petition["slug"], form_token=other_call)
    assert response.status_code == 400
    assert "belongs to another page" in response.get_data(as_text=True)


def test_expired_form_keeps_input_and_offers_a_fresh_token(app, client, petition):
    old = aged_token(Purpose.SIGN_FORM, petition["id"], 2 * 86400)
    response = sign(client, petition["slug"], form_token=old, name="Grace Hopper")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "open for too long" in html
    assert 'value="Grace Hopper"' in html
    assert old not in html  # a fresh token replaces it
    assert count_rows(app, Signature) == 0


def test_cross_site_posts_are_refused(app, client, petition):
    slug = petition["slug"]
    token = form_token(client, slug)
    base = {
        "name": "A",
        "email": "a@example.org",
        "country": "CH",
        "consent": "y",
        "form_token": token,
    }
    foreign = client.post(
        f"/petitions/{slug}/sign", data=base, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    assert "another site" in foreign.get_data(as_text=True)
    fetch_site = client.post(
        f"/petitions/{slug}/sign", data=base, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert fetch_site.status_code == 403
    assert count_rows(app, Signature) == 0
    same = client.post(
        f"/petitions/{slug}/sign",
        data=base,
        headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},
    )
    assert same.status_code == 303
    assert count_rows(app, Signature) == 1


def test_invalid_input_gets_a_message_per_field_and_stores_nothing(app, client, petition):
    response = sign(
        client, petition["slug"], name="", email="not-an-address", country="XX", consent=None
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert "Please enter your name." in html
    assert "Please enter a valid email address" in html
    assert "Please choose your country of residence from the list." in html
    assert "Please agree to the privacy notice to sign." in html
    assert 'href="#email"' in html  # the summary links to the field
    assert 'aria-invalid="true"' in html
    assert 'value="not-an-address"' in html  # input kept
    assert count_rows(app, Signature) == 0
    assert count_rows(app, OutboxMessage) == 0


def test_names_with_newlines_are_refused(app, client, petition):
    response = sign(client, petition["slug"], name="Eve\r\nBcc: victim@example.org")
    assert response.status_code == 422
    assert "on one line" in response.get_data(as_text=True)
    assert count_rows(app, Signature) == 0


def test_overlong_name_is_refused(app, client, petition):
    response = sign(client, petition["slug"], name="A" * 121)
    assert response.status_code == 422
    assert "120 characters" in response.get_data(as_text=True)


def test_draft_and_unknown_calls_are_404(app, client, petition):
    with app.app_context():
        db.session.get(Petition, petition["id"]).state = PetitionState.DRAFT
        db.session.commit()
    assert client.get(f"/petitions/{petition['slug']}").status_code == 404
    assert client.get(f"/petitions/{petition['slug']}.json").status_code == 404
    assert client.get("/petitions/no-such-call").status_code == 404


def test_closed_call_stops_signing_with_a_clear_page(app, client, petition):
    token = form_token(client, petition["slug"])
    with app.app_context():
        db.session.get(Petition, petition["id"]).state = PetitionState.CLOSED
        db.session.commit()
    response = sign(client, petition["slug"], form_token=token)
    assert response.status_code == 409
    assert "no longer takes signatures" in response.get_data(as_text=True)
    assert count_rows(app, Signature) == 0


def test_french_page_and_french_signature(app, client, petition):
    page = client.get(f"/fr/petitions/{petition['slug']}")
    html = page.get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert '<option value="CH">Suisse</option>' in html
    assert f'action="/fr/petitions/{petition["slug"]}/sign#error-summary"' in html
    response = sign(client, petition["slug"], prefix="/fr")
    assert next_path(response) == f"/fr/petitions/{petition['slug']}/check-email"
    with app.app_context():
        assert db.session.scalars(select(Signature)).one().language == "fr"
        message = db.session.scalars(select(OutboxMessage)).one()
        assert "http://localhost/fr/petitions/confirm/" in message.body_text


def test_signing_with_the_call_cached_per_process(make_app, smtp, petition):
    """With SIGN_CALL_CACHE_SECONDS on (as in production), signing, errors and closing work."""
    import time

    app = make_app(SIGN_CALL_CACHE_SECONDS=0.5)
    client = app.test_client()
    assert sign(client, petition["slug"]).status_code == 303
    assert sign(client, petition["slug"], email="grace@example.org").status_code == 303
    assert send_outbox(app).sent == 2
    for message in smtp.messages:
        assert "Governments: stop the cyberattacks on healthcare" in message["Subject"]
    # A refused form is shown on the whole page, the call loaded afresh (notables and all).
    refused = sign(client, petition["slug"], name="", email="x@example.org")
    assert refused.status_code == 422
    assert "Please enter your name." in refused.get_data(as_text=True)
    assert "Nobel" in refused.get_data(as_text=True)
    token = form_token(client, petition["slug"])
    with app.app_context():
        db.session.get(Petition, petition["id"]).state = PetitionState.CLOSED
        db.session.commit()
    time.sleep(0.6)  # the organisers' change reaches every process within the cache time
    late = sign(client, petition["slug"], email="late@example.org", form_token=token)
    assert late.status_code == 409
