"""Forms of the admins' privacy pages (subject access and erasure requests)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from ..forms import clean_text


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
