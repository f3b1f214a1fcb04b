"""Signatory lists: the public list, the press downloads, seeding, and who downloaded what.

What the public may see of a signature is fixed here, in one place: a
counted signature (confirmed and ok) whose signer chose to be shown gives
its name, country and the date it was confirmed; nothing else ever leaves
through a public path. Functions here never commit and never read the
request; the caller commits.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import random
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import IO, Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, event, func, insert, select, text, tuple_
from sqlalchemy.engine import Engine

from .. import countries
from ..extensions import db
from ..models import (
    COUNTED,
    PUBLIC_LISTED_SQL,
    PUBLICLY_LISTED,
    Lifecycle,
    NotableSignatory,
    Organiser,
    Petition,
    Signature,
    Validity,
    is_counted,
    utcnow,
)
from .synthetic import NameSource

log = logging.getLogger(__name__)

# Rows fetched per round trip when streaming; the memory an export needs is about this many rows.
STREAM_BATCH = 5000


def counted(petition_id: int) -> ColumnElement[bool]:
    """The call's signatures that count, and so may be exported."""
    return and_(Signature.petition_id == petition_id, COUNTED)


def publicly_listed(petition_id: int) -> ColumnElement[bool]:
    """The call's counted signatures whose signers chose to be shown.

    ``PUBLICLY_LISTED`` is the partial indexes' own condition, as literal
    text: SQLite uses a partial index only when the query repeats it term
    for term.
    """
    return and_(Signature.petition_id == petition_id, PUBLICLY_LISTED)


