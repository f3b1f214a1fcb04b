"""A delivery's cover letter (``letter.pdf``), written to one country's government.

In the language chosen for the delivery: the heading, the call's text, the
totals and dates (for that country and worldwide), what the package holds
and how to check it, the notable signatories, and a page charting
signatures by country. Loads the PDF libraries: import it only where
packages are made.
"""

from __future__ import annotations

import re
from datetime import datetime

from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import gettext as _

from .. import countries
from ..models import Petition
from ..notables.services import visible_notables
from .delivery_options import CountryStats
from .pdf import COLUMN_HEADER, DeliveryPdf


def cover_letter(
    petition: Petition,
    code: str,
    language: str,
    stats: dict[str, CountryStats],
    own: CountryStats,
    names_mode: bool,
    now: datetime,
) -> DeliveryPdf:
    """The letter to the government of ``code``; ``own`` is that country's count and dates.

    ``names_mode`` says whether the package names the signers or gives
    totals only; the letter tells the recipient which.
    """
    country_name = countries.name(code, language)
    total = sum(s.count for s in stats.values())
    pdf = DeliveryPdf(
        title=petition.title, language=language, footer_text=petition.title, created=now
    )
    pdf.add_page()
    pdf.set_y(18)
    _heading(pdf, petition, country_name, language, own.count, total, now)
    _call_text(pdf, petition)
    pdf.ln(3)
    pdf.heading(_("The signatures"), 2)
    lines = [
        *_totals(country_name, language, stats, own, total),
        *_closing(country_name, names_mode),
    ]
    for line in lines:
        pdf.paragraph(line, gap=1.5)
    _notables(pdf, petition)
    _chart_page(pdf, code, language, stats)
    return pdf


def _heading(
    pdf: DeliveryPdf,
    petition: Petition,
    country_name: str,
    language: str,
    count: int,
    total: int,
    now: datetime,
) -> None:
    """Addressee, date, the call's title and who hands it over, for how many people."""
    pdf.paragraph(_("To the Government of %(country)s", country=country_name), bold=True)
    pdf.paragraph(_date(now, language), gap=6)
    pdf.heading(petition.title, 1, size=15, gap=4)
    organisation = petition.organisation or _("the organisers of this call")
    pdf.paragraph(
        _(
            "On behalf of %(organisation)s, we hand you the call below, signed by "
            "%(count)s people in %(country)s and by %(total)s people worldwide.",
            organisation=organisation,
            count=_number(count, language),
            country=country_name,
            total=_number(total, language),
        ),
        gap=5,
    )


def _call_text(pdf: DeliveryPdf, petition: Petition) -> None:
    """The call itself, as the signers read it, in plain paragraphs."""
    pdf.heading(_("The call"), 2)
    for paragraph in _plain(petition.body_markdown):
        pdf.paragraph(paragraph)


def _totals(
    country_name: str, language: str, stats: dict[str, CountryStats], own: CountryStats, total: int
) -> list[str]:
    """How many signed, here and worldwide, between which dates, and how each was confirmed."""
    firsts = [s.first for s in stats.values() if s.first]
    lasts = [s.last for s in stats.values() if s.last]
    return [
        _(
            "Signatures from %(country)s: %(count)s",
            country=country_name,
            count=_number(own.count, language),
        ),
        _("Signatures worldwide: %(count)s", count=_number(total, language)),
        _("Countries and territories: %(count)s", count=_number(len(stats), language)),
        _(
            "Signatures from %(country)s were confirmed between %(first)s and %(last)s.",
            country=country_name,
            first=_date(own.first, language),
            last=_date(own.last, language),
        ),
        _(
            "All signatures were confirmed between %(first)s and %(last)s.",
            first=_date(min(firsts) if firsts else None, language),
            last=_date(max(lasts) if lasts else None, language),
        ),
        _(
            "Every signature counted here was confirmed by its signer through a link "
            "sent to their email address."
        ),
    ]


