"""Forms of the letters' back-office pages (Flask-WTF, with the session's CSRF token)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Field, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional, Regexp, ValidationError

from .. import emails
from ..forms import clean_text, plain_markdown, reject_control_characters, unix_newlines
from ..i18n import language_name
from .cover import TEXT_MAX


def _clean_lines(value: str | None) -> str | None:
    """Each line cleaned as a one-line field is; empty lines dropped."""
    if value is None:
        return None
    lines = (clean_text(line) for line in value.replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _valid_email(form, field: Field) -> None:
    if not field.data:
        return
    try:
        # Printed on the letter, never sent to: any address a person can write to.
        field.data = emails.normalise(field.data, allow_smtputf8=True)
    except ValueError:
        raise ValidationError(
            _l("Please enter a valid email address, like name@example.org.")
        ) from None


class OrganisationForm(FlaskForm):
    """The organisation's letterhead. Build it with :meth:`for_languages`, which adds the
    place's name in each of the site's languages."""

    name = StringField(
        _l("Organisation's name"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Please enter the organisation's name.")),
            Length(max=200),
            reject_control_characters,
        ],
    )
    postal_address = TextAreaField(
        _l("Postal address"),
        filters=[_clean_lines],
        validators=[Length(max=1000), plain_markdown],
        description=_l("As printed under the name, one line of the address per line."),
    )
    contact_email = StringField(
        _l("Contact email address"),
        filters=[clean_text],
        validators=[Length(max=320), _valid_email],
        description=_l("Printed on every letter, for the recipient's answer."),
    )
    website = URLField(
        _l("Website"),
        filters=[clean_text],
        validators=[
            Optional(),
            URL(message=_l("Please enter a full web address.")),
            Regexp(r"^https?://", message=_l("Please enter a full web address.")),
            Length(max=500),
        ],
    )
    place = StringField(
        _l("Place letters are written from"),
        filters=[clean_text],
        validators=[Length(max=100), reject_control_characters],
        description=_l("Shown before the date, as in “Geneva, 3 December 2026”."),
    )
    signatory = StringField(
        _l("Who signs the letters"),
        filters=[clean_text],
        validators=[Length(max=200), reject_control_characters],
        description=_l("A name and role, printed under the closing. Leave empty for none."),
    )
    logo = FileField(
        _l("Logo (JPEG, PNG or WebP, up to 2 MB)"),
        description=_l("Kept as a PNG, resized to fit 600 by 600 pixels."),
    )
    remove_logo = BooleanField(_l("Remove the current logo"))
    submit = SubmitField(_l("Save the settings"))

    # The languages with a place name field (``place_<language>``), set by for_languages.
    place_languages: tuple[str, ...] = ()

    @classmethod
    def for_languages(cls, languages: list[str], *args, **kwargs) -> OrganisationForm:
        """The form with a field for the place's name in each of ``languages``."""
        fields = {
            f"place_{code}": StringField(
                _("The place's name in %(language)s", language=language_name(code)),
                filters=[clean_text],
                validators=[Length(max=100), reject_control_characters],
            )
            for code in languages
        }
        namespace = {**fields, "place_languages": tuple(languages)}
        form_class = type("OrganisationForm", (cls,), namespace)
        return form_class(*args, **kwargs)

    def place_names(self) -> dict[str, str]:
        return {code: self[f"place_{code}"].data or "" for code in self.place_languages}


class CoverTextForm(FlaskForm):
    """One language's cover text (the page has one per language, each with its prefix)."""

    text = TextAreaField(
        _l("Cover text"),
        filters=[unix_newlines],
        validators=[Length(max=TEXT_MAX), plain_markdown],
        description=_l(
            "Plain text; leave an empty line between paragraphs. Leave it empty to use the default."
        ),
    )
    submit = SubmitField(_l("Save the cover text"))
