"""Forms of the admins' privacy pages (subject access and erasure requests)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired, Email, Length

from ..forms import LEFT_TO_RIGHT, clean_text
from .services import RetentionRefused, check_erase_after_days, check_pending_days


class PersonLookupForm(FlaskForm):
    """Posted, not put in the URL: an address must not land in access logs."""

    email = EmailField(
        _l("The person's email address"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Please enter the email address the request is about.")),
            Length(max=254),
            Email(_l("Please enter a valid email address."), check_deliverability=False),
        ],
    )
    submit = SubmitField(_l("Find their data"))


class EraseForm(PersonLookupForm):
    confirm = BooleanField(
        _l("I have checked this request and want to erase this person's data"),
        validators=[DataRequired(_l("Please tick the box to confirm the erasure."))],
    )
    submit = SubmitField(_l("Erase their data"))


def _checked(check):
    """A validator that runs one of the retention's own checks (the same as the CLI's)."""

    def validator(form, field) -> None:
        try:
            check(field.data)
        except RetentionRefused as refused:
            raise ValidationError(str(refused)) from None

    return validator


class RetentionForm(FlaskForm):
    """How long a call keeps personal data. Text fields, so that any input gets our message."""

    pending_days = StringField(
        _l("Days to keep unconfirmed signatures"),
        render_kw=LEFT_TO_RIGHT,
        filters=[clean_text],
        validators=[_checked(check_pending_days)],
    )
    erase_after_days = StringField(
        _l("Days after the last delivery before personal data is erased"),
        render_kw=LEFT_TO_RIGHT,
        filters=[clean_text],
        validators=[_checked(check_erase_after_days)],
    )
    submit = SubmitField(_l("Save the retention periods"))
