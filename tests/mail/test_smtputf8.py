"""Internationalised addresses (``jösé@example.net``), from the sign form to the SMTP server.

Only a server that offers SMTPUTF8 (RFC 6531) can take mail to an address with
non-ASCII letters before the @. The form refuses such an address unless the operator
says the server does (``MAIL_SMTPUTF8``). A non-ASCII domain needs none of this: it is
sent as IDNA.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign import config, emails
from campaign.extensions import db
from campaign.models import OutboxMessage, Signature

from ..helpers.journey import send_outbox, sign

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
