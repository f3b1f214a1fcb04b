"""The form of a government's answer (Flask-WTF, with the session's CSRF token).

The rules on the date and the link are the service's (:mod:`.responses`), so
the form and any other caller refuse the same answers.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField, SubmitField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length

from ..forms import clean_text, plain_markdown, unix_newlines
from ..i18n import direction
from ..models import Delivery, GovernmentResponse, Stance
from . import responses
from .scoreboard import STANCE_LABELS, TEXT_LANGUAGES

TEXT_LABELS = {
    "en": _l("Full text in English (optional)"),
    "fr": _l("Full text in French (optional)"),
    "es": _l("Full text in Spanish (optional)"),
    "ar": _l("Full text in Arabic (optional)"),
    "zh": _l("Full text in Chinese (optional)"),
    "ru": _l("Full text in Russian (optional)"),
}


def _stripped(value: str | None) -> str | None:
    return value.strip() if value else value


def _full_text(language: str) -> TextAreaField:
    return TextAreaField(
        TEXT_LABELS[language],
        filters=[unix_newlines, _stripped],
        validators=[Length(max=responses.TEXT_MAX), plain_markdown],
        # Its own direction, whatever the page's: Arabic typed right to left on an English page.
        render_kw={"lang": language, "dir": direction(language), "rows": 8},
    )


class AnswerForm(FlaskForm):
    responded_on = DateField(
        _l("Date of the answer"),
        validators=[InputRequired(_l("Please enter the date of the answer."))],
    )
    stance = RadioField(
        _l("What the answer says of the call"),
        choices=[(stance.value, label) for stance, label in STANCE_LABELS.items()],
        validators=[InputRequired(_l("Please choose what the answer says of the call."))],
    )
    summary = TextAreaField(
        _l("Summary"),
        description=_l(
            "A few sentences, shown on the scoreboard. At most %(max)d characters.",
            max=responses.SUMMARY_MAX,
        ),
        filters=[unix_newlines, _stripped],
        validators=[
            DataRequired(_l("Please summarise the answer.")),
            Length(max=responses.SUMMARY_MAX),
            plain_markdown,
        ],
        render_kw={"rows": 4},
    )
    text_en = _full_text("en")
    text_fr = _full_text("fr")
    text_es = _full_text("es")
    text_ar = _full_text("ar")
    text_zh = _full_text("zh")
    text_ru = _full_text("ru")
    source_url = StringField(
        _l("Link to the official source (optional)"),
        description=_l(
            "Where the government published its answer: an http:// or https:// address."
        ),
        filters=[clean_text],
        validators=[Length(max=responses.URL_MAX)],
        render_kw={"type": "url", "inputmode": "url"},
    )
    submit = SubmitField(_l("Save the answer"))

    def __init__(self, *args, delivery: Delivery, today: date, **kwargs) -> None:
        response: GovernmentResponse | None = delivery.response
        if response is not None and "obj" not in kwargs:
            kwargs["obj"] = response
            kwargs.update({f"text_{lang}": text for lang, text in (response.texts or {}).items()})
        elif response is None:
            # Most answers are recorded the day they arrive: today, unless the form says else.
            kwargs.setdefault("responded_on", today)
        super().__init__(*args, **kwargs)
        self.delivery = delivery
        self.today = today

    def validate_responded_on(self, field) -> None:
        if field.data is not None:
            problem = responses.date_problem(self.delivery, field.data, self.today)
            if problem is not None:
                raise ValidationError(problem)

    def validate_source_url(self, field) -> None:
        problem = responses.url_problem(field.data)
        if problem is not None:
            raise ValidationError(problem)

    def text_fields(self) -> list[tuple[str, TextAreaField]]:
        """(language, field) for each language a full text may be recorded in, in order."""
        return [(lang, getattr(self, f"text_{lang}")) for lang in TEXT_LANGUAGES]

    def answer(self) -> responses.Answer:
        texts = {
            lang: getattr(self, f"text_{lang}").data or ""
            for lang in TEXT_LANGUAGES
            if getattr(self, f"text_{lang}").data
        }
        return responses.Answer(
            responded_on=self.responded_on.data,
            stance=Stance(self.stance.data),
            summary=self.summary.data,
            texts=texts,
            source_url=self.source_url.data or None,
        )
