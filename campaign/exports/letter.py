"""A delivery's cover letter (``letter.pdf``), written to one country's government.

What it says comes from :func:`campaign.letters.services.letter_content`, in
the delivery's language: the organisation's letterhead, place and date, the
addressee, the call's title as the subject, the cover text, the call in that
language (or its main text, with a note saying so), the totals, the first
signatories and the closing. This module draws it as a letter: a sender at
the top, blocks that are never split from their heading, and an annex
charting signatures by country in the letter's alphabetical order. Loads
the PDF libraries: import it only where packages are made.
"""

from __future__ import annotations

import io
from datetime import datetime

from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import force_locale
from flask_babel import gettext as _

from ..i18n import direction
from ..letters.content import CallSection, FirstSignatories, LetterContent, Letterhead
from ..letters.services import letter_content
from ..models import Petition
from .delivery_options import CountryStats
from .pdf import COLUMN_HEADER, PT, DeliveryPdf
from .tagging import text_string

BODY = 10.5  # the letter's body text, in points
GREY = 90  # the letterhead's contact lines
LOGO_HEIGHT = 16.0  # mm: the logo's box, at most this high and three times as wide


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
    counts = {country: s.count for country, s in stats.items()}
    counts[code] = own.count
    content = letter_content(petition, language, code, now, counts)
    with force_locale(language):  # the sentences drawn here, whatever the caller's locale
        return _draw(content, stats, own, names_mode, now)


def _draw(
    content: LetterContent,
    stats: dict[str, CountryStats],
    own: CountryStats,
    names_mode: bool,
    now: datetime,
) -> DeliveryPdf:
    """Draw the letter: letterhead, addressee, subject, cover, call, totals, people, annex."""
    pdf = DeliveryPdf(
        title=content.subject,
        language=content.language,
        footer_text=content.subject,
        created=now,
    )
    pdf.add_page()
    _letterhead(pdf, content.letterhead)
    _addressee(pdf, content)
    # The subject is the call's title (not repeated above its text below).
    pdf.heading(
        content.subject,
        1,
        size=14,
        gap=4,
        attributes=_lang(content.call),
        direction=direction(content.call.language),
    )
    for text in (content.salutation, content.introduction, *content.cover):
        pdf.paragraph(text, size=BODY, gap=3)
    _call(pdf, content.call)
    pdf.heading(_("The signatures"), 2)
    for line in _totals(content, stats, own, names_mode):
        pdf.paragraph(line, size=BODY, gap=1.5)
    _first_signatories(pdf, content.first_signatories)
    _closing(pdf, content)
    _chart(pdf, content)
    return pdf


def _letterhead(pdf: DeliveryPdf, head: Letterhead) -> None:
    """The sender: logo on the left; name, address and contact on the right; a rule below."""
    top, right = 14.0, pdf.w - pdf.r_margin
    bottom = top
    if head.logo_png and head.logo_size and all(head.logo_size):
        w, h = head.logo_size
        height = min(LOGO_HEIGHT, LOGO_HEIGHT * 3 * h / w)
        # The organisation's name is written beside it: for readers, the logo is decoration.
        with pdf.artifact():
            logo_w = height * w / h
            pdf.image(
                io.BytesIO(head.logo_png), pdf.start(pdf.l_margin, logo_w), top, h=height, w=logo_w
            )
        bottom = top + height
    width = right - pdf.l_margin
    y = top + 4
    pdf.text_at(
        pdf.element("P"), pdf.l_margin, y, head.name, 11, bold=True, align="R", width_mm=width
    )
    contact = [*head.address_lines, head.email, _bare(head.website)]
    element = pdf.element("P")
    for line in filter(None, contact):
        y += 3.9
        pdf.text_at(element, pdf.l_margin, y, line, 8.5, align="R", width_mm=width, gray=GREY)
    bottom = max(bottom, y + 1.5)
    with pdf.artifact():
        pdf.set_draw_color(150)
        pdf.set_line_width(0.15)
        pdf.line(pdf.l_margin, bottom + 2.5, right, bottom + 2.5)
    pdf.set_y(bottom + 9)


