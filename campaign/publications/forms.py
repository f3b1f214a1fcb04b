"""Forms of the publications' back-office pages (Flask-WTF, with the session's CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length

from ..forms import (
    clean_prose,
    clean_text,
    lower,
    plain_markdown,
    reject_control_characters,
    slug_rule,
    unix_newlines,
)


class PublicationForm(FlaskForm):
    """The publication itself: its address, language, date, call and cover."""

    slug = StringField(
        _l("Address"),
        filters=[lower],
        validators=[
            DataRequired(_l("Please enter the address of the publication.")),
            Length(max=100),
            slug_rule,
        ],
        description=_l("The last part of the publication's web address: /publications/…"),
    )
    language = SelectField(_l("Language it is written in"), validate_choice=True)
    published_on = DateField(
        _l("Publication date"),
        validators=[DataRequired(_l("Please enter the publication date (YYYY-MM-DD)."))],
    )
    petition_id = SelectField(_l("Related call"), validate_choice=True)
    cover = FileField(
        _l("Cover image (optional)"),
        description=_l("A JPEG, PNG or WebP image; it is redrawn and its metadata dropped."),
    )
    remove_cover = BooleanField(_l("Remove the cover"))
    submit = SubmitField(_l("Save"))

    def set_choices(self, languages: list[tuple[str, str]], calls: list[tuple[str, str]]) -> None:
        self.language.choices = languages
        self.petition_id.choices = [("", _l("None")), *calls]


class TitleAndSummary(FlaskForm):
    """A publication's title and summary in one language: written when it is created (in
    its own language), and in each language after."""

    title = StringField(
        _l("Title"),
        filters=[clean_prose],
        validators=[
            DataRequired(_l("Please enter a title.")),
            Length(max=300),
            reject_control_characters,
        ],
    )
    summary_markdown = TextAreaField(
        _l("Summary (Markdown)"),
        filters=[unix_newlines],
        validators=[Length(max=20_000), plain_markdown],
    )


class NewPublicationForm(PublicationForm, TitleAndSummary):
    """A new publication, with its title and summary in its own language."""

    submit = SubmitField(_l("Create the draft"))


class PublicationTextsForm(TitleAndSummary):
    """Its title, summary and cover's alt text in one language, and its PDF in it."""

    cover_alt = StringField(
        _l("Description of the cover image"),
        filters=[clean_text],
        validators=[Length(max=300), reject_control_characters],
        description=_l("For people who cannot see it. Leave empty if it only repeats the title."),
    )
    pdf = FileField(_l("The PDF in this language"))
    submit = SubmitField(_l("Save"))


class PublishForm(FlaskForm):
    publish = HiddenField(validators=[AnyOf(["1", "0"])])


class DeleteForm(FlaskForm):
    """Only the CSRF token: the button says what it does."""
