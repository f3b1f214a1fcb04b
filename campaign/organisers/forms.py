"""Forms of the back office's door: signing in and two-step sign-in (Flask-WTF, with the
session's CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp

from ..forms import LEFT_TO_RIGHT, clean_text

CODE_RULE = Regexp(r"^\s*\d{3}\s*\d{3}\s*$", message=_l("Enter the 6 digits your app shows."))


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[clean_text],
        validators=[DataRequired(_l("Please enter your email address.")), Length(max=320)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Please enter your password.")), Length(max=1024)],
    )
    submit = SubmitField(_l("Sign in"))


class CodeForm(FlaskForm):
    """A code from the organiser's authenticator app."""

    code = StringField(
        _l("6-digit code"),
        render_kw=LEFT_TO_RIGHT,
        filters=[clean_text],
        validators=[DataRequired(_l("Enter the 6 digits your app shows.")), CODE_RULE],
    )
    submit = SubmitField(_l("Continue"))


class EnableTwoFactorForm(CodeForm):
    submit = SubmitField(_l("Turn on two-step sign-in"))


class DisableTwoFactorForm(CodeForm):
    submit = SubmitField(_l("Turn off two-step sign-in"))
