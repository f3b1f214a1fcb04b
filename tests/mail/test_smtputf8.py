"""Internationalised addresses (``jösé@example.net``), from the sign form to the SMTP server.

Only a server that offers SMTPUTF8 (RFC 6531) can take mail to an address with
non-ASCII letters before the @. The form refuses such an address unless the operator
says the server does (``MAIL_SMTPUTF8``); the worker announces SMTPUTF8 and 8BITMIME
for such a message, and fails it for good, with a reason organisers see, when the
server offers neither. A non-ASCII domain needs none of this: it is sent as IDNA.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign import config, emails
from campaign.extensions import db
from campaign.models import Lifecycle, OutboxMessage, OutboxStatus, Petition, Signature

from ..helpers.backoffice import signed_in
from ..helpers.journey import links_in, local_path, press_button, send_outbox, sign
from ..helpers.servers import SMTPServer

JOSE = "jösé@example.net"
REFUSED = (
    "This mail server cannot deliver to addresses with accents or non-Latin letters "
    "before the @. Please use another address."
)


def stored(app) -> tuple[list[Signature], list[OutboxMessage]]:
    with app.app_context():
        return (
            list(db.session.scalars(select(Signature))),
            list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))),
        )


@pytest.fixture
def app_utf8(make_app):
    """An app whose operator says the SMTP server offers SMTPUTF8."""
    return make_app(MAIL_SMTPUTF8=True)


# -- the address and the setting ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "allow", "outcome"),
    [
        (JOSE, True, JOSE),
        (JOSE, False, emails.NeedsSMTPUTF8),
        ("用户@例子.广告", False, emails.NeedsSMTPUTF8),
        ("ada@bücher.example", False, "ada@bücher.example"),  # IDNA: no SMTPUTF8 needed
        (" Ada@Example.org ", False, "Ada@example.org"),
        ("jösé@@example.net", False, ValueError),  # invalid anyway: the usual error
        ("jösé@localhost", False, ValueError),
    ],
)
def test_normalise_says_why_an_address_is_refused(typed, allow, outcome):
    if isinstance(outcome, str):
        assert emails.normalise(typed, allow_smtputf8=allow) == outcome
        return
    with pytest.raises(outcome) as raised:
        emails.normalise(typed, allow_smtputf8=allow)
    if outcome is ValueError:
        assert not isinstance(raised.value, emails.NeedsSMTPUTF8)


def test_the_setting_is_read_from_the_environment():
    assert config.DEFAULTS["MAIL_SMTPUTF8"] is False
    assert config.from_environment({"MAIL_SMTPUTF8": "true"})["MAIL_SMTPUTF8"] is True
    assert config.from_environment({"MAIL_SMTPUTF8": "0"})["MAIL_SMTPUTF8"] is False


# -- the form, when the server cannot take such an address ------------------------------


def test_without_smtputf8_the_form_refuses_a_non_ascii_local_part(app, client, petition):
    assert app.config["MAIL_SMTPUTF8"] is False  # the default
    response = sign(client, petition["slug"], email=JOSE)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert REFUSED in html
    assert "valid email address" not in html  # the address is valid: it says why not
    assert JOSE in html  # the person's input is kept for them to correct
    assert stored(app) == ([], [])


@pytest.mark.parametrize(
    ("prefix", "text"),
    [
        ("/fr", "Ce serveur de messagerie ne peut pas envoyer de message aux adresses"),
        ("/es", "Este servidor de correo no puede entregar mensajes a direcciones"),
    ],
)
def test_the_refusal_is_in_the_readers_language(app, client, petition, prefix, text):
    response = sign(client, petition["slug"], prefix=prefix, email=JOSE)
    assert response.status_code == 422
    assert text in response.get_data(as_text=True)
    assert stored(app) == ([], [])


def test_an_invalid_address_still_gets_the_usual_message(app, client, petition):
    response = sign(client, petition["slug"], email="jösé@@example.net")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please enter a valid email address" in html and REFUSED not in html


def test_an_internationalised_domain_needs_no_smtputf8(app, client, smtp, petition):
    assert sign(client, petition["slug"], email="ada@bücher.example").status_code == 303
    [signature], _messages = stored(app)
    assert signature.email == "ada@bücher.example"
    assert send_outbox(app).sent == 1
    assert smtp.envelopes[0][1] == ["ada@xn--bcher-kva.example"]
    assert "SMTPUTF8" not in smtp.mail_options[0]
    assert "BODY=8BITMIME" not in smtp.mail_options[0]


# -- with MAIL_SMTPUTF8 on, from the form to the server and back -------------------------


def test_with_smtputf8_the_signature_is_sent_and_confirmed(app_utf8, smtp, petition):
    client = app_utf8.test_client()
    response = sign(client, petition["slug"], name="José Núñez", email=JOSE)
    assert response.status_code == 303
    [signature], [row] = stored(app_utf8)
    assert (signature.email, row.to_address) == (JOSE, JOSE)

    assert send_outbox(app_utf8).sent == 1
    [message] = smtp.messages
    assert {"SMTPUTF8", "BODY=8BITMIME"} <= set(smtp.mail_options[0])
    assert smtp.envelopes[0][1] == [JOSE]
    [to] = message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("José Núñez", JOSE)
    assert "José" in message.get_body(("plain",)).get_content()

    [link] = links_in(message)
    assert press_button(client, local_path(link)).status_code in (200, 303)
    with app_utf8.app_context():
        assert db.session.get(Signature, signature.id).status == Lifecycle.CONFIRMED
        assert db.session.get(Petition, petition["id"]).signature_count == 1


def test_ascii_mail_is_sent_as_before_beside_utf8_mail(app_utf8, smtp, petition):
    """On one connection, mail to an ASCII address still goes without SMTPUTF8."""
    client = app_utf8.test_client()
    for address in ("ada@example.org", JOSE, "grace@example.org"):
        assert sign(client, petition["slug"], email=address).status_code == 303
    assert send_outbox(app_utf8).sent == 3
    recipients = [rcpt for _sender, [rcpt] in smtp.envelopes]
    utf8 = ["SMTPUTF8" in options for options in smtp.mail_options]
    assert dict(zip(recipients, utf8, strict=True)) == {
        "ada@example.org": False,
        JOSE: True,
        "grace@example.org": False,
    }
    for options in smtp.mail_options:
        assert ("BODY=8BITMIME" in options) == ("SMTPUTF8" in options)


def test_headers_stay_ascii_unless_an_address_needs_utf8(app_utf8, petition):
    """A name with accents goes as RFC 2047 text to an ASCII address (as it always did),
    and as UTF-8 only beside an address that needs SMTPUTF8 anyway."""
    from campaign.mail.messages import build_message

    client = app_utf8.test_client()
    for address in ("zoe@example.org", JOSE):
        assert sign(client, petition["slug"], name="Zoë", email=address).status_code == 303
    with app_utf8.app_context():
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        ascii_mail, utf8_mail = (build_message(row) for row in rows)
    assert (ascii_mail.smtputf8, utf8_mail.smtputf8) == (False, True)
    ascii_headers = ascii_mail.data.partition(b"\r\n\r\n")[0]
    assert ascii_headers.isascii()
    assert b"\r\nTo: =?utf-8?q?Zo=C3=AB?= <zoe@example.org>\r\n" in ascii_headers
    utf8_headers = utf8_mail.data.partition(b"\r\n\r\n")[0]
    assert "\r\nTo: Zoë <jösé@example.net>\r\n".encode() in utf8_headers


# -- a server that does not offer SMTPUTF8 -----------------------------------------------


def test_a_server_without_smtputf8_fails_the_message_for_good(make_app, petition, organisers):
    server = SMTPServer(smtputf8=False)
    server.start()
    try:
        # The operator said yes, but the server says otherwise: the worker believes the server.
        app = make_app(MAIL_SMTPUTF8=True, MAIL_PORT=server.port)
        client = app.test_client()
        assert sign(client, petition["slug"], email=JOSE).status_code == 303
        assert sign(client, petition["slug"], email="ada@example.org").status_code == 303
        result = send_outbox(app)
        assert (result.sent, result.failed, result.retried) == (1, 1, 0)
        assert [rcpts for _sender, rcpts in server.envelopes] == [["ada@example.org"]]
        _signatures, rows = stored(app)
        failed = next(row for row in rows if row.to_address == JOSE)
        assert failed.status == OutboxStatus.FAILED
        assert "does not offer SMTPUTF8" in failed.last_error
        assert JOSE not in failed.last_error
        assert send_outbox(app).claimed == 0  # not retried
    finally:
        server.stop()

    page = signed_in(app.test_client(), organisers["moderator"]).get(
        f"/organiser/calls/{petition['id']}"
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Mail refused for good" in html and "does not offer SMTPUTF8" in html
    assert JOSE not in html
    status = app.test_cli_runner().invoke(args=["outbox", "status"]).output
    assert "does not offer SMTPUTF8" in status