def _addressee(pdf: DeliveryPdf, content: LetterContent) -> None:
    """The date line on the right, then to whom the letter goes."""
    width = pdf.w - pdf.l_margin - pdf.r_margin
    leading = BODY / PT * 1.45
    pdf.text_at(
        pdf.element("P"),
        pdf.l_margin,
        pdf.y + leading * 0.75,
        content.place_date,
        BODY,
        align="R",
        width_mm=width,
    )
    pdf.y += leading * 2
    element = pdf.element("P")
    for line in content.addressee.lines:
        pdf.text_at(
            element,
            pdf.l_margin,
            pdf.y + leading * 0.75,
            line,
            BODY,
            bold=line == content.addressee.lines[0],
        )
        pdf.y += leading
    pdf.y += 8


def _call(pdf: DeliveryPdf, call: CallSection) -> None:
    """The call as the signers read it; marked in its own language when it is not the letter's."""
    pdf.y += 2
    pdf.heading(call.heading, 2)
    if call.fallback:
        pdf.paragraph(call.fallback_note, size=9, gap=3, gray=GREY)
    lang = _lang(call)
    # The call's own direction: an Arabic call given in an English letter stays right to left.
    way = direction(call.language)
    listing = None
    for block in call.blocks:
        if listing is not None and block.kind != "item":
            pdf.y += 1.5  # a list ends: the usual space before what follows
        if block.kind == "heading":
            listing = None
            pdf.heading(block.text, 3, size=BODY + 0.5, attributes=lang, direction=way)
        elif block.kind == "item":
            listing = listing or pdf.element("L", attributes=lang)
            text = f"{block.marker} {block.text}" if block.marker else block.text
            pdf.paragraph(
                text,
                size=BODY,
                gap=1.5,
                kind="LBody",
                parent=pdf.element("LI", listing),
                indent=4,
                direction=way,
            )
        else:
            listing = None
            pdf.paragraph(block.text, size=BODY, gap=3, attributes=lang, direction=way)
    pdf.y += 2


