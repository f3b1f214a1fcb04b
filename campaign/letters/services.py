"""Building a cover letter's content: :func:`letter_content`, for the renderers to draw.

Everything is written in the letter's language, whatever the request's: the
call's translation (falling back, visibly, to its main text), the
organisation's place name in that language, CLDR's date and country names,
and the catalogues' sentences. Functions never read the request and never
commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from babel.numbers import format_decimal
from flask_babel import force_locale, get_translations
from flask_babel import gettext as _
from sqlalchemy import select

from .. import countries
from ..extensions import db
from ..i18n import language_name
from ..models import GovernmentTarget, OrganisationSettings, Petition
from ..notables.services import visible_notables
from ..notables.translations import texts_in
from ..petitions.services import call_text
from ..timezones import to_local
from .content import (
    Addressee,
    CallSection,
    Closing,
    CountryRow,
    FirstSignatories,
    LetterContent,
    Letterhead,
    Person,
    Totals,
)
from .cover import cover_paragraphs
from .formatting import countries_by_name, place_and_date
from .settings import address_lines, organisation_settings, place_in
from .text import plain_blocks, without_closing_appeal


def letter_content(
    petition: Petition,
    language: str,
    country: str,
    now: datetime,
    counts: Mapping[str, int],
) -> LetterContent:
    """The letter to ``country``'s government about ``petition``, in ``language``.

    ``counts`` is the counted signatures per country (as the package counts
    them); ``now`` (UTC) dates the letter, in the call's time zone.
    """
    with force_locale(language):
        settings = organisation_settings()
        letterhead = _letterhead(settings, petition)
        addressee = _addressee(petition, country, language)
        call = _call(petition, language)
        totals = _totals(counts, country, language)
        cover, cover_is_default = cover_paragraphs(petition, language)
        local_day = (to_local(now, petition.timezone) or now).date()
        return LetterContent(
            language=language,
            letterhead=letterhead,
            place_date=place_and_date(place_in(settings, language), local_day, language),
            addressee=addressee,
            subject=call.title,
            salutation=_("Dear Sir or Madam,"),
            introduction=_introduction(letterhead.name, call.title, addressee, totals, language),
            cover=tuple(cover),
            cover_is_default=cover_is_default,
            call=call,
            totals=totals,
            first_signatories=_first_signatories(petition, language),
            closing=Closing(
                phrase=_("Yours faithfully,"),
                signatory=settings.signatory if settings is not None else "",
                organisation=letterhead.name,
            ),
        )


def _first_signatories(petition: Petition, language: str) -> FirstSignatories:
    """The notables with their titles in the letter's language where editors translated
    them, else as written."""
    texts = texts_in(petition, language)
    return FirstSignatories(
        heading=_("First signatories"),
        people=tuple(Person(n.name, texts.title(n).text) for n in visible_notables(petition)),
    )


def _letterhead(settings: OrganisationSettings | None, petition: Petition) -> Letterhead:
    if settings is None:
        return Letterhead(
            name=petition.organisation or _("the organisers of this call"),
            logo_png=None,
            logo_size=None,
            address_lines=(),
            email="",
            website=petition.organisation_url,
            configured=False,
        )
    has_logo = settings.logo_png is not None
    return Letterhead(
        name=settings.name or petition.organisation,
        logo_png=settings.logo_png,
        logo_size=(settings.logo_width or 0, settings.logo_height or 0) if has_logo else None,
        address_lines=tuple(address_lines(settings)),
        email=settings.contact_email,
        website=settings.website,
        configured=True,
    )


def _addressee(petition: Petition, country: str, language: str) -> Addressee:
    """The body the call's target names for ``country`` (GovernmentTarget, read directly:
    letters sit below governments), else the country's government."""
    country_name = countries.name(country, language)
    target = db.session.scalar(
        select(GovernmentTarget).where(
            GovernmentTarget.petition_id == petition.id, GovernmentTarget.country == country
        )
    )
    if target is None or not target.body.strip():
        # Two lines, as an address gives them: French has no one way to say "of" before
        # every country's name (du Japon, de la Suisse, de l'Égypte, des États-Unis).
        body = _("The Government")
        return Addressee(country, country_name, body, (body, country_name), from_target=False)
    postal = [line.strip() for line in target.postal_address.splitlines() if line.strip()]
    lines = (target.body, *(postal or [country_name]))
    return Addressee(country, country_name, target.body, lines, from_target=True)


def _call(petition: Petition, language: str) -> CallSection:
    text = call_text(petition, language)
    blocks, left_out = without_closing_appeal(plain_blocks(text.body_markdown))
    fallback = text.language != language
    note = ""
    if fallback:
        note = _(
            "This call has not been translated into %(language)s: it is given here in "
            "%(original)s, the language it was written in.",
            language=language_name(language, language),
            original=language_name(text.language, language),
        )
    return CallSection(
        heading=_("The call"),
        title=text.title,
        blocks=tuple(blocks),
        language=text.language,
        fallback=fallback,
        fallback_note=note,
        left_out=tuple(left_out),
    )


def _totals(counts: Mapping[str, int], country: str, language: str) -> Totals:
    counted = {code: n for code, n in counts.items() if n > 0}
    rows = tuple(
        CountryRow(code, name, counted[code], code == country)
        for code, name in countries_by_name(counted, language)
    )
    return Totals(
        country=counted.get(country, 0),
        worldwide=sum(counted.values()),
        countries=len(counted),
        by_country=rows,
    )


def _introduction(
    organisation: str, title: str, addressee: Addressee, totals: Totals, language: str
) -> str:
    """Who hands over what, signed by how many (the sentence the delivery email opens with).

    ``num`` is the count formatted for the language (flask_babel's ngettext would
    put the bare number in its place).
    """
    sentence = get_translations().ungettext(
        "On behalf of %(organisation)s, we hand you the call “%(title)s”, signed by "
        "%(num)s person in %(country)s and by %(total)s people worldwide.",
        "On behalf of %(organisation)s, we hand you the call “%(title)s”, signed by "
        "%(num)s people in %(country)s and by %(total)s people worldwide.",
        totals.country,
    )
    return sentence % {
        "num": format_decimal(totals.country, locale=language),
        "organisation": organisation,
        "title": title,
        "country": addressee.country_name,
        "total": format_decimal(totals.worldwide, locale=language),
    }
