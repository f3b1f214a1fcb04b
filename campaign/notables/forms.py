"""Forms of the notables' back-office pages (Flask-WTF, with the session's CSRF token)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
    ValidationError,
)
from wtforms.validators import URL, DataRequired, Length, Optional, Regexp

from .. import countries
from ..forms import (
    SearchForm,
    clean_prose,
    clean_text,
    reject_control_characters,
    searchable_text,
)
from ..models import NotableCategoryTranslation, NotableTranslation
from .translations import CategoryRow, TitleRow, TitleStatus


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
        self.country.choices = [("", _l("No country")), *countries.choices(language)]


class PromoteSearchForm(SearchForm):
    """Finding a public signer to promote (a GET form: no CSRF token, it changes nothing)."""

    name = StringField(
        _l("Name contains"), filters=[clean_text], validators=[searchable_text, Length(max=200)]
    )


class PromoteForm(NotableForm):
    """Promoting a signature: the name and country come from it."""

    name = None
    country = None

    def __init__(self, *args, language: str = "en", **kwargs) -> None:
        FlaskForm.__init__(self, *args, **kwargs)


class NotableTranslationsForm(FlaskForm):
    """The notables' titles and category names in one language, all on one page.

    Its fields depend on the call (see :func:`notable_translations_form`): a title
    field per notable (``title_<id>``), a name per category (``category_<digest>``),
    and for an out-of-date title a box to confirm it still fits (``confirm_<id>``).
    """

    # What the page was served with, to catch changes made meanwhile.
    source_digest = HiddenField()
    translations_digest = HiddenField()
    submit = SubmitField(_l("Save the translations"))


def _named(name: str, validators: list) -> Callable:
    """Run ``validators``, naming whose field it is in the message: the page has a field
    per notable, and the error summary at its top lists messages without their labels."""

    def check(form, field) -> None:
        for validator in validators:
            try:
                validator(form, field)
            except ValidationError as problem:
                raise ValidationError(
                    _l("%(name)s: %(problem)s", name=name, problem=str(problem))
                ) from None

    return check


def category_field_name(category: str) -> str:
    """A category's field, named by its text: a category renamed or added while the page
    was open then never receives what was typed for another."""
    return "category_" + hashlib.sha256(category.encode()).hexdigest()[:12]


def _translation_field(label: str, limit: int) -> StringField:
    """A translation, named by what it translates (a notable's name, a category)."""
    return StringField(
        label,
        # clean_prose: French puts a no-break space before ":" and inside « ».
        filters=[clean_prose],
        validators=[_named(label, [Length(max=limit), reject_control_characters])],
    )


def notable_translations_form(
    titles: list[TitleRow], categories: list[CategoryRow], **kwargs: Any
) -> NotableTranslationsForm:
    """A form for these titles and categories, filled from what is stored unless posted."""

    class Form(NotableTranslationsForm):
        pass

    data: dict[str, Any] = {}
    category_limit = NotableCategoryTranslation.name.type.length
    for row in categories:
        name = category_field_name(row.category)
        setattr(Form, name, _translation_field(row.category, category_limit))
        data[name] = row.translation.name if row.translation else ""
    title_limit = NotableTranslation.title.type.length
    for row in titles:
        notable = row.notable
        setattr(Form, f"title_{notable.id}", _translation_field(notable.name, title_limit))
        data[f"title_{notable.id}"] = row.translation.title if row.translation else ""
        if row.status == TitleStatus.OUTDATED:
            label = _l("%(name)s: the translation still fits the new title", name=notable.name)
            setattr(Form, f"confirm_{notable.id}", BooleanField(label))
    return Form(data=data, **kwargs)
