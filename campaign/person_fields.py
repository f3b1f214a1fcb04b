"""Validators for what a person types about themselves (signing a call, registering for
an event): one definition of a usable address, a known country and a time zone, so every
form refuses the same things with the same words."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import ValidationError

from . import countries, emails
from .timezones import valid_timezone

NAME_MAX = 120
EMAIL_MAX = 254


def valid_email(form, field) -> None:
    """An address we can send the confirmation to, as ``emails.normalise`` stores it.

    Requests never talk to SMTP, so whether the server takes an internationalised
    local part is what the operator says in ``MAIL_SMTPUTF8``.
    """
    try:
        field.data = emails.normalise(
            field.data, allow_smtputf8=current_app.config["MAIL_SMTPUTF8"]
        )
    except emails.NeedsSMTPUTF8:
        raise ValidationError(
            _l(
                "This mail server cannot deliver to addresses with accents or non-Latin "
                "letters before the @. Please use another address."
            )
        ) from None
    except ValueError:
        raise ValidationError(
            _l("Please enter a valid email address, like name@example.org.")
        ) from None


def known_country(form, field) -> None:
    if field.data not in countries.codes():
        raise ValidationError(_l("Please choose your country of residence from the list."))


def known_timezone(form, field) -> None:
    if field.data and not valid_timezone(field.data):
        raise ValidationError(_l("Please choose a time zone from the list, like Europe/Zurich."))
