"""Jinja settings and filters shared by all templates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from itertools import groupby
from operator import attrgetter
from typing import Any

from babel import numbers
from flask import Flask
from flask_babel import get_locale

from . import markdown
from .timezones import local_time


def groupby_ordered(items: Iterable[Any], attribute: str) -> list[tuple[Any, list[Any]]]:
    """Group consecutive items by ``attribute``, keeping their order (Jinja's groupby sorts)."""
    return [(key, list(group)) for key, group in groupby(items, key=attrgetter(attribute))]


def rate(share: float | None) -> str:
    """A share as a percentage with one decimal, as the reader's language writes it
    ("66.7%", "66,7 %"); a dash when there is none (nothing to divide by)."""
    if share is None:
        return "—"
    locale = get_locale()
    # The locale's own pattern, its last integer digit given one decimal: "#,##0.0 %".
    pattern = locale.percent_formats[None].pattern
    last_digit = pattern.rindex("0")
    one_decimal = pattern[: last_digit + 1] + ".0" + pattern[last_digit + 1 :]
    return numbers.format_percent(share, one_decimal, locale=locale)


def datetime_attr(moment: date | datetime) -> str:
    """A date or a moment as HTML's ``<time datetime>`` takes it: a moment in UTC, to the
    second ("2020-05-26T09:30:00Z"). Python's isoformat writes microseconds, which HTML
    refuses (a fraction has at most three digits), and a second is precise enough to read."""
    if not isinstance(moment, datetime):
        return moment.isoformat()
    moment = moment.astimezone(UTC) if moment.tzinfo else moment
    return moment.replace(microsecond=0, tzinfo=None).isoformat() + ("Z" if moment.tzinfo else "")


# What people type into these is written left to right in every language (addresses,
# links, numbers, codes, passwords): on an Arabic page they keep that order, or
# "ada@example.org" would show as "example.org@ada" while typed.
LEFT_TO_RIGHT_FIELDS = frozenset(
    {"EmailField", "URLField", "TelField", "PasswordField", "IntegerField", "DecimalField"}
)
# Free text (names above all) takes the direction of its first letter: an English name
# typed on an Arabic page reads left to right, an Arabic one on an English page right to left.
TYPED_TEXT_FIELDS = frozenset({"StringField", "TextAreaField", "SearchField"})


def field_direction(field: Any) -> str | None:
    """The ``dir`` of a field's input: ``"ltr"``, ``"auto"`` or none (choices, dates, files).
    A text field whose content is always left to right (a two-step code, a number typed as
    text) says so with ``render_kw={"dir": "ltr"}``, which wins."""
    if "dir" in (getattr(field, "render_kw", None) or {}):
        return None
    if field.type in LEFT_TO_RIGHT_FIELDS:
        return "ltr"
    if field.type in TYPED_TEXT_FIELDS:
        return "auto"
    return None


def field_attrs(field: Any, hint: bool = False, **extra: Any) -> dict[str, Any]:
    """HTML attributes tying a field to its hint and error message (read by screen readers),
    and the direction of what is typed into it."""
    extra.setdefault("dir", field_direction(field))
    described = []
    if hint:
        described.append(f"{field.id}-hint")
    if field.errors:
        described.append(f"{field.id}-error")
    attrs = {key: value for key, value in extra.items() if value is not None}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return attrs


def error_items(form: Any) -> tuple[list[str], list[tuple[str, str]]]:
    """(messages about the whole form, (field id, message) pairs) for the error summary."""
    general = [str(message) for message in form.form_errors]
    per_field = []
    for field in form:
        if not field.errors:
            continue
        if field.type == "CSRFTokenField":
            general.extend(str(message) for message in field.errors)
        else:
            per_field.extend((field.id, str(message)) for message in field.errors)
    return general, per_field


def init_app(app: Flask) -> None:
    app.jinja_env.globals["field_attrs"] = field_attrs
    app.jinja_env.globals["error_items"] = error_items
    # How organisers read a call's dates: in the call's time zone.
    app.jinja_env.globals["local_time"] = local_time
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["markdown"] = markdown.render
    app.jinja_env.filters["groupby_ordered"] = groupby_ordered
    app.jinja_env.filters["rate"] = rate
    # Every <time datetime="..."> goes through it: {{ moment|datetime_attr }}.
    app.jinja_env.filters["datetime_attr"] = datetime_attr
