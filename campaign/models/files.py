"""Files every web host reads alike: press snapshots and delivery packages, in chunks.

A file is a :class:`StoredFile` row (what it is, whose, its size and
SHA-256) and its bytes in :class:`StoredFileChunk` rows of about a megabyte
each, in order, so a file of hundreds of megabytes is written and read a
chunk at a time and never whole in memory. A file is readable once
``completed_at`` is set; until then it is being written, and ``writer_key``
(unique, NULL once complete) is held by its one writer under a lease
(``lease_until``), so two hosts never write the same snapshot at once.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, one_of, utcnow


class FileKind(enum.StrEnum):
    PRESS = "press"  # a press download's snapshot, public, rewritten every few minutes
    PACKAGE = "package"  # a delivery package's ZIP: personal data, erased with the call's
    # A publication's PDF in one language: public once published; belongs to no call
    # (``petition_id`` NULL), found through its ``publication_file`` row.
    PUBLICATION = "publication"


class StoredFile(db.Model):
    __tablename__ = "stored_file"
    __table_args__ = (
        CheckConstraint(one_of("kind", FileKind), name="kind"),
        Index("ix_stored_file_owner", "kind", "petition_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    # NULL for a file that belongs to no call (a publication's).
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"), index=True)
    # The name it is served under (a snapshot's versions share theirs).
    name: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    sha256: Mapped[str | None] = mapped_column(String(64))
    # When its data was read: a snapshot's Last-Modified and ETag.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    writer_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StoredFileChunk(db.Model):
    __tablename__ = "stored_file_chunk"

    file_id: Mapped[int] = mapped_column(
        ForeignKey("stored_file.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
