"""The form of an update to supporters (Flask-WTF, with the session's CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms import clean_text, plain_markdown, reject_control_characters, unix_newlines


class UpdateForm(FlaskForm):
    subject = StringField(
        _l("Subject"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Please write a subject.")),
            Length(max=200),
            reject_control_characters,
        ],
    )
    body_markdown = TextAreaField(
        _l("Text (Markdown)"),
        filters=[unix_newlines],
        validators=[
            DataRequired(_l("Please write the update.")),
            Length(max=50_000),
            plain_markdown,
        ],
    )
    submit = SubmitField(_l("Save and preview"))


# -- notable signatories ---------------------------------------------------------------