def _totals(
    content: LetterContent, stats: dict[str, CountryStats], own: CountryStats, names_mode: bool
) -> list[str]:
    """How many signed, here and worldwide, between which dates, and what the package holds."""
    language, country = content.language, content.addressee.country_name
    totals = content.totals
    firsts = [s.first for s in stats.values() if s.first]
    lasts = [s.last for s in stats.values() if s.last]
    lines = [
        _(
            "Signatures from %(country)s: %(count)s",
            country=country,
            count=_number(totals.country, language),
        ),
        _("Signatures worldwide: %(count)s", count=_number(totals.worldwide, language)),
        _("Countries and territories: %(count)s", count=_number(totals.countries, language)),
        _(
            "Signatures from %(country)s were confirmed between %(first)s and %(last)s.",
            country=country,
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
    if names_mode:
        lines.append(
            _(
                "The enclosed list names each signer from %(country)s: signatures.pdf "
                "to read and print, signatures.csv for working files.",
                country=country,
            )
        )
    else:
        lines.append(
            _(
                "To protect the people who signed, this delivery contains totals "
                "only: no names are handed over."
            )
        )
    lines.append(
        _(
            "manifest.json lists the SHA-256 checksum of every file in this package; "
            "the checksum of manifest.json itself is published on the call's page."
        )
    )
    return lines


def _first_signatories(pdf: DeliveryPdf, first: FirstSignatories) -> None:
    """The notable first signatories, kept together under their heading on one page
    (or, for a list longer than a page, the heading with at least its first three)."""
    if not first.people:
        return
    lines = [f"{p.name} — {p.title}" if p.title else p.name for p in first.people]
    leading = BODY / PT * 1.45
    heading = 12 / PT * 1.45 + 6
    whole = heading + sum(pdf.lines_needed(line, BODY) * leading + 0.5 for line in lines)
    page = pdf.h - 36
    pdf.keep_together(whole if whole <= page else heading + 3 * (leading + 0.5) + 3)
    pdf.y += 3
    pdf.heading(first.heading, 2)
    listing = pdf.element("L")
    for line in lines:
        pdf.paragraph(line, size=BODY, gap=0.5, kind="LBody", parent=pdf.element("LI", listing))


def _closing(pdf: DeliveryPdf, content: LetterContent) -> None:
    """The formal closing, room for a signature, who signs and for whom: never split."""
    closing = content.closing
    leading = BODY / PT * 1.45
    pdf.keep_together(6 + leading * len(closing.lines) + 14)
    pdf.y += 6
    pdf.paragraph(closing.phrase, size=BODY, gap=14)
    for line in (closing.signatory, closing.organisation):
        if line:
            pdf.paragraph(line, size=BODY, gap=0.5, bold=line == closing.organisation)


def _chart(pdf: DeliveryPdf, content: LetterContent) -> None:
    """Annex: signatures per country in the letter's alphabetical order, with bars.

    Tagged as one table (country, signatures) with column headers; the
    header row is repeated on each page as an artifact, the bars are
    artifacts too (the numbers beside them say the same).
    """
    rows = content.totals.by_country
    if not rows:
        return
    pdf.add_page()
    pdf.heading(_("Signatures by country"), 2, size=13, gap=4)
    largest = max(row.count for row in rows) or 1
    table = pdf.element("Table")
    labels = (_("Country"), _("Signatures"))
    _chart_header(pdf, labels, pdf.element("TR", pdf.element("THead", table)))
    body = pdf.element("TBody", table)
    height = 6.0
    for row in rows:
        if pdf.y + height > pdf.h - 18:
            pdf.add_page()
            with pdf.artifact():
                _chart_header(pdf, labels, None)
        cells = pdf.element("TR", body)
        baseline = pdf.y + height * 0.68
        pdf.text_at(
            pdf.element("TD", cells),
            18,
            baseline,
            row.name,
            8.5,
            bold=row.addressed,
            align="R",
            width_mm=52,
            country=row.code,
        )
        width = max(100 * row.count / largest, 0.4)
        pdf.bar(
            72, pdf.y + 0.9, width, height - 1.8, (196, 52, 32) if row.addressed else (64, 110, 160)
        )
        pdf.text_at(
            pdf.element("TD", cells),
            72 + width + 2,
            baseline,
            _number(row.count, content.language),
            8,
            bold=row.addressed,
        )
        pdf.y += height


def _chart_header(pdf: DeliveryPdf, labels: tuple[str, str], row) -> None:
    """The table's header cells (``row``), or their repetition on a later page (None)."""
    baseline = pdf.y + 4
    for text, x, align in ((labels[0], 18, "R"), (labels[1], 72, "L")):
        if row is None:
            pdf.draw(x, baseline, text, 7.5, bold=True, align=align, width_mm=52)
        else:
            cell = pdf.element("TH", row, COLUMN_HEADER)
            pdf.text_at(cell, x, baseline, text, 7.5, bold=True, align=align, width_mm=52)
    pdf.y += 6.5


def _lang(call: CallSection) -> str:
    """A structure element's /Lang for the call's text when it is not in the letter's language."""
    return f" /Lang {text_string(call.language)}" if call.fallback else ""


def _bare(url: str) -> str:
    """A website as a letterhead prints it: without its scheme or trailing slash."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            url = url[len(scheme) :]
    return url.rstrip("/")


def _number(n: int, language: str) -> str:
    return format_decimal(n, locale=language)


def _date(value: datetime | None, language: str) -> str:
    # CLDR's long date, not the date line's pattern (French "le 3 décembre" opens a line only).
    return format_date(value.date(), "long", locale=language) if value else "—"
