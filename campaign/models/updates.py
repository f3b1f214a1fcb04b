"""Updates to supporters: news about a call, and who has been sent each one."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, one_of, utcnow
from .petitions import Petition


class UpdateStatus(enum.StrEnum):
    DRAFT = "draft"
    SENDING = "sending"
    SENT = "sent"


class SupporterUpdate(db.Model):
    """News about a call, sent to confirmed signers who asked for it."""

    __tablename__ = "supporter_update"
    __table_args__ = (CheckConstraint(one_of("status", UpdateStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body_markdown: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=UpdateStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))
    sending_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    petition: Mapped[Petition] = relationship()


class UpdateDelivery(db.Model):
    """One update queued for one signature; the key makes a second copy impossible."""

    __tablename__ = "update_delivery"

    update_id: Mapped[int] = mapped_column(ForeignKey("supporter_update.id"), primary_key=True)
    signature_id: Mapped[int] = mapped_column(ForeignKey("signature.id"), primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
