"""Synthetic signatures for demos and benchmarks (``flask seed-signatures``), inserted fast.

The names come from :mod:`.synthetic`; this module turns them into rows of
confirmed, valid signatures spread over the call's life, and inserts a
million of them in seconds. Nothing here commits: the caller commits each
chunk.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from babel.languages import get_official_languages
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import insert

from ..database import dialect_name
from ..extensions import db
from ..models import Lifecycle, Petition, Signature, Validity, utcnow
from ..petitions.forms import consent_label
from .queries import SIGNER_COLUMNS
from .synthetic import NameSource

# A signer from a country none of whose official languages the site has reads it in one of
# these (English twice as often).
_OTHER_LANGUAGES = ("en", "en", "fr", "es")


@cache
def _home_language(country: str, languages: tuple[str, ...]) -> str | None:
    """The first of the country's official languages (CLDR's, by population) that the site
    has: Egypt reads Arabic, China Chinese, Russia Russian, Switzerland French."""
    return next((lang for lang in get_official_languages(country) if lang in languages), None)


def _language(rng: random.Random, country: str, languages: tuple[str, ...]) -> str:
    return _home_language(country, languages) or rng.choice(_OTHER_LANGUAGES)


def seed_signatures(
    petition: Petition,
    count: int,
    *,
    seed: int | None = None,
    public_share: float = 0.35,
    chunk_size: int = 50_000,
    now: datetime | None = None,
    country: str | None = None,
) -> Iterator[int]:
    """Insert ``count`` synthetic confirmed, valid signatures, a chunk at a time.

    Yields the size of each chunk once inserted, so the caller can commit
    and move a progress bar between chunks. Counters are not touched row
    by row: the caller runs ``reconcile_counts`` once at the end, the same
    path the periodic reconcile takes, so they cannot disagree. ``country``
    puts every signer in one country (a government's largest package), with
    names still drawn from every script.
    """
    rng = random.Random(seed)  # noqa: S311 -- synthetic data, not security
    source = NameSource(rng)
    now = (now or utcnow()).astimezone(UTC).replace(tzinfo=None)
    opened = petition.opened_at.replace(tzinfo=None) if petition.opened_at else None
    start = opened if opened and opened < now else now - timedelta(days=365)
    step = (now - start).total_seconds() / count
    run = secrets.token_hex(5)
    insert_rows = _row_inserter(_fixed_values(petition))
    languages = tuple(current_app.config["LANGUAGES"])
    done = 0
    while done < count:
        size = min(chunk_size, count - done)
        rows = []
        for i, (drawn, name) in enumerate(source.draw(size), start=done):
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
                    country or drawn,
                    rng.random() < public_share,
                    rng.random() < 0.2,
                    _language(rng, country or drawn, languages),
                    signed,
                    confirmed,
                )
            )
        insert_rows(rows)
        done += size
        yield size


def _fixed_values(petition: Petition) -> dict[str, Any]:
    """The columns every seeded signature of ``petition`` shares."""
    return {
        "petition_id": petition.id,
        "status": Lifecycle.CONFIRMED.value,
        "validity": Validity.OK.value,
        "text_version": petition.text_version,
        "privacy_version": current_app.config["PRIVACY_NOTICE_VERSION"],
        "consent_text": _consent_text(),
    }


def _row_inserter(fixed: dict[str, Any]) -> Callable[[list[tuple[Any, ...]]], None]:
    """A function inserting seed rows, as fast as the database allows.

    Rows hold naive UTC times. On SQLite, they go straight to the driver's
    ``executemany`` (timestamps in SQLAlchemy's storage format, the text
    ``YYYY-MM-DD HH:MM:SS.ffffff``), skipping per-row work in Python that
    would double the time of a million rows. Elsewhere, SQLAlchemy's bulk
    insert (pipelined by psycopg) does the work.
    """
    if dialect_name() == "sqlite":
        return _sqlite_inserter(fixed)
    table = Signature.__table__

    def insert_core(rows: list[tuple[Any, ...]]) -> None:
        db.session.execute(
            insert(table),
            [
                {
                    **dict(zip(SIGNER_COLUMNS, row, strict=True)),
                    "created_at": row[7].replace(tzinfo=UTC),
                    "confirmed_at": row[8].replace(tzinfo=UTC),
                    "email_canonical": row[2],
                    **fixed,
                }
                for row in rows
            ],
        )

    return insert_core


def _sqlite_inserter(fixed: dict[str, Any]) -> Callable[[list[tuple[Any, ...]]], None]:
    """Seed rows straight to SQLite's ``executemany``, timestamps as SQLAlchemy stores them."""
    columns = (*SIGNER_COLUMNS, "email_canonical", "receipt_secret", *fixed)
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
                    # Past the model's default, as everything here: each row's own secret.
                    secrets.token_bytes(32),
                    *constant,
                )
                for row in rows
            ],
        )

    return insert_sqlite


def _consent_text() -> str:
    """The English consent text, as a signer on the unprefixed site agreed to it."""
    with force_locale("en"):
        return consent_label()
