"""Delivery packages: what is handed to a government, and how its recipient can check it.

A package for one country is a folder (inside a ZIP) holding:

* ``letter.pdf``: the cover letter to that country's government, in the
  language chosen for the delivery: the call's text, the totals (overall
  and for that country), the dates, the notable signatories, and a chart of
  signatures by country;
* ``signatures.pdf`` and ``signatures.csv``: that country's counted
  signatures with the fields the campaign chose (left out when the call
  delivers counts only, to protect signers from their own government);
* ``SHA256SUMS``: the SHA-256 of each of those files, for ``sha256sum -c``;
* ``manifest.json``: the count, the time of export, the SHA-256 of every
  other file, and ``list_sha256``: the SHA-256 of the canonical list, which
  is exactly the bytes of ``signatures.csv``.

Each package is recorded as a :class:`~campaign.models.Delivery` with the
SHA-256 of its ``manifest.json`` and listed on the call's public page, so a
recipient can check that the package they hold is the one that was sent.
Only counted signatures (confirmed and ok) are ever included. Nothing here
commits: the caller does, once the ZIP is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from babel.dates import format_date
from babel.numbers import format_decimal
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from .. import countries
from ..extensions import db
from ..models import Delivery, DeliveryMode, Petition, Signature, utcnow
from ..petitions.services import visible_notables
from .csvfiles import neutralise
from .delivery_options import (
    FIELD_COLUMNS,
    LANGUAGES,
    CountryStats,
    country_stats,
    delivery_fields,
)
from .pdf import DeliveryPdf
from .queries import STREAM_BATCH, counted, iso_utc, utc_date

FORMAT = "campaign-delivery/1"
LIST_DEFINITION = (
    "SHA-256 of signatures.csv exactly as included: UTF-8 without a byte order mark, "
    "comma-separated with CRLF line ends, a header row, then one row per counted "
    "signature from the recipient country, oldest confirmation first."
)

Progress = Callable[[int], None]


class DeliveryError(ValueError):
    """A delivery that cannot be made as asked (unknown country or language)."""


@dataclass
class CountryPackage:
    country: str
    count: int
    manifest_sha256: str
    files: dict[str, str] = field(default_factory=dict)


@dataclass
class DeliveryResult:
    zip_path: str
    packages: list[CountryPackage]

    @property
    def count(self) -> int:
        return sum(p.count for p in self.packages)


def build_delivery(
    petition: Petition,
    *,
    out_dir: str,
    country: str | None = None,
    language: str = "en",
    progress: Progress | None = None,
    now: datetime | None = None,
) -> DeliveryResult:
    """Write the ZIP for one government (``country``) or all of them, and record each.

    Returns where the ZIP is and what each country's package holds. The
    Delivery rows are added to the session; the caller commits.
    """
    if language not in LANGUAGES:
        raise DeliveryError(f"unknown language {language!r}: choose one of {', '.join(LANGUAGES)}")
    if country is not None and country not in countries.codes():
        raise DeliveryError(f"unknown country code {country!r}")
    now = (now or utcnow()).replace(microsecond=0)
    stats = country_stats(petition)
    targets = [country] if country else sorted(stats)
    if not targets:
        raise DeliveryError("this call has no counted signatures to deliver")
    stamp = now.strftime("%Y%m%d-%H%M%S")
    os.makedirs(out_dir, exist_ok=True)
    zip_name = f"{petition.slug}-{country or 'all'}-{stamp}.zip"
    zip_path = os.path.join(out_dir, zip_name)
    packages = []
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".delivery-") as work:
        for code in targets:
            folder = os.path.join(work, code)
            os.makedirs(folder)
            with force_locale(language):
                package = _build_country(
                    petition, code, language, stats, folder, now, progress or (lambda n: None)
                )
            packages.append(package)
        partial = zip_path + ".part"
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for code in targets:
                folder = os.path.join(work, code)
                for name in sorted(os.listdir(folder)):
                    archive.write(os.path.join(folder, name), f"{code}/{name}")
        os.replace(partial, zip_path)
    for package in packages:
        db.session.add(
            Delivery(
                petition_id=petition.id,
                recipient_country=package.country,
                signature_count=package.count,
                language=language,
                mode=petition.delivery_mode,
                manifest_sha256=package.manifest_sha256,
                created_at=now,
            )
        )
    # Retention counts from the last delivery: personal data is erased a set time after it.
    petition.delivered_at = now
    db.session.flush()
    return DeliveryResult(zip_path, packages)


def _build_country(
    petition: Petition,
    code: str,
    language: str,
    stats: dict[str, CountryStats],
    folder: str,
    now: datetime,
    progress: Progress,
) -> CountryPackage:
    names_mode = petition.delivery_mode != DeliveryMode.COUNTS_ONLY
    fields = delivery_fields(petition)
    files: dict[str, str] = {}
    own = stats.get(code, CountryStats(0, None, None))
    count = own.count
    list_sha256 = None
    if names_mode:
        count, files["signatures.csv"] = _write_list(
            petition, code, language, fields, folder, progress
        )
        list_sha256 = files["signatures.csv"]
        files["signatures.pdf"] = _sha256(os.path.join(folder, "signatures.pdf"))
        own = CountryStats(count, own.first, own.last)
    else:
        progress(count)
    letter = _letter(petition, code, language, stats, own, names_mode, now)
    letter.output(os.path.join(folder, "letter.pdf"))
    files["letter.pdf"] = _sha256(os.path.join(folder, "letter.pdf"))
    order = ["letter.pdf", "signatures.pdf", "signatures.csv"]
    sums = "".join(f"{files[name]}  {name}\n" for name in order if name in files)
    with open(os.path.join(folder, "SHA256SUMS"), "w", encoding="utf-8", newline="\n") as f:
        f.write(sums)
    files["SHA256SUMS"] = hashlib.sha256(sums.encode("utf-8")).hexdigest()
    manifest = {
        "format": FORMAT,
        "call": {
            "slug": petition.slug,
            "title": petition.title,
            "url": f"{current_app.config['BASE_URL']}/petitions/{petition.slug}",
        },
        "recipient": {"country": code, "name": countries.name(code, "en")},
        "language": language,
        "mode": petition.delivery_mode,
        "fields": fields if names_mode else [],
        "signature_count": count,
        "total_signature_count": sum(s.count for s in stats.values()),
        "first_confirmed_at": iso_utc(own.first) or None,
        "last_confirmed_at": iso_utc(own.last) or None,
        "exported_at": iso_utc(now),
        "files": [
            {"name": name, "sha256": files[name], "bytes": os.path.getsize(f"{folder}/{name}")}
            for name in [*order, "SHA256SUMS"]
            if name in files
        ],
        "list_sha256": list_sha256,
        "list_sha256_definition": LIST_DEFINITION if names_mode else None,
    }
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    with open(os.path.join(folder, "manifest.json"), "wb") as f:
        f.write(data)
    return CountryPackage(code, count, hashlib.sha256(data).hexdigest(), files)


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _list_rows(petition: Petition, code: str) -> Iterator[tuple[str, str, str, str]]:
    query = (
        select(
            Signature.name,
            Signature.country,
            utc_date(Signature.confirmed_at),
            Signature.language,
        )
        .where(counted(petition.id), Signature.country == code)
        .order_by(Signature.confirmed_at, Signature.id)
        .execution_options(stream_results=True, yield_per=STREAM_BATCH)
    )
    for name, country, confirmed_on, language in db.session.execute(query):
        yield name or "", country, confirmed_on, language


def _write_list(
    petition: Petition,
    code: str,
    language: str,
    fields: list[str],
    folder: str,
    progress: Progress,
) -> tuple[int, str]:
    """Write signatures.csv and signatures.pdf in one pass; return (rows, CSV SHA-256)."""
    country_name = countries.name(code, language)
    columns = [column for f in fields for column in FIELD_COLUMNS[f]]
    table = _ListTable(petition, code, country_name, fields)
    digest = hashlib.sha256()
    count = 0
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with open(os.path.join(folder, "signatures.csv"), "wb") as out:

        def flush() -> None:
            data = buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            out.write(data)
            digest.update(data)

        writer.writerow(columns)
        for name, country, confirmed_on, signer_language in _list_rows(petition, code):
            values = {
                "name": (name,),
                "country": (country, country_name),
                "confirmed_at": (confirmed_on,),
                "language": (signer_language,),
            }
            cells = [cell for f in fields for cell in values[f]]
            writer.writerow([neutralise(c) for c in cells])
            table.row(count + 1, name, country_name, confirmed_on, signer_language)
            count += 1
            if count % 1000 == 0:
                flush()
                progress(1000)
        flush()
        progress(count % 1000)
    table.finish(count)
    table.pdf.output(os.path.join(folder, "signatures.pdf"))
    return count, digest.hexdigest()


class _ListTable:
    """The list of signatures as a printable table, one line per person."""

    ROW = 5.6
    SIZE = 9.5

    def __init__(self, petition: Petition, code: str, country_name: str, fields: list[str]):
        title = _("Signatures from %(country)s", country=country_name)
        self.pdf = DeliveryPdf(title=title, footer_text=f"{petition.title} · {title}")
        self.pdf.set_text_color(0)
        self.fields = fields
        self.title = title
        self.petition = petition
        self.y = 0.0
        self.columns = self._columns()
        self._new_page()

    def _columns(self) -> list[tuple[str, str, float]]:
        widths = {"name": 78.0, "country": 44.0, "confirmed_at": 30.0, "language": 16.0}
        labels = {
            "name": _("Name"),
            "country": _("Country"),
            "confirmed_at": _("Confirmed on"),
            "language": _("Language"),
        }
        x = 18.0 + 12.0
        columns = []
        for f in self.fields:
            columns.append((f, labels[f], x))
            x += widths[f]
        return columns

    def _new_page(self) -> None:
        pdf = self.pdf
        pdf.add_page()
        pdf.name_at(18, 22, 170, self.title, 11)
        for _f, label, x in self.columns:
            pdf.name_at(x, 30, 40, label, 8.5)
        pdf.set_draw_color(160)
        pdf.line(18, 31.5, 192, 31.5)
        self.y = 31.5 + self.ROW

    def row(self, number: int, name: str, country: str, date: str, language: str) -> None:
        if self.y > 297 - 22:
            self._new_page()
        pdf = self.pdf
        values = {"country": country, "confirmed_at": date, "language": language}
        pdf.shaping(False)
        pdf.use("NotoSans", size=self.SIZE)
        pdf.text(18, self.y, str(number))
        for f, _label, x in self.columns:
            if f == "name":
                pdf.name_at(x, self.y, 76, name, self.SIZE)
            else:
                pdf.name_at(x, self.y, 40, values[f], self.SIZE)
        self.y += self.ROW

    def finish(self, count: int) -> None:
        if count == 0:
            self.pdf.name_at(18, self.y, 170, _("No counted signatures from this country."), 10)


# -- the cover letter ---------------------------------------------------------------------


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


def _letter(
    petition: Petition,
    code: str,
    language: str,
    stats: dict[str, CountryStats],
    own: CountryStats,
    names_mode: bool,
    now: datetime,
) -> DeliveryPdf:
    country_name = countries.name(code, language)
    total = sum(s.count for s in stats.values())
    firsts = [s.first for s in stats.values() if s.first]
    lasts = [s.last for s in stats.values() if s.last]
    pdf = DeliveryPdf(title=petition.title, footer_text=petition.title)
    pdf.add_page()
    pdf.paragraph(_("To the Government of %(country)s", country=country_name), bold=True)
    pdf.paragraph(_date(now, language), gap=6)
    pdf.paragraph(petition.title, size=15, bold=True, gap=4)
    organisation = petition.organisation or _("the organisers of this call")
    pdf.paragraph(
        _(
            "On behalf of %(organisation)s, we hand you the call below, signed by "
            "%(count)s people in %(country)s and by %(total)s people worldwide.",
            organisation=organisation,
            count=_number(own.count, language),
            country=country_name,
            total=_number(total, language),
        ),
        gap=5,
    )
    pdf.paragraph(_("The call"), size=12, bold=True)
    for paragraph in _plain(petition.body_markdown):
        pdf.paragraph(paragraph)
    pdf.ln(3)
    pdf.paragraph(_("The signatures"), size=12, bold=True)
    lines = [
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
    if names_mode:
        lines.append(
            _(
                "The enclosed list names each signer from %(country)s: signatures.pdf to "
                "read and print, signatures.csv for working files.",
                country=country_name,
            )
        )
    else:
        lines.append(
            _(
                "To protect the people who signed, this delivery contains totals only: "
                "no names are handed over."
            )
        )
    lines.append(
        _(
            "manifest.json lists the SHA-256 checksum of every file in this package; the "
            "checksum of manifest.json itself is published on the call's page."
        )
    )
    for line in lines:
        pdf.paragraph(line, gap=1.5)
    notables = visible_notables(petition)
    if notables:
        pdf.ln(3)
        pdf.paragraph(_("First signatories"), size=12, bold=True)
        for person in notables:
            pdf.paragraph(
                f"{person.name} — {person.title}" if person.title else person.name, gap=0.5
            )
    _chart_page(pdf, code, language, stats)
    return pdf


def _chart_page(pdf: DeliveryPdf, code: str, language: str, stats: dict[str, CountryStats]):
    """Signatures by country as horizontal bars, the recipient's own country highlighted."""
    pdf.add_page()
    pdf.paragraph(_("Signatures by country"), size=13, bold=True, gap=4)
    ranked = sorted(stats.items(), key=lambda item: (-item[1].count, item[0]))
    top = ranked[:24]
    if code in stats and code not in dict(top):
        top = [*top[:23], (code, stats[code])]
    rest = sum(s.count for c, s in ranked if c not in dict(top))
    bars = [(countries.name(c, language), s.count, c == code) for c, s in top]
    if rest:
        bars.append((_("All other countries"), rest, False))
    largest = max((n for _name, n, _own in bars), default=1) or 1
    y = pdf.get_y() + 2
    label_width, bar_left, bar_width, height = 52.0, 72.0, 100.0, 6.2
    for name, n, own in bars:
        pdf.shaping(pdf.needs_shaping(name))
        pdf.use("NotoSans", "B" if own else "", size=8.5)
        pdf.set_xy(18, y)
        pdf.cell(label_width, height, name[:38], align="R")
        width = max(bar_width * n / largest, 0.4)
        pdf.set_fill_color(*((196, 52, 32) if own else (64, 110, 160)))
        pdf.rect(bar_left, y + 0.8, width, height - 1.6, style="F")
        pdf.name_at(bar_left + width + 2, y + height * 0.72, 20, _number(n, language), 8)
        y += height + 1.2
