"""Updates to supporters: news about a call, and who has been sent each one."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, one_of, utcnow
from .petitions import Petition


class UpdateStatus(enum.StrEnum):
    DRAFT = "draft"
    # Confirmed for a later time (``scheduled_for``); frozen, and can go back to a draft.
    SCHEDULED = "scheduled"
    # Batches are being queued, or the outbox still holds some of its messages.
    SENDING = "sending"
    # Everyone was queued and the outbox has dealt with every message.
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
    # Who it goes to: signers in these countries and/or languages; None is everyone.
    target_countries: Mapped[list[str] | None] = mapped_column(JSON)
    target_languages: Mapped[list[str] | None] = mapped_column(JSON)
    # When a scheduled update starts (UTC); the periodic job starts it once due.
    scheduled_for: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The number the organiser confirmed by typing it (for the audit and the page).
    confirmed_recipients: Mapped[int | None] = mapped_column()
    # When the last batch was queued: from then on, only the outbox has work left.
    queued_all_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    petition: Mapped[Petition] = relationship()


class SupporterUpdateTranslation(db.Model):
    """An update's subject and text in another of the site's languages, by its editors.

    Signers who signed in that language get it; everyone else gets the update's
    own text (in its call's main language) with a line saying so. Like a call's
    translation, it records what it was written against, so a change to the
    update's subject or text marks it out of date until it is saved again; the
    source text itself is kept too, so the page can show what changed (an update
    has no versions to compare with). Frozen with its update once sending starts.
    """

    __tablename__ = "supporter_update_translation"
    __table_args__ = (UniqueConstraint("update_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("supporter_update.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(200))
    body_markdown: Mapped[str] = mapped_column(Text)
    # The update's subject and text when this was last saved, and their digest.
    source_subject: Mapped[str] = mapped_column(String(200))
    source_body_markdown: Mapped[str] = mapped_column(Text)
    source_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))


class UpdateDelivery(db.Model):
    """One update queued for one signature; the key makes a second copy impossible."""

    __tablename__ = "update_delivery"

    update_id: Mapped[int] = mapped_column(ForeignKey("supporter_update.id"), primary_key=True)
    signature_id: Mapped[int] = mapped_column(ForeignKey("signature.id"), primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Its email, for the update's figures (sent, bounced); None once erasure removed it.
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="SET NULL"), index=True
    )
