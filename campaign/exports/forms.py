"""Forms of the signatory list and of the organisers' export pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, ValidationError
from wtforms.validators import Length, Optional

from .. import countries
from ..forms import clean_text, reject_control_characters
from .delivery_options import LANGUAGES

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
