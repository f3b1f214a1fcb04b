"""News to signers of what their government did: one announcement per recorded delivery
or answer, and who has been sent each one."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, one_of, utcnow
from .deliveries import Delivery, GovernmentResponse


class NewsEvent(enum.StrEnum):
    """What the government did: received the call, or answered it."""

    DELIVERY = "delivery"
    RESPONSE = "response"


class NewsStatus(enum.StrEnum):
    SENDING = "sending"
    SENT = "sent"


class GovernmentNews(db.Model):
    """A delivery or an answer being told to the signers of its country who asked.

    One per event (the delivery, or its answer): announcing again changes
    nothing. Batches resume from it until nobody is left (``status`` sent).
    It goes with its delivery or answer should an organiser delete one.
    """

    __tablename__ = "government_news"
    __table_args__ = (
        UniqueConstraint("delivery_id", "event"),
        CheckConstraint(one_of("event", NewsEvent), name="event"),
        CheckConstraint(one_of("status", NewsStatus), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    event: Mapped[str] = mapped_column(String(16))
    delivery_id: Mapped[int] = mapped_column(ForeignKey("delivery.id", ondelete="CASCADE"))
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("government_response.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(16), default=NewsStatus.SENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    delivery: Mapped[Delivery] = relationship()
    response: Mapped[GovernmentResponse | None] = relationship()


class GovernmentNewsRecipient(db.Model):
    """One announcement queued for one signature; the key makes a second copy impossible."""

    __tablename__ = "government_news_recipient"

    news_id: Mapped[int] = mapped_column(
        ForeignKey("government_news.id", ondelete="CASCADE"), primary_key=True
    )
    signature_id: Mapped[int] = mapped_column(ForeignKey("signature.id"), primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
