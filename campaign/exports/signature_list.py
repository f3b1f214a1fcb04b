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
from datetime import datetime
from typing import ClassVar

from flask_babel import gettext as _
from sqlalchemy import select

from .. import countries
from ..database import utc_date
from ..extensions import db
from ..models import Petition, Signature
from ..petitions.services import call_text
from ..receipts.trees import LeafCollector
from .csvfiles import neutralise
from .delivery_options import FIELD_COLUMNS
from .pdf import COLUMN_HEADER, DeliveryPdf
from .queries import STREAM_BATCH, counted
from .tagging import Element

# Told how many more signatures are written, to move a progress bar.
Progress = Callable[[int], None]


_Row = tuple[str, str, str, str, str, bytes | None]


def _list_rows(petition: Petition, code: str) -> Iterator[_Row]:
    query = (
        select(
            Signature.name,
            Signature.country,
            utc_date(Signature.confirmed_at),
            Signature.language,
            # For the receipts' leaves, gathered in this same pass (receipts.trees).
            Signature.public_id,
            Signature.receipt_secret,
        )
        .where(counted(petition.id), Signature.country == code)
        .order_by(Signature.confirmed_at, Signature.id)
        .execution_options(stream_results=True, yield_per=STREAM_BATCH)
    )
    for name, country, confirmed_on, language, public_id, secret in db.session.execute(query):
        yield name or "", country, confirmed_on, language, public_id, secret


def write_list(
    petition: Petition,
    code: str,
    language: str,
    fields: list[str],
    folder: str,
    progress: Progress,
    now: datetime | None = None,
    leaves: LeafCollector | None = None,
) -> tuple[int, str]:
    """Write signatures.csv and signatures.pdf in one pass; return (rows, CSV SHA-256).

    ``leaves`` gathers each listed signature's receipt leaf from the same
    rows, so the package's Merkle tree holds exactly the signatures listed.
    """
    country_name = countries.name(code, language)
    columns = [column for f in fields for column in FIELD_COLUMNS[f]]
    table = _ListTable(petition, code, country_name, fields, language, now)
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
        for name, country, confirmed_on, signer_language, public_id, secret in _list_rows(
            petition, code
        ):
            if leaves is not None:
                leaves.add(public_id, secret, country, confirmed_on)
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
    """The list of signatures as a tagged table: a header row of column names, a row each.

    The table's header cells are tagged once, on the first page; on later
    pages the repeated title and header are drawn as pagination artifacts,
    as is each row's number, a reading aid on paper.
    """

    ROW = 5.6
    SIZE = 9.5
    WIDTHS: ClassVar[dict[str, float]] = {
        "name": 78.0,
        "country": 44.0,
        "confirmed_at": 30.0,
        "language": 16.0,
    }

    def __init__(
        self,
        petition: Petition,
        code: str,
        country_name: str,
        fields: list[str],
        language: str,
        now: datetime | None = None,
    ):
        title = _("Signatures from %(country)s", country=country_name)
        self.pdf = DeliveryPdf(
            title=title,
            language=language,
            # The call's title as the letter gives it: in its language when translated.
            footer_text=f"{call_text(petition, language).title} · {title}",
            created=now,
        )
        self.code = code
        self.fields = fields
        self.title = title
        self.y = 0.0
        self.columns = self._columns()
        self.table = self.pdf.element("Table")
        self.body: Element | None = None
        self._new_page()

    def _columns(self) -> list[tuple[str, str, float]]:
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
            x += self.WIDTHS[f]
        return columns

    def _new_page(self) -> None:
        pdf = self.pdf
        pdf.add_page()
        if self.body is None:
            pdf.text_at(pdf.element("H1", None), 18, 22, self.title, 11, bold=True)
            row = pdf.element("TR", pdf.element("THead", self.table))
            for _f, label, x in self.columns:
                cell = pdf.element("TH", row, COLUMN_HEADER)
                pdf.text_at(cell, x, 30, label, 8.5, bold=True)
            self.body = pdf.element("TBody", self.table)
        else:
            with pdf.artifact("/Pagination /Subtype /Header"):
                pdf.draw(18, 22, self.title, 11, bold=True)
                for _f, label, x in self.columns:
                    pdf.draw(x, 30, label, 8.5, bold=True)
        with pdf.artifact():
            pdf.set_draw_color(160)
            pdf.line(18, 31.5, 192, 31.5)
        self.y = 31.5 + self.ROW

    def row(self, number: int, name: str, country: str, date: str, language: str) -> None:
        if self.y > 297 - 22:
            self._new_page()
        pdf = self.pdf
        assert self.body is not None
        row = pdf.element("TR", self.body)
        values = {"name": name, "country": country, "confirmed_at": date, "language": language}
        with pdf.artifact():
            pdf.draw(18, self.y, str(number), self.SIZE, gray=110)
        for f, _label, x in self.columns:
            pdf.text_at(pdf.element("TD", row), x, self.y, values[f], self.SIZE, country=self.code)
        self.y += self.ROW

    def finish(self, count: int) -> None:
        if count == 0:
            message = _("No counted signatures from this country.")
            self.pdf.paragraph_at(18, self.y, message, 10)
