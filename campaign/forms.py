"""Form pieces shared by several features: text cleaning, validators and the stateless
form token."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from urllib.parse import unquote_plus

from babel.support import Translations
from flask import current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import ValidationError
from wtforms.csrf.core import CSRF
from wtforms.fields.choices import Choice
from wtforms.i18n import messages_path
from wtforms.widgets import Select, html_params

from . import tokens
from .routing import SlugConverter

# For a text field whose content is written left to right in every language (a two-step
# code, an IP address, a number typed as text): ``render_kw=LEFT_TO_RIGHT``. Other text
# fields get dir="auto" and email, URL, number and password fields dir="ltr" from
# ``templating.field_direction``.
LEFT_TO_RIGHT = {"dir": "ltr"}

# Zero-width and direction-override characters that can hide or disguise text.
_INVISIBLE = {
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
}
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def clean_text(value: str | None) -> str | None:
    """NFC-normalise, drop invisible characters and fold runs of spaces (a WTForms filter)."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value)
    value = "".join(c for c in value if c not in _INVISIBLE)
    # Tabs and runs of spaces fold to one space; newlines stay, for the validators to refuse.
    return _SPACES.sub(" ", value).strip()


# Runs of spaces of any kind, and single tabs or ideographic spaces; a lone no-break space
# is left alone (French typography puts one before ":", ";", "?" and "!").
_PROSE_SPACES = re.compile(r"[ \t\u00a0\u202f\u3000]{2,}|[\t\u3000]")


def clean_prose(value: str | None) -> str | None:
    """:func:`clean_text` for written text, such as a call's title in French: the same,
    but no-break spaces between words are kept, so "Gouvernements\u00a0:" stays so."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value)
    value = "".join(c for c in value if c not in _INVISIBLE)
    return _PROSE_SPACES.sub(" ", value).strip()


def unix_newlines(value: str | None) -> str | None:
    """Browsers send a textarea's line breaks as CRLF; Markdown is kept with LF, so saving
    a text unchanged leaves it unchanged."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


# The last part of a web address (a call's, an event's, a publication's): the router's own
# rule (routing.SlugConverter), so every address a form takes is one the URLs match.
SLUG_RULE = re.compile(f"^{SlugConverter.regex}$")


def slug_rule(form, field) -> None:
    if field.data and not SLUG_RULE.match(field.data):
        raise ValidationError(
            _l("Use lower-case letters, digits and single hyphens, like stop-cyberattacks.")
        )


def lower(value: str | None) -> str | None:
    """Trimmed and lower-cased (a WTForms filter for slugs and country codes)."""
    return value.strip().lower() if value else value


_DIRECTION_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def plain_markdown(form, field) -> None:
    """Markdown keeps its line breaks and tabs; other control characters (a NUL byte,
    which PostgreSQL refuses, or direction overrides that disguise text) are refused."""
    if field.data and any(
        (unicodedata.category(c) == "Cc" and c not in "\n\r\t") or c in _DIRECTION_OVERRIDES
        for c in field.data
    ):
        raise ValidationError(
            _l("This text contains invisible control characters. Please remove them.")
        )


def reject_control_characters(form, field) -> None:
    """Newlines and other control characters have no place in a name (or an email header)."""
    if field.data and any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in field.data):
        raise ValidationError(_l("Please use letters, spaces and punctuation only, on one line."))


def _unreadable() -> str:
    return _("This text could not be read: it is not valid text. Please type it again.")


def searchable_text(form, field) -> None:
    """Search and filter text, often typed into the address itself: a NUL byte or
    another control character (PostgreSQL refuses NUL in text), a lone surrogate, or
    bytes that were not UTF-8 (read as U+FFFD) get a message, and never reach a query."""
    if not field.data:
        return
    if "\ufffd" in field.data or any(unicodedata.category(c) == "Cs" for c in field.data):
        raise ValidationError(_unreadable())
    if any(unicodedata.category(c) == "Cc" for c in field.data):
        raise ValidationError(
            _l("This text contains invisible control characters. Please remove them.")
        )


# Scripts whose letters look alike: one word mixing them is a disguise ("Ada" spelt
# with a Cyrillic capital A), not a name. Words in different scripts side by side are fine.
_CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")


def _script(char: str) -> str | None:
    name = unicodedata.name(char, "")
    return next((script for script in _CONFUSABLE_SCRIPTS if name.startswith(script)), None)


def reject_mixed_scripts(form, field) -> None:
    for word in (field.data or "").split():
        scripts = {_script(c) for c in word if c.isalpha()} - {None}
        if len(scripts) > 1:
            raise ValidationError(
                _l(
                    "Please write each word of your name in one alphabet (“%(word)s” mixes them).",
                    word=word,
                )
            )


def require_a_letter(form, field) -> None:
    if field.data and not any(c.isalpha() for c in field.data):
        raise ValidationError(_l("Please enter your name."))


def body_is_unreadable(request) -> bool:
    """True when a posted form is not valid UTF-8.

    Werkzeug keeps undecodable ``%XX`` escapes as literal text (urlencoded) or
    replaces them with U+FFFD (multipart); either way what the person typed is
    lost, so the form is refused with a message instead of storing garbage.
    """
    if request.mimetype == "application/x-www-form-urlencoded":
        try:
            unquote_plus(request.get_data(cache=True).decode("ascii"), errors="strict")
        except (UnicodeDecodeError, UnicodeEncodeError):
            return True
        return False
    return any("\ufffd" in value for value in request.form.values())