def utc_date(column: Any) -> ColumnElement[str]:
    """``YYYY-MM-DD`` of a UTC timestamp, computed by the database.

    Formatting in SQL spares a million rows the cost of becoming Python
    datetimes only to be printed again.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.substr(column, 1, 10)


# -- seeding -------------------------------------------------------------------------


def seed_signatures(
    petition: Petition,
    count: int,
    *,
    seed: int | None = None,
    public_share: float = 0.35,
    chunk_size: int = 50_000,
    now: datetime | None = None,
) -> Iterator[int]:
    """Insert ``count`` synthetic confirmed, valid signatures, a chunk at a time.

    Yields the size of each chunk once inserted, so the caller can commit
    and move a progress bar between chunks. Counters are not touched row
    by row: the caller runs ``reconcile_counts`` once at the end, the same
    path the periodic reconcile takes, so they cannot disagree.
    """
    rng = random.Random(seed)  # noqa: S311 -- synthetic data, not security
    source = NameSource(rng)
    now = (now or utcnow()).astimezone(UTC).replace(tzinfo=None)
    opened = petition.opened_at.replace(tzinfo=None) if petition.opened_at else None
    start = opened if opened and opened < now else now - timedelta(days=365)
    step = (now - start).total_seconds() / count
    run = secrets.token_hex(5)
    fixed = {
        "petition_id": petition.id,
        "status": Lifecycle.CONFIRMED.value,
        "validity": Validity.OK.value,
        "text_version": petition.text_version,
        "privacy_version": current_app.config["PRIVACY_NOTICE_VERSION"],
        "consent_text": _consent_text(),
    }
    insert_rows = _row_inserter(fixed)
    done = 0
    while done < count:
        size = min(chunk_size, count - done)
        rows = []
        for i, (country, name) in enumerate(source.draw(size), start=done):
            # Signatures arrive in time order, so ids, times and public ids all ascend and
            # every index write appends instead of scattering (it matters at a million rows).
            # Synthetic people need no secret public id: tokens are signed anyway.
            signed = start + timedelta(seconds=step * (i + rng.random()))
            confirmed = min(signed + timedelta(seconds=rng.random() * step), now)
            email = f"seed.{run}.{i:010d}@example.org"
            rows.append(
                (
                    f"seed{run}{i:010d}",
                    name,
                    email,
                    country,
                    rng.random() < public_share,
                    rng.random() < 0.2,
                    rng.choice(_LANGUAGES),
                    signed,
                    confirmed,
                )
            )
        insert_rows(rows)
        done += size
        yield size


_LANGUAGES = ("en", "en", "fr", "es")
_SEED_COLUMNS = (
    "public_id",
    "name",
    "email",
    "country",
    "public",
    "updates",
    "language",
    "created_at",
    "confirmed_at",
)


def _row_inserter(fixed: dict[str, Any]) -> Callable[[list[tuple[Any, ...]]], None]:
    """A function inserting seed rows, as fast as the database allows.

    Rows hold naive UTC times. On SQLite, they go straight to the driver's
    ``executemany`` (timestamps in SQLAlchemy's storage format, the text
    ``YYYY-MM-DD HH:MM:SS.ffffff``), skipping per-row work in Python that
    would double the time of a million rows. Elsewhere, SQLAlchemy's bulk
    insert (pipelined by psycopg) does the work.
    """
    columns = (*_SEED_COLUMNS, "email_canonical", *fixed)
    if db.session.get_bind().dialect.name == "sqlite":
        # Column names are this module's constants; the values are bound parameters.
        names, marks = ", ".join(columns), ", ".join("?" for _ in columns)
        sql = f"INSERT INTO signature ({names}, emails_sent) VALUES ({marks}, 1)"  # noqa: S608
        constant = tuple(fixed.values())

        def insert_sqlite(rows: list[tuple[Any, ...]]) -> None:
            # The caller commits between chunks, which hands the connection back to the pool.
            connection = db.session.connection()
            # For this bulk load only: a large page cache, and no waiting for the disk at
            # each checkpoint (a crash loses synthetic rows, which a re-run replaces).
            connection.exec_driver_sql("PRAGMA cache_size=-262144")
            connection.exec_driver_sql("PRAGMA synchronous=OFF")
            connection.exec_driver_sql(
                sql,
                [
                    (
                        *row[:7],
                        row[7].isoformat(" ", "microseconds"),
                        row[8].isoformat(" ", "microseconds"),
                        row[2],
                        *constant,
                    )
                    for row in rows
                ],
            )

        return insert_sqlite

    table = Signature.__table__

    def insert_core(rows: list[tuple[Any, ...]]) -> None:
        db.session.execute(
            insert(table),
            [
                {
                    **dict(zip(_SEED_COLUMNS, row, strict=True)),
                    "created_at": row[7].replace(tzinfo=UTC),
                    "confirmed_at": row[8].replace(tzinfo=UTC),
                    "email_canonical": row[2],
                    **fixed,
                }
                for row in rows
            ],
        )

    return insert_core


def _consent_text() -> str:
    """The English consent text, as a signer on the unprefixed site agreed to it."""
    from flask_babel import force_locale

    from ..petitions.forms import consent_label

    with force_locale("en"):
        return consent_label()


# -- the public list -------------------------------------------------------------------


@dataclass(frozen=True)
class ListedSignatory:
    name: str
    country: str
    confirmed_at: datetime
    cursor: str


@dataclass(frozen=True)
class SignatoryPage:
    signatories: list[ListedSignatory]
    next_cursor: str | None


class BadCursor(ValueError):
    """A paging cursor that was not made by :func:`list_signatories`."""


def _encode_cursor(confirmed_at: datetime, row_id: int) -> str:
    micros = int(confirmed_at.timestamp() * 1_000_000)
    return f"{micros}-{row_id}"


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        micros, row_id = (int(part) for part in cursor.split("-"))
        return datetime.fromtimestamp(micros / 1_000_000, UTC), row_id
    except (ValueError, OverflowError, OSError):
        raise BadCursor(cursor) from None


def _not_a_listed_notable(petition_id: int) -> ColumnElement[bool]:
    """A signature promoted to notable is listed once, among the notables."""
    linked = select(NotableSignatory.signature_id).where(
        NotableSignatory.petition_id == petition_id,
        NotableSignatory.visible,
        NotableSignatory.signature_id.is_not(None),
    )
    return Signature.id.not_in(linked)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@event.listens_for(Engine, "connect")
def _sqlite_casefold(dbapi_connection, connection_record) -> None:
    """SQLite's lower() folds ASCII only; searching "ångström" must find "Ångström"."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.create_function(
            "casefold", 1, lambda v: v.casefold() if v is not None else None, deterministic=True
        )


