"""Publications as data: the JSON of one and of the list, and the Atom feed.

Both read :func:`services.published` only, and hold nothing personal: no
organiser, no download count (counts are the organisers', in the back office).
Texts are in the URL's language where written, else in the publication's own,
and say which (``language``).
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any
from xml.etree import ElementTree as ET

from flask_babel import force_locale
from flask_babel import gettext as _

from ..atom import ATOM, XML_LANG, add, tag_uri, time_text
from ..i18n import LANGUAGE_NAMES, public_url
from ..identity import site_name
from ..models import Publication
from . import services

PDF = "application/pdf"
# The day in the feed's own tag URI: fixed, so its id never changes (RFC 4287, 4.2.6).
FEED_SINCE = datetime(2026, 12, 1, tzinfo=UTC)


def cover_url(publication: Publication) -> str | None:
    cover = services.cover_of(publication.id)
    if cover is None:
        return None
    return public_url("publications.cover", publication_id=publication.id, digest=cover.sha256[:16])


def downloads_json(publication: Publication) -> list[dict[str, Any]]:
    return [
        {
            "language": row.language,
            "name": LANGUAGE_NAMES.get(row.language, row.language),
            "url": public_url("publications.download", slug=publication.slug, lang=row.language),
            "type": PDF,
            "size": row.size,
            "sha256": row.sha256,
        }
        for row in services.downloads(publication)
    ]


def publication_json(publication: Publication, language: str) -> dict[str, Any]:
    texts = services.texts(publication, language)
    call = services.public_call(publication)
    return {
        "slug": publication.slug,
        "url": public_url("publications.show", slug=publication.slug),
        "language": texts.language,
        "title": texts.title,
        "summary": texts.summary_markdown,
        "published_on": publication.published_on.isoformat(),
        "updated_at": time_text(publication.updated_at),
        "cover_url": cover_url(publication),
        "cover_alt": texts.cover_alt,
        "call": call.slug if call is not None else None,
        "languages": sorted(t.language for t in publication.translations),
        "downloads": downloads_json(publication),
    }


def list_json(publications: list[Publication], language: str) -> dict[str, Any]:
    return {
        "publications": [
            {
                "slug": p.slug,
                "title": services.texts(p, language).title,
                "language": services.texts(p, language).language,
                "published_on": p.published_on.isoformat(),
                "url": public_url("publications.show", slug=p.slug),
                "json_url": public_url("publications.show_json", slug=p.slug),
            }
            for p in publications
        ]
    }


def _published_moment(publication: Publication) -> datetime:
    return datetime.combine(publication.published_on, time(), tzinfo=UTC)


def _entry(feed: ET.Element, publication: Publication, language: str) -> None:
    texts = services.texts(publication, language)
    entry = add(feed, "entry")
    add(entry, "id", tag_uri(publication.created_at, f"publication-{publication.id}"))
    add(entry, "title", texts.title, **{XML_LANG: texts.language})
    add(entry, "updated", time_text(publication.updated_at))
    add(entry, "published", time_text(_published_moment(publication)))
    link = public_url("publications.show", language, slug=publication.slug)
    add(entry, "link", rel="alternate", type="text/html", href=link)
    for row in services.downloads(publication):
        add(
            entry,
            "link",
            rel="enclosure",
            type=PDF,
            hreflang=row.language,
            length=str(row.size),
            title=LANGUAGE_NAMES.get(row.language, row.language),
            href=public_url("publications.download", slug=publication.slug, lang=row.language),
        )
    add(entry, "summary", texts.summary_markdown, type="text", **{XML_LANG: texts.language})


def atom(language: str) -> bytes:
    """Every published publication, newest first, as UTF-8 bytes."""
    found = services.public_publications()
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: language})
    add(feed, "id", tag_uri(FEED_SINCE, "publications"))
    with force_locale(language):
        add(feed, "title", _("Publications"))
        author = site_name()
    updated = max((p.updated_at for p in found), default=FEED_SINCE)
    add(feed, "updated", time_text(updated))
    add(
        feed,
        "link",
        rel="self",
        type="application/atom+xml",
        href=public_url("publications.feed", language),
    )
    page = public_url("publications.index", language)
    add(feed, "link", rel="alternate", type="text/html", href=page)
    add(add(feed, "author"), "name", str(author))
    for publication in found:
        _entry(feed, publication, language)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
