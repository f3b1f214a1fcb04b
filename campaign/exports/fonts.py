"""Which of Debian's Noto fonts draws each character of a signer's name, and in what language.

Signers write their names in every script, so one font is never enough:
Noto Sans covers Latin, Greek and Cyrillic; Arabic, Hebrew, Devanagari and
Thai have fonts of their own; Chinese, Japanese and Korean come from one
face of the Noto CJK collection, whose glyph forms follow the name's
language (HarfBuzz applies the font's ``locl`` feature: a Japanese name
drawn with Chinese forms reads as a foreign spelling). Fonts are
found under ``/usr/share/fonts`` (Debian's ``fonts-noto-core`` and
``fonts-noto-cjk``, installed by ``bin/system-deps``).

The language of a run in another script than the document's is guessed
from the script and the signer's country, with CLDR's data (through Babel):
Devanagari from Nepal is Nepali, from elsewhere Hindi; Han characters from
Japan are Japanese. It is what a screen reader needs to pick a voice.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from babel.core import get_global
from babel.languages import get_official_languages
from fontTools.ttLib import TTCollection, TTFont

FONT_ROOTS = ("/usr/share/fonts",)


@dataclass(frozen=True)
class FontSpec:
    family: str
    filename: str
    # In a collection (.ttc), the face whose name contains this.
    face: str | None = None
    # The ISO 15924 script this font is for (None: the base font, Latin, Greek, Cyrillic).
    script: str | None = None


BASE = FontSpec("NotoSans", "NotoSans-Regular.ttf")
BOLD = FontSpec("NotoSans-Bold", "NotoSans-Bold.ttf")
# Fallback order: the first font covering a character draws it.
FONTS: tuple[FontSpec, ...] = (
    BASE,
    FontSpec("NotoSansArabic", "NotoSansArabic-Regular.ttf", script="Arab"),
    FontSpec("NotoSansHebrew", "NotoSansHebrew-Regular.ttf", script="Hebr"),
    FontSpec("NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf", script="Deva"),
    FontSpec("NotoSansThai", "NotoSansThai-Regular.ttf", script="Thai"),
    # One face: a face costs 45 MB of memory, and each has every language's forms.
    FontSpec("NotoSansCJKsc", "NotoSansCJK-Regular.ttc", face="CJK SC", script="Hani"),
)


class FontMissing(RuntimeError):
    """The Noto fonts are not installed (``bin/system-deps`` installs them)."""


@cache
def _font_files() -> dict[str, str]:
    found: dict[str, str] = {}
    for root in FONT_ROOTS:
        for folder, _dirs, files in os.walk(root):
            for name in files:
                found.setdefault(name, os.path.join(folder, name))
    return found


def font_path(filename: str) -> str | None:
    return _font_files().get(filename)


def require(spec: FontSpec) -> str:
    path = font_path(spec.filename)
    if path is None:
        raise FontMissing(
            f"{spec.filename} was not found under /usr/share/fonts: "
            "install fonts-noto-core and fonts-noto-cjk (bin/system-deps)."
        )
    return path


@cache
def face_index(path: str, face: str | None) -> int:
    if face is None or not path.endswith(".ttc"):
        return 0
    collection = TTCollection(path, lazy=True)
    for index, font in enumerate(collection.fonts):
        if face in str(font["name"].getDebugName(4)):
            return index
    return 0


@cache
def coverage(spec: FontSpec) -> frozenset[int]:
    """The code points a font has glyphs for (read once per process)."""
    path = font_path(spec.filename)
    if path is None:
        return frozenset()
    font = TTFont(path, fontNumber=face_index(path, spec.face), lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def _neutral(char: str) -> bool:
    """Spaces, digits and punctuation: drawn in the font of the text around them."""
    return unicodedata.category(char)[0] in "ZNPS" or unicodedata.category(char) == "Mn"


@lru_cache(maxsize=8192)
def font_for(char: str) -> int | None:
    """Index in FONTS of the first font that has ``char``, None when none has it."""
    point = ord(char)
    for index, spec in enumerate(FONTS):
        if point in coverage(spec):
            return index
    return None


def itemize(text: str) -> list[tuple[int, int, int | None]]:
    """Split ``text`` into (start, end, font index) runs; neutrals join their neighbours."""
    chosen = [None if _neutral(c) else font_for(c) for c in text]
    # A neutral takes the font before it (or after it, at the start) when that font has it.
    previous = next((f for f in chosen if f is not None), 0)
    for i, char in enumerate(text):
        if chosen[i] is None:
            fits = ord(char) in coverage(FONTS[previous])
            chosen[i] = previous if fits else font_for(char)
        else:
            previous = chosen[i]
    runs: list[tuple[int, int, int | None]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or chosen[i] != chosen[start]:
            runs.append((start, i, chosen[start]))
            start = i
    return runs


# -- language ----------------------------------------------------------------------------

_SCRIPT_OF_FONT = {spec.script for spec in FONTS if spec.script}


@lru_cache(maxsize=4096)
def script_of(text: str) -> str | None:
    """The ISO 15924 script of the first letter (None when it is Latin, or none is known).

    A line is tagged with one language: the first letter's, as a reader of
    the line would take it ("Mohamed محمد" stays in the document's language).
    """
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for prefix, script in _SCRIPT_PREFIXES:
            if name.startswith(prefix):
                return script
    return None


_SCRIPT_PREFIXES = (
    ("LATIN", None),
    ("CYRILLIC", "Cyrl"),
    ("GREEK", "Grek"),
    ("ARABIC", "Arab"),
    ("HEBREW", "Hebr"),
    ("DEVANAGARI", "Deva"),
    ("THAI", "Thai"),
    ("HANGUL", "Kore"),
    ("HIRAGANA", "Jpan"),
    ("KATAKANA", "Jpan"),
    ("CJK", "Hani"),
)


@lru_cache(maxsize=1024)
def language_for(script: str | None, country: str | None) -> str | None:
    """A BCP 47 tag for text in ``script`` signed from ``country`` (None for Latin).

    A language official in the country and written in that script wins
    (Nepal: Nepali; Japan: Japanese for Han characters); otherwise CLDR's
    likeliest language for the script.
    """
    if script is None:
        return None
    likely = get_global("likely_subtags")
    if country:
        for language in get_official_languages(country, de_facto=True):
            full = likely.get(language, "")
            written = full.split("_")[1] if full.count("_") >= 2 else ""
            if written == script or (script == "Hani" and written in ("Hans", "Hant", "Jpan")):
                return "zh-Hant" if written == "Hant" else language
            if script == "Kore" and language == "ko":
                return "ko"
    tag = likely.get(f"und_{script}", "")
    if script == "Jpan":
        return "ja"
    return tag.split("_")[0] or None