def _closing(country_name: str, names_mode: bool) -> list[str]:
    """What the package holds (names, or totals only) and how its recipient can check it."""
    if names_mode:
        enclosed = _(
            "The enclosed list names each signer from %(country)s: signatures.pdf to "
            "read and print, signatures.csv for working files.",
            country=country_name,
        )
    else:
        enclosed = _(
            "To protect the people who signed, this delivery contains totals only: "
            "no names are handed over."
        )
    checksums = _(
        "manifest.json lists the SHA-256 checksum of every file in this package; the "
        "checksum of manifest.json itself is published on the call's page."
    )
    return [enclosed, checksums]


def _notables(pdf: DeliveryPdf, petition: Petition) -> None:
    """The call's first signatories, by name and title, when it has any."""
    notables = visible_notables(petition)
    if not notables:
        return
    pdf.ln(3)
    pdf.heading(_("First signatories"), 2)
    listing = pdf.element("L")
    for person in notables:
        text = f"{person.name} — {person.title}" if person.title else person.name
        pdf.paragraph(text, gap=0.5, kind="LBody", parent=pdf.element("LI", listing))


def _chart_page(pdf: DeliveryPdf, code: str, language: str, stats: dict[str, CountryStats]) -> None:
    """Signatures by country as horizontal bars, the recipient's own country highlighted.

    Tagged as a table (country, signatures) with column headers; the bars are
    drawn as artifacts, since the numbers beside them say the same.
    """
    pdf.add_page()
    pdf.set_y(18)
    pdf.heading(_("Signatures by country"), 2, size=13, gap=4)
    ranked = sorted(stats.items(), key=lambda item: (-item[1].count, item[0]))
    top = ranked[:24]
    if code in stats and code not in dict(top):
        top = [*top[:23], (code, stats[code])]
    rest = sum(s.count for c, s in ranked if c not in dict(top))
    bars = [(countries.name(c, language), s.count, c == code) for c, s in top]
    if rest:
        bars.append((_("All other countries"), rest, False))
    largest = max((n for _name, n, _own in bars), default=1) or 1
    table = pdf.element("Table")
    header = pdf.element("TR", pdf.element("THead", table))
    y = pdf.get_y() + 2
    label_width, bar_left, bar_width, height = 52.0, 72.0, 100.0, 6.2
    for text, x, align in ((_("Country"), 18, "R"), (_("Signatures"), bar_left, "L")):
        cell = pdf.element("TH", header, COLUMN_HEADER)
        pdf.text_at(cell, x, y + 3, text, 7.5, bold=True, align=align, width_mm=label_width)
    y += 5
    body = pdf.element("TBody", table)
    for name, n, own in bars:
        row = pdf.element("TR", body)
        pdf.text_at(
            pdf.element("TD", row),
            18,
            y + height * 0.68,
            name[:38],
            8.5,
            bold=own,
            align="R",
            width_mm=label_width,
        )
        width = max(bar_width * n / largest, 0.4)
        pdf.bar(bar_left, y + 0.8, width, height - 1.6, (196, 52, 32) if own else (64, 110, 160))
        pdf.text_at(
            pdf.element("TD", row), bar_left + width + 2, y + height * 0.72, _number(n, language), 8
        )
        y += height + 1.2


def _plain(markdown: str) -> list[str]:
    """The call's Markdown as plain paragraphs (emphasis marks and hard-break slashes gone)."""
    text = markdown.replace("\\\n", " ")
    text = re.sub(r"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1", r"\2", text)
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.strip().splitlines()]
        if not lines:
            continue
        if all(re.match(r"^(\d+\.|[-*])\s", line) for line in lines):
            paragraphs.extend(lines)
        else:
            paragraphs.append(re.sub(r"^#+\s*", "", " ".join(lines)))
    return paragraphs


def _number(n: int, language: str) -> str:
    return format_decimal(n, locale=language)


def _date(value: datetime | None, language: str) -> str:
    return format_date(value.date(), "long", locale=language) if value else "—"
