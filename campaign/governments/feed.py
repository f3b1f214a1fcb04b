"""The Atom feed of a call's governments: an entry per recorded delivery and per answer.

Ids are tag URIs (RFC 4151) made from the site's host, the day the record
was made and its row id, so they never change when a title, a language or a
path does. Entries hold what the scoreboard shows and nothing personal: no
contact address, no organiser, not who handed a package over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree as ET

from flask_babel import force_locale, format_date, format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from .. import countries
from ..atom import ATOM, XML_LANG, tag_uri
from ..atom import add as _add
from ..atom import time_text as _time
from ..exports.delivery_options import CHANNEL_LABELS
from ..extensions import db
from ..i18n import public_url
from ..models import Delivery, GovernmentResponse, GovernmentTarget, Petition
from .deliveries import deliveries_of
from .scoreboard import STANCE_LABELS, response_text

__all__ = ["ATOM", "Entry", "atom", "entries", "tag_uri"]


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: datetime
    published: datetime
    link: str
    summary: str
    # An answer's full text, in its own language.
    content: str = ""
    content_language: str = ""


def _delivery_entry(petition: Petition, delivery: Delivery, link: str, language: str) -> Entry:
    country = countries.name(delivery.country, language)
    channel = CHANNEL_LABELS.get(delivery.channel)
    content = ngettext(
        "Delivered on %(date)s to %(body)s: %(count)s signature.",
        "Delivered on %(date)s to %(body)s: %(count)s signatures.",
        delivery.signature_count,
        count=format_decimal(delivery.signature_count),
        body=delivery.body,
        date=format_date(delivery.delivered_on, "long"),
    )
    if channel:
        content += " " + _("How it was handed over: %(channel)s.", channel=channel)
    content += " " + _("SHA-256 of the package's manifest: %(sha)s", sha=delivery.manifest_sha256)
    return Entry(
        id=tag_uri(delivery.created_at, f"petition-{petition.id}/delivery-{delivery.id}"),
        title=_("Delivered to the government of %(country)s", country=country),
        updated=delivery.created_at,
        published=delivery.created_at,
        link=link,
        summary=content,
    )


def _response_entry(
    petition: Petition, response: GovernmentResponse, link: str, language: str
) -> Entry:
    delivery = response.delivery
    country = countries.name(delivery.country, language)
    text_language, text = response_text(response, language, petition.language)
    parts = [
        _("Answer of %(date)s.", date=format_date(response.responded_on, "long")),
        response.summary,
    ]
    if response.source_url:
        parts.append(_("Official source: %(url)s", url=response.source_url))
    return Entry(
        id=tag_uri(response.created_at, f"petition-{petition.id}/response-{response.id}"),
        title=_(
            "The government of %(country)s answered: %(stance)s",
            country=country,
            stance=STANCE_LABELS.get(response.stance, response.stance),
        ),
        updated=response.updated_at or response.created_at,
        published=response.created_at,
        link=link,
        summary="\n\n".join(parts),
        content=text,
        content_language=text_language,
    )


def entries(petition: Petition, language: str) -> list[Entry]:
    """Every delivery and answer of the call, most recently changed first."""
    page = public_url("governments.scoreboard", language, slug=petition.slug)
    # The page has a section for each addressed government it delivered to.
    addressed = set(
        db.session.scalars(
            select(GovernmentTarget.country).where(GovernmentTarget.petition_id == petition.id)
        )
    )
    found = []
    with force_locale(language):
        for delivery in deliveries_of(petition):
            link = page + (
                f"#government-{delivery.country.lower()}" if delivery.country in addressed else ""
            )
            found.append(_delivery_entry(petition, delivery, link, language))
            if delivery.response is not None:
                found.append(_response_entry(petition, delivery.response, link, language))
    return sorted(found, key=lambda entry: (entry.updated, entry.id), reverse=True)


def atom(petition: Petition, title: str, language: str) -> bytes:
    """The feed, as UTF-8 bytes."""
    found = entries(petition, language)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: language})
    _add(feed, "id", tag_uri(petition.created_at, f"petition-{petition.id}/governments"))
    with force_locale(language):
        _add(feed, "title", _("Governments and the call: %(title)s", title=title))
        author = petition.organisation or _("Campaign")
    updated = max([entry.updated for entry in found], default=petition.created_at)
    _add(feed, "updated", _time(updated))
    _add(
        feed,
        "link",
        rel="self",
        type="application/atom+xml",
        href=public_url("governments.feed", language, slug=petition.slug),
    )
    page = public_url("governments.scoreboard", language, slug=petition.slug)
    _add(feed, "link", rel="alternate", type="text/html", href=page)
    _add(_add(feed, "author"), "name", author)
    for entry in found:
        element = _add(feed, "entry")
        _add(element, "id", entry.id)
        _add(element, "title", entry.title)
        _add(element, "updated", _time(entry.updated))
        _add(element, "published", _time(entry.published))
        _add(element, "link", rel="alternate", type="text/html", href=entry.link)
        _add(element, "summary", entry.summary, type="text")
        if entry.content:
            _add(
                element, "content", entry.content, type="text", **{XML_LANG: entry.content_language}
            )
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
