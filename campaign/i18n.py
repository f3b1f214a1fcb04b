"""Languages in URLs.

Unprefixed URLs are English; ``/fr/...``, ``/es/...``, ``/ar/...``, ``/zh/...`` and
``/ru/...`` are the other official languages of the United Nations (``zh`` is Simplified
Chinese, Babel's ``zh``). A small WSGI middleware moves the prefix into ``SCRIPT_NAME``, so
every ``url_for`` inside a French page produces French URLs without any
view knowing about languages, and the URL alone decides the language:
pages never vary by ``Accept-Language`` (only the home page looks at it).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import get_locale
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from werkzeug.routing import Map, MapAdapter

from .extensions import babel

LANGUAGE_ENVIRON_KEY = "campaign.language"
# SCRIPT_NAME as it came, before the language prefix was moved into it.
SCRIPT_ROOT_ENVIRON_KEY = "campaign.script_root"

# Each language named in itself, as the United Nations' own sites name them.
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "zh": "中文",
    "ru": "Русский",
}

# Open Graph wants a territory too; the site's English is British ("organisation"), and
# Facebook knows Arabic as ar_AR.
OG_LOCALES = {
    "en": "en_GB",
    "fr": "fr_FR",
    "es": "es_ES",
    "ar": "ar_AR",
    "zh": "zh_CN",
    "ru": "ru_RU",
}


# HTML's ``lang`` and ``hreflang`` take BCP 47 tags, where a bare ``zh`` says nothing of
# the script: the site's Chinese is Simplified (Babel's ``zh``), so pages say ``zh-Hans``
# (screen readers and browsers pick Simplified fonts and voices). URLs, catalogues, the
# database and Babel keep ``zh``.
HTML_LANGS = {"zh": "zh-Hans"}


def html_lang(code: str | None) -> str:
    """``code`` as HTML's ``lang`` and ``hreflang`` attributes say it (``zh`` -> ``zh-Hans``)."""
    return HTML_LANGS.get(code or "", code or "")


class LanguagePrefixMiddleware:
    """Strip a leading ``/<lang>`` from the path and remember the language."""

    def __init__(self, app, languages: Iterable[str], default: str) -> None:
        self.app = app
        self.default = default
        self.prefixed = {lang for lang in languages if lang != default}

    def __call__(self, environ, start_response):
        path: str = environ.get("PATH_INFO", "")
        language = self.default
        parts = path.split("/", 2)
        if len(parts) > 1 and parts[1] in self.prefixed:
            language = parts[1]
            environ[SCRIPT_ROOT_ENVIRON_KEY] = environ.get("SCRIPT_NAME", "")
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + "/" + language
            environ["PATH_INFO"] = "/" + (parts[2] if len(parts) > 2 else "")
        environ[LANGUAGE_ENVIRON_KEY] = language
        return self.app(environ, start_response)


def url_for_page(endpoint: str, **values: Any) -> str:
    """``url_for`` for templates, except that a static file has one address in every
    language: ``/static/css/site.css``, never ``/fr/static/...``, so the proxy serves it
    from disk (its ``/static/`` location) and browsers cache one copy, not one a language.
    """
    url = url_for(endpoint, **values)
    if endpoint != "static" or not has_request_context():
        return url
    original = request.environ.get(SCRIPT_ROOT_ENVIRON_KEY)
    if original is None:  # no language prefix on this request
        return url
    return url.replace(f"{request.script_root}/static/", f"{original.rstrip('/')}/static/", 1)


def N_(text: str) -> str:
    """Mark ``text`` for the catalogues where it is stored in English and translated
    when shown (``gettext(stored)`` then; a text the catalogues lack comes back as is)."""
    return text


@dataclass(frozen=True)
class InLanguage:
    """A text written by organisers and the language it is really in: a page in one
    language may show a text that has no translation into it, and marks it with ``lang``
    (the ``lang_attr`` template helper) so screen readers pronounce it right."""

    text: str
    language: str


def current_language() -> str:
    return str(get_locale() or "en")


def language_name(code: str, in_language: str | None = None) -> str:
    """``code``'s name in the page's language, from Babel ("French", "francés"); the
    language switcher uses each language's own name instead."""
    try:
        return Locale.parse(code).get_display_name(in_language or current_language()) or code
    except (ValueError, UnknownLocaleError):
        return code


