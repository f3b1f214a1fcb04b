"""The registration form (public, cacheable: a stateless token), the registrant's
buttons, and the organisers' forms (the event, its text per language, the recording)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
    ValidationError,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from .. import countries
from ..forms import (
    CachedCatalogueMeta,
    clean_prose,
    clean_text,
    lower,
    plain_markdown,
    reject_control_characters,
    slug_rule,
    unix_newlines,
)
from ..i18n import LANGUAGE_NAMES
from ..person_fields import PersonForm, known_timezone

_DATETIME = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def consent_label() -> str:
    """The exact consent text, in the reader's language; stored with each registration."""
    return str(
        _l(
            "I have read the privacy notice and agree that my name, email, country and "
            "organisation are recorded to manage my registration for this event."
        )
    )


def form_context(event_id: int) -> str:
    """The registration form's token names its event, never a call's id."""
    return f"event:{event_id}"


class RegistrationForm(PersonForm):
    """The registration form: the person, their organisation and their consent."""

    organisation = StringField(
        _l("Organisation (optional)"),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=200, message=_l("Please shorten this to %(max)d characters.")),
            reject_control_characters,
        ],
    )
    consent = BooleanField(
        validators=[DataRequired(_l("Please agree to the privacy notice to register."))]
    )
    submit = SubmitField(_l("Register"))

    def __init__(self, *args, event_id: int, language: str = "en", **kwargs) -> None:
        super().__init__(*args, meta={"csrf_context": form_context(event_id)}, **kwargs)
        self.consent.label.text = consent_label()
        self.country.choices = [("", _l("Choose your country")), *countries.choices(language)]


class ConfirmRegistrationForm(FlaskForm):
    """A GET of the email's link does nothing (link scanners prefetch): this button does."""

    class Meta(CachedCatalogueMeta):
        pass

    submit = SubmitField(_l("Confirm my registration"))


class CancelRegistrationForm(FlaskForm):
    class Meta(CachedCatalogueMeta):
        pass

    cancel = SubmitField(_l("Cancel my registration"))


def _no_script_scheme(form, field) -> None:
    if field.data and not field.data.lower().startswith(("https://", "http://")):
        raise ValidationError(_l("Please enter a web address starting with https://."))


class EventForm(FlaskForm):
    """An event's settings; its text is written per language (EventTextForm)."""

    slug = StringField(
        _l("Address"),
        filters=[lower],
        validators=[
            DataRequired(_l("Please enter the address of the event.")),
            Length(max=80),
            slug_rule,
        ],
        description=_l("The last part of the event's web address: /events/…"),
    )
    petition_id = SelectField(_l("Related call"), coerce=str, validators=[Optional()])
    publication_id = SelectField(_l("Related publication"), coerce=str, validators=[Optional()])
    language = SelectField(_l("Language it is written in"))
    spoken_languages = SelectMultipleField(_l("Languages spoken at the event"))
    timezone = StringField(
        _l("Time zone"),
        default="UTC",
        filters=[clean_text],
        validators=[DataRequired(_l("Please choose a time zone.")), known_timezone],
    )
    starts_at = DateTimeLocalField(
        _l("Starts (in the event's time zone)"),
        format=_DATETIME,
        validators=[InputRequired(_l("Please enter when the event starts."))],
    )
    ends_at = DateTimeLocalField(
        _l("Ends (in the event's time zone)"),
        format=_DATETIME,
        validators=[InputRequired(_l("Please enter when the event ends."))],
    )
    online_url = URLField(
        _l("Online link (sent only to people with a place)"),
        filters=[clean_text],
        validators=[Optional(), Length(max=500), URL(), _no_script_scheme],
    )
    venue = StringField(
        _l("Venue"),
        filters=[clean_text],
        validators=[Optional(), Length(max=300), reject_control_characters],
    )
    capacity = IntegerField(
        _l("Places"),
        validators=[
            InputRequired(_l("Please enter how many places there are.")),
            NumberRange(min=1, max=100_000, message=_l("Please enter a number from 1 to 100000.")),
        ],
    )
    published = BooleanField(_l("Published (the public can see it and register)"))
    is_demo = BooleanField(_l("This is a demonstration event"))
    submit = SubmitField(_l("Save"))

    def __init__(
        self,
        *args,
        languages: list[str],
        calls: list[tuple[str, str]],
        publications: list[tuple[str, str]],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        names = [(code, LANGUAGE_NAMES.get(code, code)) for code in languages]
        self.language.choices = names
        self.spoken_languages.choices = names
        self.petition_id.choices = [("", _l("None")), *calls]
        self.publication_id.choices = [("", _l("None")), *publications]

    def validate_ends_at(self, field) -> None:
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The event must end after it starts."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Optional() ends a field's own checks when it is empty: one of the two is needed.
        if not self.venue.data and not self.online_url.data and not self.venue.errors:
            self.venue.errors = [*self.venue.errors, _l("Please give an online link or a venue.")]
            return False
        return valid


class EventTextForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Please enter a title.")),
            Length(max=200),
            reject_control_characters,
        ],
    )
    description_markdown = TextAreaField(
        _l("Description (Markdown)"),
        filters=[unix_newlines, clean_prose],
        validators=[Length(max=20_000), plain_markdown],
    )
    submit = SubmitField(_l("Save"))


class RecordingForm(FlaskForm):
    recording_url = URLField(
        _l("Link to the recording"),
        filters=[clean_text],
        validators=[Optional(), Length(max=500), URL(), _no_script_scheme],
    )
    message = TextAreaField(
        _l("Message"),
        filters=[unix_newlines, clean_prose],
        validators=[DataRequired(_l("Please write a message.")), Length(max=5000)],
    )
    submit = SubmitField(_l("Send to everyone who had a place"))
