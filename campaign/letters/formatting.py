"""How a letter writes its date line and orders countries, in the letter's language.

The date line follows each language's letter convention ("Genève, le 3 décembre
2026", "Ginebra, 3 de diciembre de 2026", "Geneva, 3 December 2026"): Babel
formats the date with the CLDR pattern given here per language (locale data,
like the month names it fills in, not a sentence to translate); a language
without one gets CLDR's long date.

Countries are ordered by their name in the letter's language with the order
the sign form uses (``countries.choices``): accents are set aside and case is
folded, so "Émirats arabes unis" sorts among the E in French. PyICU is not a
dependency; without it, letters that a language treats as separate (Spanish
"ñ") sort with their base letter.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache

from babel.dates import format_date

from .. import countries

# CLDR date patterns for letters, by language ("'le'" is a quoted literal).
DATE_PATTERNS: dict[str, str] = {
    "en": "d MMMM y",
    "fr": "'le' d MMMM y",
    "es": "d 'de' MMMM 'de' y",
}
# What sets the place off from the date: Arabic's comma (U+060C), Chinese's full-width one,
# with no space after it; other languages ", ".
PLACE_SEPARATORS: dict[str, str] = {"ar": "\u060c ", "zh": "\uff0c"}


def letter_date(day: date, language: str) -> str:
    """``day`` as a letter in ``language`` dates it ("le 3 décembre 2026")."""
    return format_date(day, DATE_PATTERNS.get(language, "long"), locale=language)


def place_and_date(place: str, day: date, language: str) -> str:
    """The line a letter opens with: "Genève, le 3 décembre 2026" (the date alone when the
    organisation gave no place, then capitalised: "Le 3 décembre 2026")."""
    written = letter_date(day, language)
    if not place:
        return written[:1].upper() + written[1:]
    return f"{place}{PLACE_SEPARATORS.get(language, ', ')}{written}"


@cache
def _positions(language: str) -> dict[str, int]:
    return {code: i for i, (code, _name) in enumerate(countries.choices(language))}


def countries_by_name(codes: Iterable[str], language: str) -> list[tuple[str, str]]:
    """(code, name in ``language``) for ``codes``, in that language's alphabetical order.

    A code that is not a country (none should reach a letter) goes last, by code.
    """
    positions = _positions(language)
    return sorted(
        ((code, countries.name(code, language)) for code in set(codes)),
        key=lambda item: (positions.get(item[0], len(positions)), item[0]),
    )
