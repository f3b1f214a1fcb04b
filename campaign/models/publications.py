"""Publications: reports organisers publish, each with its texts and a PDF per language.

A publication's PDFs are :class:`~campaign.models.StoredFile` rows (kind
``publication``, no call), so every web host serves the same bytes; its
cover is re-encoded and kept in ``publication_cover``. Downloads are counted
in :class:`PublicationFile` per publication and language, never per person.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, one_of, utcnow


class PublicationStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Publication(db.Model):
    __tablename__ = "publication"
    __table_args__ = (CheckConstraint(one_of("status", PublicationStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    # The language it was written in: the fallback for a page in a language it lacks.
    language: Mapped[str] = mapped_column(String(8))
    published_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=PublicationStatus.DRAFT)
    # The call it belongs to, if any: that call's page links to it.
    petition_id: Mapped[int | None] = mapped_column(
        ForeignKey("petition.id", ondelete="SET NULL"), index=True
    )
    # Seeded by ``flask seed-demo``: pages say it is a demonstration.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    translations: Mapped[list[PublicationTranslation]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )
    files: Mapped[list[PublicationFile]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )
    cover: Mapped[PublicationCover | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="select"
    )


class PublicationTranslation(db.Model):
    """The title, summary (Markdown) and cover's alt text in one language."""

    __tablename__ = "publication_translation"

    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publication.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    summary_markdown: Mapped[str] = mapped_column(Text, default="")
    cover_alt: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PublicationFile(db.Model):
    """The PDF in one language, and how many times it was downloaded (a count, nothing
    about who: no address, no session, no time of each download)."""

    __tablename__ = "publication_file"

    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publication.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    download_count: Mapped[int] = mapped_column(BigInteger, default=0)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PublicationCover(db.Model):
    """The cover image, re-encoded with Pillow, in the database so every host serves it."""

    __tablename__ = "publication_cover"

    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publication.id", ondelete="CASCADE"), primary_key=True
    )
    content_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