@lru_cache(maxsize=32)
def direction(code: str) -> str:
    """``"rtl"`` for a language written right to left (Arabic), else ``"ltr"``: from Babel,
    so a language added later needs no list here."""
    try:
        order = Locale.parse(code).character_order
    except (ValueError, UnknownLocaleError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


def dir_attr(code: str | None = None, against: str | None = None) -> Markup:
    """A ``dir`` attribute for an element in ``code`` (default: the page's language), only
    where it is needed: when its direction differs from ``against`` (default: left to
    right, the direction an element has when nothing says otherwise). An element with
    ``dir`` is also isolated from the text around it, so an Arabic name in an English
    list, or an English one on an Arabic page, keeps its own order."""
    wanted = direction(code or current_language())
    if wanted == (direction(against) if against else "ltr"):
        return Markup("")
    return Markup(' dir="%s"') % wanted


# Unicode's "first strong isolate" and "pop directional isolate": plain text's <bdi>.
FIRST_STRONG_ISOLATE, POP_ISOLATE = "\u2068", "\u2069"


def text_direction(text: str) -> str | None:
    """The direction of ``text``'s first strong letter (how ``dir="auto"`` decides), or
    ``None`` for text without one (digits, punctuation)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


# A template rendered once for all its recipients (campaign.mail.services, with this key
# set in its context) has placeholders instead of names, which cannot be judged yet: each
# is wrapped in these two, and judged when the value is filled in.
DEFER_ISOLATION = "campaign_defer_isolation"
DEFERRED_OPEN, DEFERRED_CLOSE = "\ue002", "\ue003"


def isolated_text(text: str, language: str) -> str:
    """``text`` in Unicode's isolate marks if its direction differs from ``language``'s."""
    found = text_direction(text)
    if found is None or found == direction(language):
        return text
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_ISOLATE}"


@pass_context
def isolate(context: Context, text: object) -> str | Markup:
    """``{{ name|isolate }}``: a name someone typed, set apart from the sentence around it,
    so an English name in an Arabic greeting ("مرحبًا Ada Lovelace،") or an Arabic name in
    an English list keeps its letters and the sentence's punctuation in order. In HTML a
    ``<bdi>``; in plain text (emails) the Unicode isolate marks, only where the name's
    direction differs from the language's, since some mail clients show them as boxes."""
    value = "" if text is None else str(text)
    if context.eval_ctx.autoescape:
        return Markup("<bdi>%s</bdi>") % value if value else Markup("")
    if context.get(DEFER_ISOLATION):
        return f"{DEFERRED_OPEN}{value}{DEFERRED_CLOSE}"
    return isolated_text(value, current_language())


def _select_locale() -> str:
    return request.environ.get(LANGUAGE_ENVIRON_KEY, "en")


def root_for(language: str) -> str:
    """The URL prefix of ``language`` for the current request (``""`` for English)."""
    script_root = request.environ.get("SCRIPT_NAME", "")
    current = request.environ.get(LANGUAGE_ENVIRON_KEY, "en")
    if current != "en" and script_root.endswith("/" + current):
        script_root = script_root[: -len(current) - 1]
    return script_root if language == "en" else f"{script_root}/{language}"


def url_in_language(language: str) -> str:
    """The current page in another language (for the language switcher).

    A page drawn for a form's post (a refused signature, posted to ``/sign``)
    names the page to switch to in ``g.language_switch_path``: the form's
    address takes no GET.
    """
    query = request.query_string.decode("latin-1")
    path = g.get("language_switch_path") or request.path
    return root_for(language) + path + (f"?{query}" if query else "")


def public_url(endpoint: str, language: str | None = None, **values: Any) -> str:
    """The absolute public address of a page in ``language`` (default: the current one).

    Built from ``BASE_URL`` and the URL map, not from the request, so
    canonical links, ``hreflang`` alternates and share metadata name the
    public site even behind a proxy or when the page answers a POST.
    """
    app = current_app._get_current_object()  # one context lookup, not four
    language = language or current_language()
    prefix = "" if language == app.config["BABEL_DEFAULT_LOCALE"] else f"/{language}"
    return app.config["BASE_URL"] + prefix + _path_builder(app.url_map).build(endpoint, values)


@lru_cache(maxsize=16)
def _path_builder(url_map: Map) -> MapAdapter:
    """An adapter that only builds paths, made once per URL map: every signature's
    email builds three links. Building reads the adapter and changes nothing, so
    threads can share it."""
    return url_map.bind("localhost")


def stale_catalogues(app: Flask) -> list[str]:
    """Languages whose compiled catalogue (``.mo``) is missing or older than its ``.po``.

    Catalogues are compiled on install (``pybabel compile``, bin/setup does it); a host
    set up without that step serves every language in English without an error.
    """
    folders = app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")
    stale = []
    for language in app.config["LANGUAGES"]:
        if language == app.config["BABEL_DEFAULT_LOCALE"]:
            continue
        for folder in folders:
            po = os.path.join(folder, language, "LC_MESSAGES", "messages.po")
            mo = po[: -len(".po")] + ".mo"
            if os.path.exists(po) and (
                not os.path.exists(mo) or os.path.getmtime(mo) < os.path.getmtime(po)
            ):
                stale.append(language)
    return stale


def warn_about_stale_catalogues(app: Flask) -> None:
    """Say at start-up, in the log, that a language would be served in English."""
    stale = stale_catalogues(app)
    if stale:
        app.logger.error(
            "translations not compiled for %s: pages in those languages show English; "
            "run `pybabel compile -d translations` (see docs/deploy.md)",
            ", ".join(stale),
        )


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=_select_locale)
    app.jinja_env.globals["url_for"] = url_for_page
    app.jinja_env.filters["isolate"] = isolate
    app.jinja_env.filters["html_lang"] = html_lang

    @app.context_processor
    def language_context() -> dict:
        return {
            "current_language": current_language,
            "url_in_language": url_in_language,
            "language_names": LANGUAGE_NAMES,
            "dir_attr": dir_attr,
            "language_name": language_name,
            "languages": app.config["LANGUAGES"],
            "og_locales": OG_LOCALES,
            "public_url": public_url,
        }
