"""The press downloads: the public list as one CSV or JSON document, streamed.

Notables come first, then every public signer, newest first: the same
people as the public list, with the same columns for the web download and
``flask export press``. Rows stream from the database, so memory stays flat
however many there are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import select

from .. import countries
from ..database import utc_date
from ..extensions import db
from ..models import NotableSignatory, Petition, Signature, is_counted
from .csvfiles import FORMULA_STARTS, csv_batches, csv_chunks
from .queries import STREAM_BATCH, not_a_listed_notable, publicly_listed

# The column order of the press CSV and the keys of each JSON item; documented in the README.
PRESS_COLUMNS = (
    "kind",
    "name",
    "country_code",
    "country_name",
    "signed_on",
    "title",
    "category",
)

UTF8_BOM = b"\xef\xbb\xbf"


def press_rows(petition: Petition) -> Iterator[tuple[str, ...]]:
    """Every public row in order: notables first, then public signers, newest first.

    Streams from the database (server-side cursor on PostgreSQL), so memory
    stays flat however many rows there are.
    """
    yield from _notable_rows(petition)
    names = countries._names("en")
    for name, country, signed_on in _signatory_rows(petition):
        yield ("signatory", name, country, names.get(country, country), signed_on, "", "")


def _notable_rows(petition: Petition) -> Iterator[tuple[str, ...]]:
    names = countries._names("en")
    for notable in _exportable_notables(petition):
        yield (
            "notable",
            notable.name,
            notable.country,
            names.get(notable.country, "") if notable.country else "",
            notable.signed_on,
            notable.title,
            notable.category,
        )


def _signatory_rows(petition: Petition) -> Iterator[Any]:
    """(name, country, signed_on) of every public signer, newest first, streamed.

    On SQLite the rows come straight from the driver's cursor: SQLAlchemy's
    result objects cost more than SQLite's own walk of a million rows. On
    PostgreSQL, SQLAlchemy streams through a server-side cursor.
    """
    query = (
        select(Signature.name, Signature.country, utc_date(Signature.confirmed_at))
        .where(publicly_listed(petition.id), not_a_listed_notable(petition.id))
        .order_by(Signature.confirmed_at.desc(), Signature.id.desc())
    )
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        yield from connection.execute(
            query.execution_options(stream_results=True, yield_per=STREAM_BATCH)
        )
        return
    compiled = query.compile(dialect=connection.dialect)
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        while rows := cursor.fetchmany(STREAM_BATCH):
            yield from rows
    finally:
        cursor.close()


def _press_csv(petition: Petition) -> Iterator[bytes]:
    """The press CSV, with a fast path for the million signatory rows.

    Of a signatory's cells only the name can start like a formula (codes,
    country names and dates never do), so only the name is checked; the
    notables, curated text, go through the general path.
    """
    yield from csv_chunks(_notable_rows(petition), PRESS_COLUMNS)
    names = countries._names("en")
    formula = FORMULA_STARTS
    yield from csv_batches(
        (
            "signatory",
            ("'" + name) if name and name[0] in formula else name,
            country,
            names.get(country, country),
            signed_on,
            "",
            "",
        )
        for name, country, signed_on in _signatory_rows(petition)
    )


@dataclass(frozen=True)
class _Notable:
    name: str
    country: str
    title: str
    category: str
    signed_on: str


def _exportable_notables(petition: Petition) -> list[_Notable]:
    """Visible notables; one promoted from a signature only while that signature counts."""
    rows = db.session.execute(
        select(
            NotableSignatory.name,
            NotableSignatory.country,
            NotableSignatory.title,
            NotableSignatory.category,
            Signature.status,
            Signature.validity,
            utc_date(Signature.confirmed_at),
        )
        .outerjoin(Signature, Signature.id == NotableSignatory.signature_id)
        .where(NotableSignatory.petition_id == petition.id, NotableSignatory.visible)
        .order_by(NotableSignatory.sort_order, NotableSignatory.id)
    ).all()
    notables = []
    for name, country, title, category, status, validity, signed_on in rows:
        if status is not None and not is_counted(status, validity):
            continue
        notables.append(_Notable(name, country or "", title, category, signed_on or ""))
    return notables


def json_chunks(petition: Petition, rows: Iterable[tuple[str, ...]]) -> Iterator[bytes]:
    """One JSON document, written as it goes: the call, then an array of signatories."""
    head = {"slug": petition.slug, "title": petition.title, "columns": list(PRESS_COLUMNS)}
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "signatories": ['
    yield opening.encode("utf-8")
    parts: list[str] = []
    first = True
    for row in rows:
        item = json.dumps(dict(zip(PRESS_COLUMNS, row, strict=True)), ensure_ascii=False)
        parts.append(item if first else "," + item)
        first = False
        if len(parts) >= STREAM_BATCH:
            yield "\n".join(parts).encode("utf-8")
            parts.clear()
    parts.append("]}\n")
    yield "\n".join(parts).encode("utf-8")


def press_chunks(petition: Petition, fmt: str) -> Iterator[bytes]:
    """The press download's bytes (without BOM): the same for the web and the CLI."""
    if fmt == "csv":
        return _press_csv(petition)
    if fmt == "json":
        return json_chunks(petition, press_rows(petition))
    raise ValueError(f"unknown format {fmt!r}")


def write_press(petition: Petition, fmt: str, out: IO[bytes], *, bom: bool = False) -> int:
    """Write the press download to ``out``; return the number of bytes written."""
    written = 0
    if bom:
        out.write(UTF8_BOM)
        written += len(UTF8_BOM)
    for chunk in press_chunks(petition, fmt):
        out.write(chunk)
        written += len(chunk)
    return written
