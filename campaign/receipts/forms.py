"""The verify page's form: a receipt pasted or uploaded."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from .leaves import RECEIPT_MAX_BYTES


class VerifyForm(FlaskForm):
    """No session, so no CSRF token: the page changes nothing and stays cacheable."""

    class Meta:
        csrf = False

    receipt = TextAreaField(
        _l("Paste your receipt"), validators=[Optional(), Length(max=RECEIPT_MAX_BYTES)]
    )
    receipt_file = FileField(_l("Or choose the receipt file"))
    submit = SubmitField(_l("Check my receipt"))
