"""Forms of the public signing journey, and of editing a call and its translations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
    ValidationError,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from .. import countries
from ..forms import (
    LEFT_TO_RIGHT,
    CachedCatalogueMeta,
    clean_prose,
    clean_text,
    lower,
    plain_markdown,
    reject_control_characters,
    slug_rule,
    unix_newlines,
)
from ..i18n import LANGUAGE_NAMES
from ..person_fields import PersonForm, known_timezone
from .editing import RESERVED_SLUGS
from .sources import source_slug


def consent_label() -> str:
    """The exact consent text, in the reader's language; it is stored with each signature."""
    return str(
        _l(
            "I have read the privacy notice and agree that my name and country are "
            "recorded for this call and handed to the governments it is addressed to."
        )
    )


def government_news_label() -> str:
    """The label of the choice to hear what the signer's government does with the call."""
    return str(_l("Tell me what my government does with this call"))


def stored_consent(consent: str, government_news: bool) -> str:
    """The consent text stored with a signature: the consent's label as shown and, when
    the signer ticked it, the government-news choice's label, one per line."""
    if government_news:
        return f"{consent}\n{government_news_label()}"
    return consent


class SignatureForm(PersonForm):
    """The sign form. Its token is stateless (see StatelessFormToken) so the page is cacheable."""

    consent = BooleanField(
        validators=[DataRequired(_l("Please agree to the privacy notice to sign."))]
    )
    public = BooleanField(_l("Show my name on the public list of signatories"))
    updates = BooleanField(_l("Send me news about this campaign (you can unsubscribe at any time)"))
    # Its label is government_news_label(), set in __init__: stored_consent() repeats it.
    government_news = BooleanField()
    # The honeypot: hidden from people (CSS, out of the tab order), filled in by naive bots.
    website = StringField(_l("Leave this field empty"))
    # The link's ?ref= the signer came by, carried through the form (no cookie): anything
    # but a short slug becomes None, never an error. The embed's partner travels in its URL.
    ref = HiddenField(filters=[source_slug])
    submit = SubmitField(_l("Sign the call"))

    def __init__(self, *args, petition_id: int, language: str = "en", **kwargs) -> None:
        super().__init__(*args, meta={"csrf_context": petition_id}, **kwargs)
        self.consent.label.text = consent_label()
        self.government_news.label.text = government_news_label()
        self.country.choices = [("", _l("Choose your country")), *countries.choices(language)]

    def consent_text(self) -> str:
        """What is stored with the signature as the consent given (see stored_consent)."""
        return stored_consent(self.consent.label.text, bool(self.government_news.data))


class ConfirmForm(FlaskForm):
    """The buttons that confirm a submission or discard it; a GET of the link does
    neither (link scanners prefetch)."""

    class Meta(CachedCatalogueMeta):
        pass

    submit = SubmitField(_l("Confirm my signature"))
    discard = SubmitField(_l("Don't confirm: this is not me, or not what I asked"))


class WithdrawForm(FlaskForm):
    submit = SubmitField(_l("Withdraw my signature"))


class ChoicesForm(FlaskForm):
    """A confirmed signer's own choices, changed from their signature's page."""

    public = BooleanField(_l("Show my name on the public list of signatories"))
    updates = BooleanField(_l("Send me news about this campaign (you can unsubscribe at any time)"))
    government_news = BooleanField(_l("Tell me what my government does with this call"))
    save = SubmitField(_l("Save my choices"))


class FreshLinkForm(FlaskForm):
    submit = SubmitField(_l("Email me a fresh link"))


# -- editing a call (the back office) -----------------------------------------------------


def _not_reserved(form, field) -> None:
    if field.data in RESERVED_SLUGS:
        raise ValidationError(_l("This word is taken by the site itself. Please choose another."))


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
        filters=[lower],
        render_kw=LEFT_TO_RIGHT,
        validators=[
            DataRequired(_l("Please enter the address of the call.")),
            Length(max=80),
            slug_rule,
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
            plain_markdown,
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
        validators=[Length(max=100_000), plain_markdown],
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
        render_kw=LEFT_TO_RIGHT,
        default="UTC",
        filters=[clean_text],
        validators=[DataRequired(_l("Please choose a time zone.")), known_timezone],
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
        _l("Summary"), filters=[clean_prose], validators=[Length(max=500), plain_markdown]
    )
    body_markdown = TextAreaField(
        _l("Text of the call (Markdown)"),
        filters=[unix_newlines],
        validators=[
            DataRequired(_l("Please write the translated text of the call.")),
            Length(max=100_000),
            plain_markdown,
        ],
    )
    background_markdown = TextAreaField(
        _l("Background (Markdown)"),
        filters=[unix_newlines],
        validators=[Length(max=100_000), plain_markdown],
    )
    organisation_blurb = TextAreaField(
        _l("About the organisation"),
        filters=[clean_prose],
        validators=[Length(max=2000), plain_markdown],
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

    def validate_organisation_blurb(self, field) -> None:
        if self.main.organisation_blurb.strip() and not field.data:
            raise ValidationError(
                _l("The main text says who runs the call: please translate it too.")
            )
