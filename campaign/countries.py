"""Countries of residence: ISO 3166-1 alpha-2 codes with names in the reader's language.

Names come from Babel's CLDR territory data, so every language gets correct
names without a list of our own to maintain.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from babel import Locale

# CLDR territories that are not ISO 3166-1 countries: exceptionally reserved codes
# (Ascension, Clipperton, Sark, Diego Garcia, Ceuta and Melilla, Canary Islands,
# Tristan da Cunha), groupings (EU, EZ, UN, QO) and pseudo-locales (XA, XB, ZZ).
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "IC", "TA", "EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
)


@cache
def _names(language: str) -> dict[str, str]:
    territories = Locale.parse(language).territories
    return {
        code: name
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


@cache
def choices(language: str = "en") -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name as readers of ``language`` expect."""
    names = _names(language)
    return sorted(names.items(), key=lambda item: _sort_key(item[1]))


def _sort_key(name: str) -> str:
    # Accents should not push "Émirats" after "Zambie".
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def codes() -> frozenset[str]:
    return frozenset(_names("en"))


def name(code: str, language: str = "en") -> str:
    return _names(language).get(code, code)
