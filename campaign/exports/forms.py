"""Forms of the signatory list and of the organisers' export pages."""

from __future__ import annotations

from functools import partial

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    ValidationError,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .. import countries
from ..forms import clean_text, reject_control_characters
from .delivery_options import LANGUAGES
from .delivery_settings import FIELD_LABELS, MODE_LABELS, SettingsRefused, check_fields, check_mode

SEARCH_MAX = 100


def _known_country_or_blank(form, field) -> None:
    if field.data and field.data not in countries.codes():
        raise ValidationError(_l("Please choose a country from the list."))


class SignatoryFilterForm(FlaskForm):
    """Search and filter of the public list: a GET form, so no token (the page is cached)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Search by name"),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=SEARCH_MAX, message=_l("Please search for at most %(max)d characters.")),
            reject_control_characters,
        ],
    )
    country = SelectField(
        _l("Country"), validators=[_known_country_or_blank], validate_choice=False
    )
    submit = SubmitField(_l("Show"))

    def __init__(self, *args, language: str = "en", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("All countries")), *countries.choices(language)]


class DeliveryForm(FlaskForm):
    """Make a delivery package: one government, or all of them, in a chosen language."""

    country = SelectField(_l("Recipient"), validate_choice=False)
    language = SelectField(_l("Language of the letter"))
    submit = SubmitField(_l("Make the package"))

    def __init__(self, *args, country_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Set per form, as the country list is: WTForms 3.3 deprecates tuple choices
        # declared on the class.
        self.language.choices = list(LANGUAGES.items())
        self.country.choices = [("", _l("All countries, one folder each")), *country_choices]
        self._allowed = {code for code, _name in country_choices}

    def validate_country(self, field) -> None:
        if field.data and field.data not in self._allowed:
            raise ValidationError(_l("Please choose a country from the list."))


def _refusal_of(check):
    """A validator that runs one of the settings' own checks (the same as the CLI's)."""

    def validator(form, field) -> None:
        try:
            check(field.data)
        except SettingsRefused as refused:
            raise ValidationError(str(refused)) from None

    return validator


class DeliverySettingsForm(FlaskForm):
    """How the call is delivered: names or totals only, and the fields of its lists."""

    mode = RadioField(_l("Names or totals only"), validate_choice=False)
    fields = SelectMultipleField(
        _l("Fields of the lists"),
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField(_l("Save the delivery settings"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mode.choices = [(mode.value, label) for mode, label in MODE_LABELS.items()]
        self.fields.choices = list(FIELD_LABELS.items())
        self.mode.validators = [_refusal_of(check_mode)]

    def validate_fields(self, field) -> None:
        # Totals only names nobody: the fields may stay as they are, or be left unticked.
        if self.mode.data == "names" or field.data:
            _refusal_of(partial(check_fields, by_label=True))(self, field)
