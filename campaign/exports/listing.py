"""The public signatory list: who is shown, one page at a time, and how many are counted.

What the public may see of a signature is fixed by the rules in
:mod:`campaign.models`: a counted signature whose signer chose to be shown
gives its name, country and the date it was confirmed, nothing else. Pages
are read by keyset (a cursor of confirmation time and id), never by offset.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import ColumnElement, Select, event, func, select, text, tuple_
from sqlalchemy.engine import Engine

from ..database import dialect_name
from ..extensions import db
from ..models import PUBLIC_LISTED_SQL, Petition, Signature
from ..petitions.services import country_counts
from .queries import not_a_listed_notable, publicly_listed


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
    if dialect_name() == "sqlite":
        return func.casefold(Signature.name).like(pattern, escape="\\")
    return func.lower(Signature.name.collate("und-x-icu")).like(pattern, escape="\\")


def _listed_query(petition: Petition, *, country: str | None, search: str | None) -> Select:
    query = select(Signature.id, Signature.name, Signature.country, Signature.confirmed_at).where(
        publicly_listed(petition.id), not_a_listed_notable(petition.id)
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

    Kept for a few seconds per app: every search and page of the list shows
    the same number, and at a million public rows the count costs a tenth
    of a second.
    """
    # On the app, not the module: each app (each test's, too) has its own database.
    _count_cache: dict[tuple[int, str | None], tuple[float, int]]
    _count_cache = current_app.extensions.setdefault("exports_public_counts", {})
    key = (petition.id, country)
    now = time.monotonic()
    cached = _count_cache.get(key)
    if cached is not None and now - cached[0] < _COUNT_SECONDS:
        return cached[1]
    count = _count_public(petition, country)
    if len(_count_cache) > 1000:
        _count_cache.clear()
    _count_cache[key] = (now, count)
    return count


def _count_public(petition: Petition, country: str | None) -> int:
    """A count over the partial index, read from the database now.

    The index is named for SQLite, whose planner, without statistics,
    prefers the state index and reads every row.
    """
    if dialect_name() == "sqlite":
        # SQLAlchemy renders no index hints for SQLite: say it in SQL (constants only).
        index = "ix_signature_public_country" if country else "ix_signature_public_list"
        in_country = " AND country = :country" if country else ""
        sql = (
            f"SELECT count(*) FROM signature INDEXED BY {index} "  # noqa: S608
            f"WHERE petition_id = :petition AND {PUBLIC_LISTED_SQL}{in_country}"
        )
        params = {"petition": petition.id, "country": country}
        return db.session.scalar(text(sql), params) or 0
    query = select(func.count()).select_from(Signature).where(publicly_listed(petition.id))
    if country:
        query = query.where(Signature.country == country)
    return db.session.scalar(query) or 0


def counted_total(petition: Petition, country: str | None = None) -> int:
    """The maintained count, overall or for one country."""
    if not country:
        return petition.signature_count
    return dict(country_counts(petition)).get(country, 0)
