"""A delivery's list of signatures: ``signatures.csv`` and ``signatures.pdf``, in one pass.

The CSV is the canonical list (its SHA-256 is the manifest's
``list_sha256``); the PDF is the same people as a printable table. Only the
recipient country's counted signatures are listed, oldest confirmation
first, with the fields the campaign chose. Loads the PDF libraries: import
it only where packages are made.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Callable, Iterator

from flask_babel import gettext as _
from sqlalchemy import select

from .. import countries
from ..database import utc_date
from ..extensions import db
from ..models import Petition, Signature
from .csvfiles import neutralise
from .delivery_options import FIELD_COLUMNS
from .pdf import DeliveryPdf
from .queries import STREAM_BATCH, counted

# Told how many more signatures are written, to move a progress bar.
Progress = Callable[[int], None]


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


def write_list(
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
