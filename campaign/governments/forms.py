"""Forms of the governments' back-office pages (Flask-WTF, with the session's CSRF token).

Fields are checked by the same functions as the CSV import and the command
line (:mod:`.targets`), so the rules cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import ValidationError

from .. import countries
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
