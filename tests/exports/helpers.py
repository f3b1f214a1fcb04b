"""Helpers for the export tests: signatures in every state, made directly in the database."""

from __future__ import annotations

import itertools
import os
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from campaign.exports.storage import scratch_dir
from campaign.extensions import db
from campaign.models import FileKind, Lifecycle, Signature, StoredFile, StoredFileChunk, Validity
from campaign.petitions.counters import reconcile_counts

_counter = itertools.count()

# Names from many scripts, as signers write them.
NAMES = {
    "latin": "Zoë Ångström-Wałęsa",
    "cyrillic": "Фёдор Достоевский",
    "arabic": "محمد البرادعي",
    "chinese": "王秀英",
    "devanagari": "राहुल शर्मा",
}


def add_signature(
    petition_id: int,
    name: str,
    *,
    country: str = "CH",
    public: bool = True,
    status: str = Lifecycle.CONFIRMED,
    validity: str = Validity.OK,
    email: str | None = None,
    confirmed_at: datetime | None = None,
) -> Signature:
    n = next(_counter)
    when = confirmed_at or datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=n)
    signature = Signature(
        petition_id=petition_id,
        name=name,
        email=email or f"person{n}@example.org",
        email_canonical=email or f"person{n}@example.org",
        country=country,
        public=public,
        status=status,
        validity=validity,
        text_version=1,
        privacy_version="test",
        consent_text="I agree.",
        created_at=when - timedelta(minutes=1),
        confirmed_at=when if status != Lifecycle.PENDING else None,
    )
    db.session.add(signature)
    db.session.flush()
    return signature


def reconcile(petition_id: int) -> None:
    from campaign.models import Petition

    reconcile_counts(db.session.get(Petition, petition_id))
    db.session.commit()


def add_excluded(petition_id: int, country: str = "CH") -> dict[str, str]:
    """One signature in each state that must never be shown or exported; returns name -> email."""
    states = {
        "Pending Person": (Lifecycle.PENDING, Validity.OK),
        "Suspect Person": (Lifecycle.CONFIRMED, Validity.SUSPECT),
        "Invalidated Person": (Lifecycle.CONFIRMED, Validity.INVALIDATED),
        "Withdrawn Person": (Lifecycle.WITHDRAWN, Validity.OK),
    }
    emails = {}
    for name, (status, validity) in states.items():
        email = f"{name.split()[0].lower()}@example.org"
        add_signature(
            petition_id, name, country=country, status=status, validity=validity, email=email
        )
        emails[name] = email
    return emails


def package_files(app) -> list[str]:
    """The packages the site keeps (in the database), and whatever the worker's scratch
    folder still holds (staging folders a build leaves behind it)."""
    with app.app_context():
        names = db.session.scalars(
            select(StoredFile.name).where(StoredFile.kind == FileKind.PACKAGE)
        ).all()
        folder = scratch_dir()
    left = os.listdir(folder) if os.path.isdir(folder) else []
    return sorted([*names, *left])


def package_bytes(app, name: str) -> bytes:
    """A kept package's ZIP, read back from its chunks."""
    with app.app_context():
        file_id = db.session.scalar(
            select(StoredFile.id).where(
                StoredFile.kind == FileKind.PACKAGE, StoredFile.name == name
            )
        )
        return b"".join(
            db.session.scalars(
                select(StoredFileChunk.data)
                .where(StoredFileChunk.file_id == file_id)
                .order_by(StoredFileChunk.seq)
            )
        )
