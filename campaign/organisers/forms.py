"""Forms of the organisers' area (Flask-WTF, with the session's CSRF token)."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
    ValidationError,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from ..forms import clean_prose, clean_text, reject_control_characters, unix_newlines

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
        filters=[clean_text],
        validators=[DataRequired(_l("Enter the 6 digits your app shows.")), CODE_RULE],
    )
    submit = SubmitField(_l("Continue"))


class EnableTwoFactorForm(CodeForm):
    submit = SubmitField(_l("Turn on two-step sign-in"))


class DisableTwoFactorForm(CodeForm):
    submit = SubmitField(_l("Turn off two-step sign-in"))


# -- calls -------------------------------------------------------------------------------


def _slug_rule(form, field) -> None:
    from .services import SLUG_RULE

    if field.data and not SLUG_RULE.match(field.data):
        raise ValidationError(
            _l("Use lower-case letters, digits and single hyphens, like stop-cyberattacks.")
        )


def _not_reserved(form, field) -> None:
    from .services import RESERVED_SLUGS

    if field.data in RESERVED_SLUGS:
        raise ValidationError(_l("This word is taken by the site itself. Please choose another."))


def _known_timezone(form, field) -> None:
    from .services import valid_timezone

    if field.data and not valid_timezone(field.data):
        raise ValidationError(_l("Please choose a time zone from the list, like Europe/Zurich."))


def _lower(value: str | None) -> str | None:
    return value.strip().lower() if value else value


_DIRECTION_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _plain_markdown(form, field) -> None:
    """Markdown keeps its line breaks and tabs; other control characters (a NUL byte,
    which PostgreSQL refuses, or direction overrides that disguise text) are refused."""
    if field.data and any(
        (unicodedata.category(c) == "Cc" and c not in "\n\r\t") or c in _DIRECTION_OVERRIDES
        for c in field.data
    ):
        raise ValidationError(
            _l("This text contains invisible control characters. Please remove them.")
        )


class PetitionForm(FlaskForm):
    """A call's content and schedule. Dates are entered in the call's own time zone."""

    title = StringField(
        _l("Title"),
        filters=[clean_text],
        # The title goes into email subjects: one line, no control characters.
        validators=[
            DataRequired(_l("Please enter a title.")),
            Length(max=200),
            reject_control_characters,
        ],
    )
    slug = StringField(
        _l("Address"),
        filters=[_lower],
        validators=[
            DataRequired(_l("Please enter the address of the call.")),
            Length(max=80),
            _slug_rule,
            _not_reserved,
        ],
        description=_l("The last part of the call's web address: /petitions/…"),
    )
    summary = TextAreaField(_l("Summary"), filters=[clean_text], validators=[Length(max=500)])
    body_markdown = TextAreaField(
        _l("Text of the call (Markdown)"),
        filters=[unix_newlines],
        validators=[
            DataRequired(_l("Please write the text of the call.")),
            Length(max=100_000),
            _plain_markdown,
        ],
    )
    note = StringField(
        _l("What changed in the text (shown publicly)"),
        filters=[clean_text],
        validators=[Length(max=300)],
    )
    background_markdown = TextAreaField(
        _l("Background (Markdown)"),
        filters=[unix_newlines],
        validators=[Length(max=100_000), _plain_markdown],
    )
    organisation = StringField(
        _l("Organisation"),
        filters=[clean_text],
        validators=[Length(max=200), reject_control_characters],
    )
    organisation_url = URLField(
        _l("Organisation's website"),
        filters=[clean_text],
        validators=[
            Optional(),
            URL(message=_l("Please enter a full web address.")),
            Length(max=500),
        ],
    )
    organisation_blurb = TextAreaField(
        _l("About the organisation"), filters=[clean_text], validators=[Length(max=2000)]
    )
    language = SelectField(_l("Language of the text"), validate_choice=True)
    state = SelectField(_l("State"))
    goal = IntegerField(
        _l("Goal (signatures)"),
        default=0,
        validators=[
            InputRequired(_l("Please enter a goal (0 for none).")),
            NumberRange(min=0, max=1_000_000_000, message=_l("Please enter a whole number.")),
        ],
    )
    timezone = StringField(
        _l("Time zone"),
        default="UTC",
        filters=[clean_text],
        validators=[DataRequired(_l("Please choose a time zone.")), _known_timezone],
    )
    opened_at = DateTimeLocalField(
        _l("Opens (in the call's time zone)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
    )
    closes_at = DateTimeLocalField(
        _l("Closes (in the call's time zone)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
    )
    featured = BooleanField(_l("Feature this call on the home page"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, languages: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from ..i18n import LANGUAGE_NAMES

        self.language.choices = [(code, LANGUAGE_NAMES.get(code, code)) for code in languages]
        self.state.choices = [
            ("draft", _l("Draft (only organisers see it)")),
            ("open", _l("Open for signatures")),
            ("closed", _l("Closed")),
            ("delivered", _l("Delivered")),
        ]

    def validate_closes_at(self, field) -> None:
        if field.data and self.opened_at.data and field.data <= self.opened_at.data:
            raise ValidationError(_l("The call must close after it opens."))


class TranslationForm(FlaskForm):
    """A call's own text in another language. ``main`` is the call: a part its main text
    has must be translated too, or the page in this language would lack it."""

    title = StringField(
        _l("Title"),
        filters=[clean_prose],
        validators=[
            DataRequired(_l("Please enter the translated title.")),
            Length(max=200),
            reject_control_characters,
        ],
    )
    summary = TextAreaField(
        _l("Summary"), filters=[clean_prose], validators=[Length(max=500), _plain_markdown]
    )
    body_markdown = TextAreaField(
        _l("Text of the call (Markdown)"),
        filters=[unix_newlines],
        validators=[
            DataRequired(_l("Please write the translated text of the call.")),
            Length(max=100_000),
            _plain_markdown,
        ],
    )
    background_markdown = TextAreaField(
        _l("Background (Markdown)"),
        filters=[unix_newlines],
        validators=[Length(max=100_000), _plain_markdown],
    )
    # What the person saw when the form was served, to catch changes made meanwhile.
    main_digest = HiddenField()
    translation_digest = HiddenField()
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Save the translation"))

    def __init__(self, *args, main, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.main = main

    def validate_summary(self, field) -> None:
        if self.main.summary and not field.data:
            raise ValidationError(_l("The main text has a summary: please translate it too."))

    def validate_background_markdown(self, field) -> None:
        if self.main.background_markdown.strip() and not (field.data or "").strip():
            raise ValidationError(_l("The main text has a background: please translate it too."))


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
            _plain_markdown,
        ],
    )
    submit = SubmitField(_l("Save and preview"))


# -- notable signatories ---------------------------------------------------------------


class NotableForm(FlaskForm):
    name = StringField(
        _l("Name"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Please enter the name.")),
            Length(max=200),
            reject_control_characters,
        ],
    )
    title = StringField(
        _l("Title or role"),
        filters=[clean_text],
        validators=[Length(max=300), reject_control_characters],
        description=_l("For example: Former President of Switzerland"),
    )
    organisation = StringField(
        _l("Organisation"),
        filters=[clean_text],
        validators=[Length(max=200), reject_control_characters],
    )
    country = SelectField(_l("Country"), validate_choice=True)
    category = StringField(
        _l("Category"),
        filters=[clean_text],
        validators=[DataRequired(_l("Please enter a category.")), Length(max=100)],
        description=_l("People are grouped by category on the call's page."),
    )
    url = URLField(
        _l("Link (optional)"),
        filters=[clean_text],
        validators=[
            Optional(),
            URL(message=_l("Please enter a full web address.")),
            Regexp(r"^https?://", message=_l("Please enter a full web address.")),
            Length(max=500),
        ],
    )
    consent_note = TextAreaField(
        _l("How consent to be featured was obtained"),
        filters=[clean_text],
        validators=[DataRequired(_l("Please note how consent was obtained.")), Length(max=2000)],
    )
    visible = BooleanField(_l("Show on the call's page"), default=True)
    portrait = FileField(
        _l("Portrait or logo (JPEG, PNG or WebP, up to 2 MB)"),
        description=_l("It is resized to fit 400 by 400 pixels."),
    )
    remove_portrait = BooleanField(_l("Remove the current portrait"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, language: str = "en", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from .. import countries

        self.country.choices = [("", _l("No country")), *countries.choices(language)]


class PromoteForm(NotableForm):
    """Promoting a signature: the name and country come from it."""

    name = None
    country = None

    def __init__(self, *args, language: str = "en", **kwargs) -> None:
        FlaskForm.__init__(self, *args, **kwargs)


# -- moderation ------------------------------------------------------------------------


def _ip_or_range(form, field) -> None:
    from .services import ip_range

    if field.data:
        try:
            ip_range(field.data)
        except ValueError:
            raise ValidationError(
                _l("Enter an IP address or a range like 203.0.113.0/24 or 2001:db8::/32.")
            ) from None


def _domain(form, field) -> None:
    from .services import normalise_domain

    if field.data:
        try:
            normalise_domain(field.data)
        except ValueError:
            raise ValidationError(_l("Enter a domain like example.org.")) from None


TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]


class SignatureSearchForm(FlaskForm):
    """Searching signatures (a GET form: no CSRF token, it changes nothing)."""

    class Meta:
        csrf = False

    name = StringField(_l("Name contains"), filters=[clean_text], validators=[Length(max=200)])
    email = StringField(_l("Email contains"), filters=[clean_text], validators=[Length(max=320)])
    domain = StringField(
        _l("Email domain"), filters=[clean_text], validators=[Length(max=253), _domain]
    )
    ip = StringField(
        _l("IP address or range"), filters=[clean_text], validators=[Length(max=64), _ip_or_range]
    )
    country = StringField(
        _l("Country code"),
        filters=[_lower],
        validators=[
            Optional(),
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


class BlockForm(FlaskForm):
    kind = SelectField(_l("Kind"))
    value = StringField(
        _l("Value"),
        filters=[clean_text],
        validators=[DataRequired(_l("Please enter what to block.")), Length(max=320)],
    )
    petition_id = SelectField(_l("Applies to"), coerce=int)
    reason = StringField(_l("Reason"), filters=[clean_text], validators=[Length(max=500)])
    submit = SubmitField(_l("Add to the blocklist"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [
            ("ip_range", _l("IP address or range")),
            ("domain", _l("Email domain (and its subdomains)")),
            ("email", _l("Email address")),
        ]

    def validate_value(self, field) -> None:
        from .services import normalise_block

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
