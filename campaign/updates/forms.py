"""The form of an update to supporters (Flask-WTF, with the session's CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms import (
    clean_prose,
    clean_text,
    plain_markdown,
    reject_control_characters,
    unix_newlines,
)

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
