"""A call and what belongs to it: its text in other languages and past versions, its
counters per country, and its notable first signatories with their portraits and their
titles in other languages.

Kept in one module because a call and its parts refer to each other (a call lists its
notables and translations, each of them names its call).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, one_of, utcnow


class PetitionState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    DELIVERED = "delivered"


class Petition(db.Model):
    """A call people sign. ``signature_count`` is a maintained counter (see the services)."""

    __tablename__ = "petition"
    __table_args__ = (
        CheckConstraint(one_of("state", PetitionState), name="state"),
        CheckConstraint("goal >= 0", name="goal_positive"),
        CheckConstraint("delivery_mode IN ('names', 'counts_only')", name="delivery_mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    background_markdown: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    organisation_url: Mapped[str] = mapped_column(String(500), default="")
    organisation_blurb: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    state: Mapped[str] = mapped_column(String(16), default=PetitionState.DRAFT)
    goal: Mapped[int] = mapped_column(Integer, default=0)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    featured: Mapped[bool] = mapped_column(default=False)
    # Bumped whenever the call's text changes; each signature records the one it was signed under.
    text_version: Mapped[int] = mapped_column(Integer, default=1)
    signature_count: Mapped[int] = mapped_column(Integer, default=0)
    # Retention (see `flask retention run`): unconfirmed signatures are deleted after
    # this many days (never sooner than a confirmation link lives), and personal data
    # is erased this many days after the signatures were delivered.
    pending_retention_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    erase_after_delivery_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A delivery with no answer after this many days shows as "no reply yet".
    reply_wait_days: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    # Delivery settings (see campaign.exports): names or totals only, and which fields go out.
    delivery_mode: Mapped[str] = mapped_column(String(16), default="names", server_default="names")
    delivery_fields: Mapped[str] = mapped_column(
        String(100), default="name,country,confirmed_at", server_default="name,country,confirmed_at"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    notables: Mapped[list[NotableSignatory]] = relationship(
        back_populates="petition",
        order_by="NotableSignatory.sort_order",
        cascade="all, delete-orphan",
    )
    translations: Mapped[list[PetitionTranslation]] = relationship(
        back_populates="petition", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        if self.state != PetitionState.OPEN:
            return False
        return self.closes_at is None or utcnow() < self.closes_at

    @property
    def is_public(self) -> bool:
        return self.state != PetitionState.DRAFT


class PetitionTranslation(db.Model):
    """A call's own text in another language, written by its organisers.

    Pages in that language show it; in a language without one, the call
    falls back to its own text (in ``Petition.language``).
    """

    __tablename__ = "petition_translation"
    __table_args__ = (UniqueConstraint("petition_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"))
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    background_markdown: Mapped[str] = mapped_column(Text, default="")
    # The call's "who runs this call" text (``Petition.organisation_blurb``) in this
    # language; "" in translations saved before it could be translated (pages then show
    # the main one).
    organisation_blurb: Mapped[str] = mapped_column(Text, default="", server_default="")
    # What the translation was written against: the call's ``text_version`` (title and
    # text) and a digest of its main-language title, summary, text, background and
    # organisation text, so a change to any of them marks the translation out of date.
    # 0 and "" for translations saved before this was recorded: nobody knows what they
    # were checked against.
    source_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    source_digest: Mapped[str] = mapped_column(String(64), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    petition: Mapped[Petition] = relationship(back_populates="translations")


class CountryCount(db.Model):
    """Counted signatures per country of residence, maintained beside ``signature_count``."""

    __tablename__ = "country_count"

    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    signature_count: Mapped[int] = mapped_column(Integer, default=0)


class PetitionTextVersion(db.Model):
    """A call's title and text as they stood at one version; signatures record the version."""

    __tablename__ = "petition_text_version"
    __table_args__ = (UniqueConstraint("petition_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body_markdown: Mapped[str] = mapped_column(Text)
    # A short public note of what changed.
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))


class NotableSignatory(db.Model):
    """A curated signatory shown on the call, such as a laureate or a former head of state.

    When promoted from a public signature, ``signature_id`` links to it so the
    person is counted once, through that signature.
    """

    __tablename__ = "notable_signatory"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    category: Mapped[str] = mapped_column(String(100), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    visible: Mapped[bool] = mapped_column(default=True)
    consent_note: Mapped[str] = mapped_column(Text, default="")
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("signature.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # SHA-256 of the stored portrait (see NotablePortrait): part of its URL, so the URL
    # changes with the image and can be cached for a long time. None: no portrait.
    portrait_hash: Mapped[str | None] = mapped_column(String(64))

    petition: Mapped[Petition] = relationship(back_populates="notables")


class NotablePortrait(db.Model):
    """A notable signatory's portrait or logo, re-encoded, in the database so every
    web process can serve it."""

    __tablename__ = "notable_portrait"

    notable_id: Mapped[int] = mapped_column(
        ForeignKey("notable_signatory.id", ondelete="CASCADE"), primary_key=True
    )
    content_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NotableTranslation(db.Model):
    """A notable signatory's title in another language, written by the call's editors.

    ``source_title`` is the title it was translated from: when the title changes, the
    translation is out of date (and still shown) until an editor checks it again, as
    for a call's own text. Pages in a language without one show the title as written.
    """

    __tablename__ = "notable_translation"
    __table_args__ = (UniqueConstraint("notable_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The database removes translations with their notable: notables are also deleted
    # in bulk (a withdrawn or erased promoted signer), where the ORM cannot cascade.
    notable_id: Mapped[int] = mapped_column(ForeignKey("notable_signatory.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(300))
    source_title: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class NotableCategoryTranslation(db.Model):
    """The name of one of a call's notable categories in another language.

    A category is the text of its notables' ``category``, so its translation is keyed
    by that text: a renamed category has none (and shows as written) until an editor
    translates the new name.
    """

    __tablename__ = "notable_category_translation"
    __table_args__ = (UniqueConstraint("petition_id", "language", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
