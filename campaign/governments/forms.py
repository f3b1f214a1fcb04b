"""Forms of the governments' back-office pages (Flask-WTF, with the session's CSRF token).

Fields are checked by the same functions as the CSV import and the command
line (:mod:`.targets`, :mod:`.deliveries`), so the rules cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from .. import countries
from ..forms import clean_text, reject_control_characters
from .deliveries import HANDED_OVER_BY_MAX
from .targets import (
    TargetError,
    TargetValues,
    check_body,
    check_country,
    check_postal_address,
    check_threshold,
    parse_emails,
    parse_languages,
)


def _checked(check: Callable[[Any], Any]) -> Callable[[Any, Any], None]:
    """A validator running ``check`` on the field; its result is kept in ``form.checked``."""

    def validator(form, field) -> None:
        try:
            form.checked[field.name] = check(field.data)
        except TargetError as error:
            raise ValidationError(str(error)) from None

    return validator


class TargetForm(FlaskForm):
    """A government the call addresses."""

    country = SelectField(_l("Country"), validators=[_checked(check_country)])
    body = StringField(
        _l("Body addressed"),
        validators=[_checked(check_body)],
        description=_l("For example: Federal Department of Foreign Affairs"),
    )
    emails = TextAreaField(
        _l("Contact email addresses"),
        validators=[_checked(parse_emails)],
        description=_l("One per line. They are never shown publicly."),
    )
    postal_address = TextAreaField(
        _l("Postal address"), validators=[_checked(check_postal_address)]
    )
    languages = StringField(
        _l("Languages of the letter"),
        default="en",
        validators=[_checked(parse_languages)],
        description=_l("Language codes separated by spaces, the preferred first: en fr es."),
    )
    threshold = StringField(
        _l("Signature threshold"),
        default="0",
        validators=[_checked(check_threshold)],
        description=_l("The number of signatures from this country at which to hand it over."),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, language: str = "en", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.checked: dict[str, Any] = {}
        self.country.choices = [("", _l("Choose a country")), *countries.choices(language)]

    def values(self) -> TargetValues:
        """The checked values (after a successful ``validate``)."""
        return TargetValues(**self.checked)


class TargetImportForm(FlaskForm):
    """A CSV file of targets: ``country,body,email,language,threshold``."""

    file = FileField(_l("CSV file"))
    submit = SubmitField(_l("Import"))


def _handed_over_by(description: str) -> StringField:
    """Who handed a package over: one rule for recording a delivery and for emailing one."""
    return StringField(
        _l("Handed over by"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Please say who handed it over (a name or a role).")),
            Length(max=HANDED_OVER_BY_MAX),
            reject_control_characters,
        ],
        description=description,
    )


class RecordDeliveryForm(FlaskForm):
    """A delivery of one of the packages built for a country, as it happened."""

    package = SelectField(_l("Package handed over"), coerce=int, validate_choice=True)
    delivered_on = DateField(
        _l("Date of delivery"),
        validators=[DataRequired(_l("Please give the date as YYYY-MM-DD."))],
    )
    channel = SelectField(_l("How it was handed over"))
    body = StringField(
        _l("Body it went to"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Please name the body the package went to.")),
            Length(max=300),
            reject_control_characters,
        ],
    )
    handed_over_by = _handed_over_by(
        _l("A name or a role, kept in the back office: it is not published.")
    )
    submit = SubmitField(_l("Record the delivery"))

    def __init__(
        self,
        *args,
        package_choices: list[tuple[int, str]],
        channel_choices: list[tuple[str, str]],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.package.choices = package_choices
        self.channel.choices = channel_choices


class EmailDeliveryForm(FlaskForm):
    """Deliver a package by email: who hands it over (signing the email), then the button."""

    handed_over_by = _handed_over_by(
        _l(
            "Signs the email to the government; kept in the back office, not published: "
            "a name or a role."
        )
    )
    submit = SubmitField(_l("Send and record the delivery"))


class ChooseCountryForm(FlaskForm):
    """Which government a delivery went to (a GET form: it only chooses the next page)."""

    class Meta:
        csrf = False

    country = SelectField(_l("Government"), validate_choice=True)
    submit = SubmitField(_l("Continue"))
