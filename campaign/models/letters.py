"""What a delivery's cover letter says beyond the call: who sends it (the organisation's
settings, one row) and the cover text its editors wrote for each call and language.

Kept in the database, like portraits, so every web process and the package worker
read the same letterhead (see ``campaign.letters``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow

# The one row of organisation_settings.
SETTINGS_ID = 1


class OrganisationSettings(db.Model):
    """The organisation as its letters present it: letterhead, place, who signs.

    One row (id 1), edited by administrators. ``place_names`` holds the place's
    name in other languages (``{"fr": "Genève"}``); a letter in a language
    without one uses ``place``. The logo is kept re-encoded as PNG.
    """

    __tablename__ = "organisation_settings"
    __table_args__ = (CheckConstraint(f"id = {SETTINGS_ID}", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200), default="")
    postal_address: Mapped[str] = mapped_column(Text, default="")
    contact_email: Mapped[str] = mapped_column(String(320), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    place_names: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Name and role of the person who signs the letters, as printed under the closing.
    signatory: Mapped[str] = mapped_column(String(200), default="")
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_sha256: Mapped[str | None] = mapped_column(String(64))
    logo_width: Mapped[int | None] = mapped_column(Integer)
    logo_height: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))


class LetterCoverText(db.Model):
    """The opening of a call's cover letter in one language, written by its editors.

    A language without one gets a default drawn from the call (see
    ``campaign.letters.cover``).
    """

    __tablename__ = "letter_cover_text"
    __table_args__ = (UniqueConstraint("petition_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))
