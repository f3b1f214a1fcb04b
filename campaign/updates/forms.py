"""The form of an update to supporters (Flask-WTF, with the session's CSRF token)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    HiddenField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import (
    LEFT_TO_RIGHT,
    clean_prose,
    clean_text,
    plain_markdown,
    reject_control_characters,
    unix_newlines,
)
from ..timezones import to_utc

# The columns' sizes: a longer subject is refused by the form, never cut by the database.
SUBJECT_MAX = 200
BODY_MAX = 50_000


class UpdateForm(FlaskForm):
    subject = StringField(
        _l("Subject"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Please write a subject.")),
            Length(max=SUBJECT_MAX),
            reject_control_characters,
        ],
    )
    body_markdown = TextAreaField(
        _l("Text (Markdown)"),
        filters=[unix_newlines],
        validators=[
            DataRequired(_l("Please write the update.")),
            Length(max=BODY_MAX),
            plain_markdown,
        ],
    )
    submit = SubmitField(_l("Save and preview"))


class UpdateTranslationForm(FlaskForm):
    """An update's subject and text in another language, as its readers will get them."""

    subject = StringField(
        _l("Subject"),
        # Prose cleaning: a French subject keeps its no-break space before "?" or ":".
        filters=[clean_prose],
        validators=[
            DataRequired(_l("Please enter the translated subject.")),
            Length(
                max=SUBJECT_MAX,
                message=_l(
                    "The subject can be at most %(max)d characters long; this one has %(length)d."
                ),
            ),
            reject_control_characters,
        ],
    )
    body_markdown = TextAreaField(
        _l("Text (Markdown)"),
        filters=[unix_newlines],
        validators=[
            DataRequired(_l("Please write the translated update.")),
            Length(
                max=BODY_MAX,
                message=_l(
                    "The text can be at most %(max)d characters long; this one has %(length)d."
                ),
            ),
            plain_markdown,
        ],
    )
    # What the editor saw when the form was served, to catch changes made meanwhile.
    main_digest = HiddenField()
    translation_digest = HiddenField()
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Save the translation"))


class AudienceForm(FlaskForm):
    """Who an update goes to: some countries and/or languages; none ticked is everyone."""

    countries = SelectMultipleField(
        _l("Countries"), widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )
    languages = SelectMultipleField(
        _l("Languages"), widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )
    submit = SubmitField(_l("Count again"))


# Digits, perhaps grouped as people write thousands: "3900", "3,900", "3 900", "3'900".
_TYPED_NUMBER = re.compile(r"[0-9]{1,3}(?:[ ,.'\u00a0\u202f]?[0-9]{3})*|[0-9]{1,12}")
# More people than any call has: a longer number is a slip of the finger.
TYPED_DIGITS_MAX = 12
# A schedule further ahead than this is a typo (2062 for 2026), not a plan.
SCHEDULE_MAX_DAYS = 366


class ConfirmSendForm(FlaskForm):
    """The organiser types the number of recipients, and may choose a later time."""

    typed = StringField(
        _l("Number of people who will receive it"),
        render_kw=LEFT_TO_RIGHT,
        filters=[lambda value: value.strip() if value else value],
        validators=[
            DataRequired(_l("Please type the number of people who will receive it.")),
            Length(max=20, message=_l("Please type the number shown above, in digits.")),
        ],
    )
    send_at = DateTimeLocalField(
        _l("Send at (leave empty to send now)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
    )
    submit = SubmitField(_l("Send"))

    def __init__(self, *args, zone: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.scheduled_utc: datetime | None = None

    def typed_number(self) -> int | None:
        """The number typed, without the spaces or commas grouping its thousands."""
        value = self.typed.data or ""
        digits = re.sub(r"[^0-9]", "", value)
        if not _TYPED_NUMBER.fullmatch(value) or len(digits) > TYPED_DIGITS_MAX:
            return None
        return int(digits)

    def validate_typed(self, field) -> None:
        if self.typed_number() is None:
            raise ValidationError(_l("Please type the number shown above, in digits."))

    def validate_send_at(self, field) -> None:
        """A time to come, within a year, read in the call's time zone."""
        if field.data is None:
            return
        now = datetime.now(UTC)
        try:
            moment = to_utc(field.data, self.zone)
        except (OverflowError, ValueError):  # year 1 east of UTC, year 9999 west of it
            moment = datetime.min if field.data.year < now.year else datetime.max
            moment = moment.replace(tzinfo=UTC)
        if moment > now + timedelta(days=SCHEDULE_MAX_DAYS):
            raise ValidationError(_l("Please choose a time within the next year."))
        if moment <= now:
            raise ValidationError(
                _l("This time has already passed. Leave the field empty to send now.")
            )
        self.scheduled_utc = moment
