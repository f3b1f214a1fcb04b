"""Forms of the notables' back-office pages (Flask-WTF, with the session's CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional, Regexp

from .. import countries
from ..forms import clean_text, reject_control_characters


class NotableForm(FlaskForm):
    name = StringField(
        _l("Name"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Please enter the name.")),
            Length(max=200),
            reject_control_characters,
        ],
    )
    title = StringField(
        _l("Title or role"),
        filters=[clean_text],
        validators=[Length(max=300), reject_control_characters],
        description=_l("For example: Former President of Switzerland"),
    )
    organisation = StringField(
        _l("Organisation"),
        filters=[clean_text],
        validators=[Length(max=200), reject_control_characters],
    )
    country = SelectField(_l("Country"), validate_choice=True)
    category = StringField(
        _l("Category"),
        filters=[clean_text],
        validators=[DataRequired(_l("Please enter a category.")), Length(max=100)],
        description=_l("People are grouped by category on the call's page."),
    )
    url = URLField(
        _l("Link (optional)"),
        filters=[clean_text],
        validators=[
            Optional(),
            URL(message=_l("Please enter a full web address.")),
            Regexp(r"^https?://", message=_l("Please enter a full web address.")),
            Length(max=500),
        ],
    )
    consent_note = TextAreaField(
        _l("How consent to be featured was obtained"),
        filters=[clean_text],
        validators=[DataRequired(_l("Please note how consent was obtained.")), Length(max=2000)],
    )
    visible = BooleanField(_l("Show on the call's page"), default=True)
    portrait = FileField(
        _l("Portrait or logo (JPEG, PNG or WebP, up to 2 MB)"),
        description=_l("It is resized to fit 400 by 400 pixels."),
    )
    remove_portrait = BooleanField(_l("Remove the current portrait"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, language: str = "en", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("No country")), *countries.choices(language)]


class PromoteForm(NotableForm):
    """Promoting a signature: the name and country come from it."""

    name = None
    country = None

    def __init__(self, *args, language: str = "en", **kwargs) -> None:
        FlaskForm.__init__(self, *args, **kwargs)