def unreadable_query_fields(query_string: bytes) -> set[str]:
    """The names of the query fields whose value is not UTF-8 once per-cent decoded
    (``?name=%FF%FE``): Werkzeug keeps such escapes as literal text, so what was meant
    is lost, and a search would quietly look for "%FF%FE"."""
    names = set()
    for pair in query_string.split(b"&"):
        name, _, value = pair.partition(b"=")
        try:
            unquote_plus(value.decode("ascii"), errors="strict")
        except (UnicodeDecodeError, UnicodeEncodeError):
            names.add(unquote_plus(name.decode("ascii", "replace")))
    return names


class SearchForm(FlaskForm):
    """A search or filter form sent with GET, read from the address: no CSRF token (it
    changes nothing), and a field whose value could not be read gets a message."""

    class Meta:
        csrf = False

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        unreadable = unreadable_query_fields(request.query_string)
        for field in self:
            if field.name in unreadable:
                field.errors = [*field.errors, _unreadable()]
                valid = False
        return valid


class _LazyToken:
    """A form token made the first time it is turned into text (rendered)."""

    __slots__ = ("_make", "_text")

    def __init__(self, make: Any) -> None:
        self._make = make
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            self._text = self._make()
        return self._text


class StatelessFormToken(CSRF):
    """A CSRF implementation that needs no session, so the page holding the form can be cached.

    The token is signed (itsdangerous) and carries the form's context (the
    call's id); its timestamp is when the form was served. The token's age is
    kept on the form for the "faster than a person" check.
    """

    def setup_form(self, form):
        self.context = form.meta.csrf_context
        form.token_age = None
        return super().setup_form(form)

    def generate_csrf_token(self, csrf_token_field) -> Any:
        # Made when the form is rendered, not when it is built: a valid post is
        # redirected without ever showing it, and signing a token costs time.
        context = self.context
        return _LazyToken(lambda: tokens.make(tokens.Purpose.SIGN_FORM, context))

    def validate_csrf_token(self, form, field) -> None:
        if not field.data:
            raise ValidationError(
                _l("This form is missing its security token. Please send it again.")
            )
        try:
            payload, age = tokens.read_with_age(
                tokens.Purpose.SIGN_FORM,
                field.data,
                current_app.config["SIGN_FORM_MAX_AGE_SECONDS"],
            )
        except tokens.TokenExpired:
            raise ValidationError(
                _l("This form was open for too long. Please check your details and send it again.")
            ) from None
        except tokens.TokenInvalid:
            raise ValidationError(
                _l("This form could not be verified. Please send it again from this page.")
            ) from None
        if payload != self.context:
            raise ValidationError(_l("This form belongs to another page. Please send it again."))
        form.token_age = age


class CachedSelect(Select):
    """A ``<select>`` whose options are rendered once and then reused.

    The country list has about 250 options, and WTForms builds and escapes
    each one on every render: 60% of the time to render the call's page.
    The options depend only on the choices (names in the reader's language)
    and the selected value, so the HTML is cached on exactly those; the
    markup is WTForms' own. Anything but plain (value, label) string choices
    is rendered by WTForms as usual.
    """

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        choices = _plain_choices(field.choices)
        if self.multiple or choices is None:
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for key in dir(flags):
            if key in self.validation_attrs and key not in kwargs:
                kwargs[key] = getattr(flags, key)
        selected = next((v for v, _ in choices if field.coerce(v) == field.data), None)
        options = _render_options(choices, selected)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")  # noqa: S704 - WTForms-escaped


def _plain_choices(choices: Any) -> tuple[tuple[str, str], ...] | None:
    if not isinstance(choices, list | tuple):
        return None
    plain = []
    for choice in choices:
        if not (isinstance(choice, tuple) and len(choice) == 2 and isinstance(choice[0], str)):
            return None
        plain.append((choice[0], str(choice[1])))
    return tuple(plain)


@lru_cache(maxsize=64)
def _render_options(choices: tuple[tuple[str, str], ...], selected: str | None) -> str:
    return "".join(
        Select.render_option(
            Choice(value=value, label=label, selected=value == selected, render_kw=None)
        )
        for value, label in choices
    )


@lru_cache(maxsize=16)
def _wtforms_catalogue(locale: str) -> Translations:
    return Translations.load(messages_path(), [locale], domain="wtforms")


class CachedCatalogueMeta:
    """Form ``Meta`` mixin: WTForms' own messages from a catalogue loaded once per language.

    Flask-WTF reads WTForms' catalogue from disk on every request; on the
    sign form, posted thousands of times a minute on a busy day, that was a
    measurable share of each post. The catalogues never change while the
    process runs.
    """

    def get_translations(self, form: Any) -> Translations:
        return _wtforms_catalogue(str(get_locale() or "en"))


def uploaded_image(
    field: Any,
    limit: int,
    process: Callable[[bytes], Any],
    refused: type[Exception],
    not_an_image: str,
) -> tuple[bool, Any]:
    """(acceptable, processed) for an image upload field: ``(True, None)`` when no file was
    chosen; a clear error on ``field`` when ``process`` refuses the bytes with ``refused``
    (whose ``reason`` is "too_big" or else not an image), read up to one byte past ``limit``.
    One rule for portraits and the letters' logo."""
    upload = field.data
    if upload is None or not getattr(upload, "filename", ""):
        return True, None
    try:
        return True, process(upload.stream.read(limit + 1))
    except refused as error:
        if getattr(error, "reason", "") == "too_big":
            field.errors.append(
                _("This image is too large: please choose one under %(mb)d MB.", mb=limit >> 20)
            )
        else:
            field.errors.append(not_an_image)
        return False, None