def _name_matches(text: str) -> ColumnElement[bool]:
    """Case-insensitive in every script, whatever the database's locale.

    PostgreSQL lowers by the database's LC_CTYPE, which may be C (ASCII only);
    the ICU collation (built into Debian's and most other packages) knows
    Unicode.
    """
    pattern = _like_pattern(text.casefold())
    if db.session.get_bind().dialect.name == "sqlite":
        return func.casefold(Signature.name).like(pattern, escape="\\")
    return func.lower(Signature.name.collate("und-x-icu")).like(pattern, escape="\\")


def _listed_query(petition: Petition, *, country: str | None, search: str | None) -> Select:
    query = select(Signature.id, Signature.name, Signature.country, Signature.confirmed_at).where(
        publicly_listed(petition.id), _not_a_listed_notable(petition.id)
    )
    if country:
        query = query.where(Signature.country == country)
    if search:
        query = query.where(_name_matches(search))
    return query


def list_signatories(
    petition: Petition,
    *,
    country: str | None = None,
    search: str | None = None,
    after: str | None = None,
    per_page: int = 50,
) -> SignatoryPage:
    """One page of public signers, newest first, continuing after ``after`` (keyset paging).

    Keyset paging reads only the rows it shows, through the partial index,
    however deep the page: an offset would walk every row before it.
    """
    query = _listed_query(petition, country=country, search=search)
    if after:
        at, row_id = _decode_cursor(after)
        # A row-value comparison: both databases walk the index straight from the cursor.
        query = query.where(tuple_(Signature.confirmed_at, Signature.id) < tuple_(at, row_id))
    rows = db.session.execute(
        query.order_by(Signature.confirmed_at.desc(), Signature.id.desc()).limit(per_page + 1)
    ).all()
    page = [
        ListedSignatory(r.name, r.country, r.confirmed_at, _encode_cursor(r.confirmed_at, r.id))
        for r in rows[:per_page]
    ]
    next_cursor = page[-1].cursor if len(rows) > per_page else None
    return SignatoryPage(page, next_cursor)


_COUNT_SECONDS = 10.0


def public_count(petition: Petition, country: str | None = None) -> int:
    """How many counted signers chose to be shown, overall or in one country.

    A count over the partial index (named for SQLite, whose planner, without
    statistics, prefers the state index and reads every row), kept for a few
    seconds per app: every search and page of the list shows the same
    number, and at a million public rows the count costs a tenth of a second.
    """
    # On the app, not the module: each app (each test's, too) has its own database.
    _count_cache: dict[tuple[int, str | None], tuple[float, int]]
    _count_cache = current_app.extensions.setdefault("exports_public_counts", {})
    key = (petition.id, country)
    now = time.monotonic()
    cached = _count_cache.get(key)
    if cached is not None and now - cached[0] < _COUNT_SECONDS:
        return cached[1]
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLAlchemy renders no index hints for SQLite: say it in SQL (constants only).
        index = "ix_signature_public_country" if country else "ix_signature_public_list"
        in_country = " AND country = :country" if country else ""
        sql = (
            f"SELECT count(*) FROM signature INDEXED BY {index} "  # noqa: S608
            f"WHERE petition_id = :petition AND {PUBLIC_LISTED_SQL}{in_country}"
        )
        params = {"petition": petition.id, "country": country}
        count = db.session.scalar(text(sql), params) or 0
    else:
        query = select(func.count()).select_from(Signature).where(publicly_listed(petition.id))
        if country:
            query = query.where(Signature.country == country)
        count = db.session.scalar(query) or 0
    if len(_count_cache) > 1000:
        _count_cache.clear()
    _count_cache[key] = (now, count)
    return count


def counted_total(petition: Petition, country: str | None = None) -> int:
    """The maintained count, overall or for one country."""
    if not country:
        return petition.signature_count
    from ..petitions.services import country_counts

    return dict(country_counts(petition)).get(country, 0)


# -- press downloads ---------------------------------------------------------------------

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

# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_STARTS = frozenset("=+-@\t\r")


