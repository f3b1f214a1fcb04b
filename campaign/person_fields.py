"""What a person types about themselves (signing a call, registering for an event): one
definition of a usable name, address and country, and of a time zone, so every form
refuses the same things with the same words."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length

from . import countries, emails
from .forms import (
    CachedCatalogueMeta,
    CachedSelect,
    StatelessFormToken,
    clean_text,
    reject_control_characters,
    reject_mixed_scripts,
    require_a_letter,
)
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


class PersonForm(FlaskForm):
    """Name, address and country, on a public page that is cached: the token is stateless
    (see StatelessFormToken) and names what the form is for (the call or the event)."""

    class Meta(CachedCatalogueMeta):
        csrf = True
        csrf_class = StatelessFormToken
        csrf_field_name = "form_token"

    name = StringField(
        _l("Full name"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Please enter your name.")),
            Length(max=NAME_MAX, message=_l("Please shorten your name to %(max)d characters.")),
            reject_control_characters,
            reject_mixed_scripts,
            require_a_letter,
        ],
    )
    email = EmailField(
        _l("Email address"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Please enter your email address.")),
            Length(max=EMAIL_MAX, message=_l("This email address is too long.")),
            valid_email,
        ],
    )
    country = SelectField(
        _l("Country of residence"),
        validators=[InputRequired(_l("Please choose your country of residence.")), known_country],
        validate_choice=False,
        widget=CachedSelect(),  # ~250 options: rendered once, not on every page view
    )
