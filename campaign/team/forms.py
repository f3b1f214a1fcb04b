"""Forms of the team's pages (Flask-WTF, with the session's CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from ..forms import clean_text, reject_control_characters
from ..organisers.access import ROLE_NAMES
from ..organisers.services import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH


def _role_choices() -> list[tuple[str, str]]:
    return [(role.value, str(name)) for role, name in ROLE_NAMES.items()]


def _role_choices_to_pick() -> list[tuple[str, str]]:
    """No role chosen in advance: an invitation's role is a decision, never a default."""
    return [("", str(_l("Choose a role…"))), *_role_choices()]


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter the email address to invite.")),
            Length(max=320),
            reject_control_characters,
        ],
    )
    name = StringField(
        _l("Name (optional)"),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=200, message=_l("Use at most 200 characters.")),
            reject_control_characters,  # it goes into the invitation's To header
        ],
    )
    role = SelectField(
        _l("Role"),
        choices=_role_choices_to_pick,
        validators=[DataRequired(_l("Choose a role."))],
    )
    submit = SubmitField(_l("Send the invitation"))


class RoleForm(FlaskForm):
    # One of the roles, or the form is refused (WTForms checks the choice).
    role = SelectField(_l("Role"), choices=_role_choices)
    submit = SubmitField(_l("Change the role"))


class DisableForm(FlaskForm):
    submit = SubmitField(_l("Disable the account"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Please enter your email address.")),
            Length(max=320),
            # PostgreSQL refuses a NUL in a query's text: refused here, with a message.
            reject_control_characters,
        ],
    )
    submit = SubmitField(_l("Send me a link"))


PASSWORD_RULE = Length(
    min=PASSWORD_MIN_LENGTH,
    max=PASSWORD_MAX_LENGTH,
    message=_l(
        "Use at least %(min)d characters (and at most %(max)d).",
        min=PASSWORD_MIN_LENGTH,
        max=PASSWORD_MAX_LENGTH,
    ),
)


class NewPasswordForm(FlaskForm):
    """A password chosen from an emailed link (an invitation, a reset): the rules of the
    command line's (``organisers.services.check_password``), typed twice."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Please choose a password.")), PASSWORD_RULE],
    )
    confirm = PasswordField(
        _l("The same password again"),
        validators=[
            DataRequired(_l("Please type the password again.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )
    submit = SubmitField(_l("Set the password and sign in"))
