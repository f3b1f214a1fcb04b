"""Forms of the moderation pages: the signature search, a rule's confirmation, and a
blocklist entry."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from .. import emails
from ..forms import LEFT_TO_RIGHT, SearchForm, clean_text, lower, searchable_text
from ..ip_addresses import ip_range
from .blocklists import normalise_block


def _ip_or_range(form, field) -> None:
    if field.data:
        try:
            ip_range(field.data)
        except ValueError:
            raise ValidationError(
                _l("Enter an IP address or a range like 203.0.113.0/24 or 2001:db8::/32.")
            ) from None


def _domain(form, field) -> None:
    if field.data:
        try:
            emails.normalise_domain(field.data)
        except ValueError:
            raise ValidationError(_l("Enter a domain like example.org.")) from None


TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]


class SignatureSearchForm(SearchForm):
    """Searching signatures (a GET form: no CSRF token, it changes nothing)."""

    name = StringField(
        _l("Name contains"), filters=[clean_text], validators=[searchable_text, Length(max=200)]
    )
    email = StringField(
        _l("Email contains"),
        render_kw=LEFT_TO_RIGHT,
        filters=[clean_text],
        validators=[searchable_text, Length(max=320)],
    )
    domain = StringField(
        _l("Email domain"),
        render_kw=LEFT_TO_RIGHT,
        filters=[clean_text],
        validators=[searchable_text, Length(max=253), _domain],
    )
    ip = StringField(
        _l("IP address or range"),
        render_kw=LEFT_TO_RIGHT,
        filters=[clean_text],
        validators=[searchable_text, Length(max=64), _ip_or_range],
    )
    country = StringField(
        _l("Country code"),
        filters=[lower],
        validators=[
            Optional(),
            searchable_text,
            Regexp(r"^[a-z]{2}$", message=_l("Enter a two-letter country code, like CH.")),
        ],
    )
    status = SelectField(_l("State"), default="")
    validity = SelectField(_l("Validity"), default="")
    since = DateTimeLocalField(
        _l("Signed from (call's time zone)"), format=TIME_FORMATS, validators=[Optional()]
    )
    until = DateTimeLocalField(
        _l("Signed before (call's time zone)"), format=TIME_FORMATS, validators=[Optional()]
    )

    def __init__(self, *args, **kwargs) -> None:
        # Choices are set here, not on the class: WTForms 3.3 deprecates tuples there.
        super().__init__(*args, **kwargs)
        self.status.choices = [
            ("", _l("Any")),
            ("pending", _l("Waiting for confirmation")),
            ("confirmed", _l("Confirmed")),
            ("withdrawn", _l("Withdrawn")),
        ]
        self.validity.choices = [
            ("", _l("Any")),
            ("ok", _l("Valid")),
            ("suspect", _l("Suspect")),
            ("invalidated", _l("Invalidated")),
        ]

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data <= self.since.data:
            raise ValidationError(_l("The end of the time window must come after its start."))


class RuleForm(FlaskForm):
    """Applying a previewed rule: the action, the reason, and the newest id previewed."""

    action = SelectField()
    up_to_id = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    reason = StringField(
        _l("Reason (kept with each signature)"),
        filters=[clean_text],
        validators=[Length(max=500)],
    )
    submit = SubmitField(_l("Apply"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.action.choices = [("invalidate", "invalidate"), ("restore", "restore")]

    def validate_reason(self, field) -> None:
        if self.action.data == "invalidate" and not field.data:
            raise ValidationError(_l("Please give a reason for invalidating."))


# What each kind of blocklist entry is called, on the form and in the list.
KIND_NAMES = {
    "ip_range": _l("IP address or range"),
    "domain": _l("Email domain (and its subdomains)"),
    "email": _l("Email address"),
}


class BlockForm(FlaskForm):
    kind = SelectField(_l("Kind"))
    value = StringField(
        _l("Value"),
        render_kw=LEFT_TO_RIGHT,
        filters=[clean_text],
        validators=[DataRequired(_l("Please enter what to block.")), Length(max=320)],
    )
    petition_id = SelectField(_l("Applies to"), coerce=int)
    reason = StringField(_l("Reason"), filters=[clean_text], validators=[Length(max=500)])
    submit = SubmitField(_l("Add to the blocklist"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = list(KIND_NAMES.items())

    def validate_value(self, field) -> None:
        try:
            normalise_block(self.kind.data, field.data)
        except ValueError:
            messages = {
                "ip_range": _l("Enter an IP address or a range like 203.0.113.0/24."),
                "domain": _l("Enter a domain like example.org."),
                "email": _l("Enter an email address like name@example.org."),
            }
            raise ValidationError(
                messages.get(self.kind.data, _l("Please check this value."))
            ) from None
