"""Shapes of the public JSON: exactly these fields, never an email address."""

from __future__ import annotations

from typing import Any

from .. import countries
from ..models import NotableSignatory, Petition
from ..notables.services import portrait_url
from ..notables.translations import NotableTexts
from ..timezones import iso_utc


def notable(item: NotableSignatory, texts: NotableTexts) -> dict[str, Any]:
    """``texts`` gives the title and category in the URL's language where translated."""
    return {
        "name": item.name,
        "title": texts.title(item).text,
        "organisation": item.organisation,
        "country": item.country or None,
        "category": texts.category(item.category).text,
        "portrait_url": portrait_url(item),
        "url": item.url or None,
    }


def petition(
    call: Petition,
    title: str,
    by_country: list[tuple[str, int]],
    notables: list[NotableSignatory],
    texts: NotableTexts,
    language: str,
) -> dict[str, Any]:
    """``title`` is in the URL's language when the call has a translation (see call_text),
    and so are the notables' titles and categories (``texts``); country names are always in
    ``language``, from Babel, so a partner site in Arabic or Chinese needs no table of its own."""
    return {
        "slug": call.slug,
        "title": title,
        "state": call.state,
        "goal": call.goal,
        "signature_count": call.signature_count,
        "opened_at": iso_utc(call.opened_at),
        "closes_at": iso_utc(call.closes_at),
        "signatures_by_country": [
            {"code": code, "name": countries.name(code, language), "signature_count": n}
            for code, n in by_country
        ],
        "notable_signatories": [notable(item, texts) for item in notables],
    }