def neutralise(value: str) -> str:
    """Make a cell a spreadsheet shows as text, never runs (OWASP's CSV injection advice)."""
    if value and value[0] in _FORMULA_STARTS:
        return "'" + value
    return value


def _neutralised(row: tuple[str, ...]) -> list[str]:
    # Inlined neutralise(): this runs for every cell of a million rows.
    return [("'" + c) if c and c[0] in _FORMULA_STARTS else c for c in row]


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
        .where(publicly_listed(petition.id), _not_a_listed_notable(petition.id))
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
    formula = _FORMULA_STARTS
    buffer = _LineBuffer()
    writer = csv.writer(buffer)
    batch: list[tuple[str, ...]] = []
    for name, country, signed_on in _signatory_rows(petition):
        if name and name[0] in formula:
            name = "'" + name
        batch.append(("signatory", name, country, names.get(country, country), signed_on, "", ""))
        if len(batch) >= STREAM_BATCH:
            writer.writerows(batch)
            batch.clear()
            yield buffer.take().encode("utf-8")
    writer.writerows(batch)
    yield buffer.take().encode("utf-8")


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


class _LineBuffer(io.StringIO):
    """A csv.writer target emptied after each batch (the writer wants a file)."""

    def take(self) -> str:
        value = self.getvalue()
        self.seek(0)
        self.truncate()
        return value


def csv_chunks(rows: Iterable[tuple[str, ...]], columns: tuple[str, ...] | None) -> Iterator[bytes]:
    """UTF-8 CSV (RFC 4180, CRLF) in chunks of a few thousand rows, formulas neutralised."""
    buffer = _LineBuffer()
    writer = csv.writer(buffer)
    if columns:
        writer.writerow(columns)
    batch: list[list[str]] = []
    for row in rows:
        batch.append(_neutralised(row))
        if len(batch) >= STREAM_BATCH:
            writer.writerows(batch)
            batch.clear()
            yield buffer.take().encode("utf-8")
    writer.writerows(batch)
    yield buffer.take().encode("utf-8")


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


UTF8_BOM = b"\xef\xbb\xbf"


# -- delivery settings (here, not in delivery.py, so that importing them loads no PDF library)

DELIVERY_LANGUAGES = ("en", "fr", "es")

# Delivery fields a campaign can choose, and the CSV columns each gives, in this order.
DELIVERY_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "country": ("country_code", "country_name"),
    "confirmed_at": ("confirmed_on",),
    "language": ("language",),
}


# -- full data for admins ------------------------------------------------------------------

# The admins' full export: its CSV header and the signature columns it reads, in this order.
FULL_COLUMNS = (
    "public_id",
    "name",
    "email",
    "country",
    "public",
    "updates",
    "language",
    "created_at",
    "confirmed_at",
)


def full_rows(petition: Petition) -> Iterator[tuple[str, ...]]:
    """Every counted signature with its personal data, for organisers with the admin role."""
    query = (
        select(*(Signature.__table__.c[name] for name in FULL_COLUMNS))
        .where(counted(petition.id))
        .order_by(Signature.id)
        .execution_options(stream_results=True, yield_per=STREAM_BATCH)
    )
    for row in db.session.execute(query):
        yield tuple(_cell(value) for value in row)


def _cell(value: Any) -> str:
    """A value as the full export writes it: flags as yes/no, times in ISO 8601 UTC."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return iso_utc(value)
    return value


def iso_utc(value: datetime | None) -> str:
    """ISO 8601 in UTC with a Z, or an empty string."""
    return value.isoformat().replace("+00:00", "Z") if value else ""


def record_download(
    *, petition: Petition, kind: str, actor: Organiser | None, rows: int | None
) -> None:
    """Record a download of personal data in the audit log: who, what and when, never the data.

    The caller commits (a streamed download commits before its first byte).
    """
    from ..organisers import audit

    audit.record(actor, "export.download", "petition", petition.id, {"kind": kind, "rows": rows})
    log.info("export download: petition=%s kind=%s rows=%s", petition.slug, kind, rows)


Progress = Callable[[int], None]
