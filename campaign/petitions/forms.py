"""Forms of the public signing journey."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length

from .. import countries, emails
from ..forms import (
    CachedCatalogueMeta,
    CachedSelect,
    StatelessFormToken,
    clean_text,
    reject_control_characters,
    reject_mixed_scripts,
    require_a_letter,
)

NAME_MAX = 120
EMAIL_MAX = 254


def consent_label() -> str:
    """The exact consent text, in the reader's language; it is stored with each signature."""
    return str(
        _l(
            "I have read the privacy notice and agree that my name and country are "
            "recorded for this call and handed to the governments it is addressed to."
        )
    )


def _valid_email(form, field) -> None:
    try:
        field.data = emails.normalise(field.data)
    except ValueError:
        raise ValidationError(
            _l("Please enter a valid email address, like name@example.org.")
        ) from None


def _known_country(form, field) -> None:
    if field.data not in countries.codes():
        raise ValidationError(_l("Please choose your country of residence from the list."))


class SignatureForm(FlaskForm):
    """The sign form. Its token is stateless (see StatelessFormToken) so the page is cacheable."""

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
            _valid_email,
        ],
    )
    country = SelectField(
        _l("Country of residence"),
        validators=[InputRequired(_l("Please choose your country of residence.")), _known_country],
        validate_choice=False,
        widget=CachedSelect(),  # ~250 options: rendered once, not on every page view
    )
    consent = BooleanField(
        validators=[DataRequired(_l("Please agree to the privacy notice to sign."))]
    )
    public = BooleanField(_l("Show my name on the public list of signatories"))
    updates = BooleanField(_l("Send me news about this campaign (you can unsubscribe at any time)"))
    # The honeypot: hidden from people (CSS, out of the tab order), filled in by naive bots.
    website = StringField(_l("Leave this field empty"))
    submit = SubmitField(_l("Sign the call"))

    def __init__(self, *args, petition_id: int, language: str = "en", **kwargs) -> None:
        super().__init__(*args, meta={"csrf_context": petition_id}, **kwargs)
        self.consent.label.text = consent_label()
        self.country.choices = [("", _l("Choose your country")), *countries.choices(language)]


class ConfirmForm(FlaskForm):
    """The button that confirms; a GET of the link never does (link scanners prefetch)."""

    class Meta(CachedCatalogueMeta):
        pass

    submit = SubmitField(_l("Confirm my signature"))


class WithdrawForm(FlaskForm):
    submit = SubmitField(_l("Withdraw my signature"))
