"""Deliveries: the packages handed to governments, listed publicly."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, one_of, utcnow


class DeliveryMode(enum.StrEnum):
    """What a delivery package hands over: the names, or only the totals.

    ``counts_only`` is for causes where naming signers to their own government
    would put them in danger.
    """

    NAMES = "names"
    COUNTS_ONLY = "counts_only"


class Delivery(db.Model):
    """A package handed to one government, listed publicly so its recipient can check it.

    ``manifest_sha256`` is the SHA-256 of the package's ``manifest.json``,
    which in turn holds the SHA-256 of every other file in the package.
    """

    __tablename__ = "delivery"
    __table_args__ = (CheckConstraint(one_of("mode", DeliveryMode), name="mode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    recipient_country: Mapped[str] = mapped_column(String(2))
    signature_count: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8))
    mode: Mapped[str] = mapped_column(String(16))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
