"""Database models.

Models hold data and nothing else: state changes go through the service
functions (``campaign.petitions.services``), which keep the counters right,
and the caller commits.
"""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_public_id() -> str:
    """A random, unguessable id for URLs and tokens (row ids can be reused by SQLite)."""
    return secrets.token_urlsafe(16)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always hands back an aware UTC datetime, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store UTC-aware datetimes only")
        value = value.astimezone(UTC)
        # SQLite keeps the text as given; without the offset every row compares alike.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class PetitionState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    DELIVERED = "delivered"


class Lifecycle(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"


class Validity(enum.StrEnum):
    OK = "ok"
    SUSPECT = "suspect"
    INVALIDATED = "invalidated"


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    # Refused for good by our SMTP server (5xx): never retried.
    FAILED = "failed"
    # Accepted, then reported undeliverable for good by a delivery status notification.
    BOUNCED = "bounced"
    # Never sent: an earlier message to the same signature bounced (see mail.worker).
    SUPPRESSED = "suppressed"


def _one_of(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class Petition(db.Model):
    """A call people sign. ``signature_count`` is a maintained counter (see the services)."""

    __tablename__ = "petition"
    __table_args__ = (
        CheckConstraint(_one_of("state", PetitionState), name="state"),
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
    # What the translation was written against: the call's ``text_version`` (title and
    # text) and a digest of its main-language title, summary, text and background, so a
    # change to any of them marks the translation out of date. 0 and "" for translations
    # saved before this was recorded: nobody knows what they were checked against.
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


# Rows the public may see: counted (confirmed and ok) and shown by the signer's own choice.
# Queries use this same text (campaign.exports.services.publicly_listed): SQLite uses a
# partial index only when the query repeats its condition term for term, with literals.
PUBLIC_LISTED_SQL = "public AND status = 'confirmed' AND validity = 'ok'"


class Signature(db.Model):
    """One person's signature on one call.

    Two axes of state (see the design decisions): ``status`` is the
    lifecycle, ``validity`` the verdict on it. It counts only when
    confirmed and ok.
    """

    __tablename__ = "signature"
    __table_args__ = (
        UniqueConstraint("petition_id", "email_canonical"),
        CheckConstraint(_one_of("status", Lifecycle), name="status"),
        CheckConstraint(_one_of("validity", Validity), name="validity"),
        Index("ix_signature_petition_state", "petition_id", "status", "validity"),
        Index("ix_signature_petition_ip", "petition_id", "ip_address", "created_at"),
        # The public list and the press downloads: counted signers who chose to be shown,
        # newest first, overall and per country. Partial, so only those rows are indexed.
        Index(
            "ix_signature_public_list",
            "petition_id",
            "confirmed_at",
            "id",
            sqlite_where=text(PUBLIC_LISTED_SQL),
            postgresql_where=text(PUBLIC_LISTED_SQL),
        ),
        Index(
            "ix_signature_public_country",
            "petition_id",
            "country",
            "confirmed_at",
            "id",
            sqlite_where=text(PUBLIC_LISTED_SQL),
            postgresql_where=text(PUBLIC_LISTED_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"))
    # Personal data: erased (set to None) when the person withdraws.
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    email_canonical: Mapped[str | None] = mapped_column(String(320))
    # 16 bytes, IPv4 mapped into IPv6, so CIDR ranges are byte ranges on any database.
    ip_address: Mapped[bytes | None] = mapped_column(LargeBinary(16))
    country: Mapped[str] = mapped_column(String(2))
    public: Mapped[bool] = mapped_column(default=False)
    updates: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[str] = mapped_column(String(16), default=Lifecycle.PENDING)
    validity: Mapped[str] = mapped_column(String(16), default=Validity.OK)
    # Why a signature was held back as suspect (soft limit, honeypot, timing, blocklist).
    suspect_reason: Mapped[str | None] = mapped_column(String(40))
    text_version: Mapped[int] = mapped_column(Integer)
    privacy_version: Mapped[str] = mapped_column(String(32))
    consent_text: Mapped[str] = mapped_column(Text)
    emails_sent: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An organiser's invalidation: who, when and why (cleared when it is undone).
    invalidated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invalidated_by_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))
    invalidation_reason: Mapped[str | None] = mapped_column(String(500))

    petition: Mapped[Petition] = relationship()


class OutboxMessage(db.Model):
    """An email waiting to be sent, written in the same transaction as what it is about.

    Workers claim rows by setting a lease; a row is sent by the worker
    holding an unexpired lease and marked ``sent`` straight after.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(_one_of("status", OutboxStatus), name="status"),
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable across retries, so a receiving server can drop the rare duplicate.
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("signature.id"), index=True)
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"), index=True)
    to_address: Mapped[str] = mapped_column(String(320))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Extra mail headers, such as List-Unsubscribe on updates to supporters.
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # A hard bounce (see mail.bounces): when it arrived, its RFC 3463 status ("5.1.1")
    # and the reporting server's diagnostic, with every address taken out.
    bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bounce_status: Mapped[str | None] = mapped_column(String(16))
    bounce_diagnostic: Mapped[str | None] = mapped_column(String(500))


# -- the organisers' area ---------------------------------------------------------------


class OrganiserRole(enum.StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    MODERATOR = "moderator"


class Organiser(db.Model):
    """A member of the team running the calls, signing in to ``/organiser/``.

    Flask-Login knows an organiser by ``session_token``, not by the row id: a
    new token (new password, disabled account) ends every session at once.
    """

    __tablename__ = "organiser"
    __table_args__ = (CheckConstraint(_one_of("role", OrganiserRole), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last TOTP time step used, so a code cannot be replayed within its window.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    session_token: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Flask-Login's user interface, without tying the model to the extension.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return self.session_token


class SignInThrottle(db.Model):
    """Failed sign-ins for one (email typed, client address) pair.

    Kept in the database so the back-off holds across processes, and per
    pair, so a stranger elsewhere cannot lock an organiser out.
    """

    __tablename__ = "sign_in_throttle"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    ip: Mapped[str] = mapped_column(String(45), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEntry(db.Model):
    """One organiser action that changed data: who, what, when, and the change.

    ``changes`` holds before and after for campaign content, and only ids and
    field names where personal data is concerned.
    """

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # None: done from the command line.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(64), default="")
    changes: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[Organiser | None] = relationship()


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


class UpdateStatus(enum.StrEnum):
    DRAFT = "draft"
    SENDING = "sending"
    SENT = "sent"


class SupporterUpdate(db.Model):
    """News about a call, sent to confirmed signers who asked for it."""

    __tablename__ = "supporter_update"
    __table_args__ = (CheckConstraint(_one_of("status", UpdateStatus), name="status"),)

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


class BlocklistKind(enum.StrEnum):
    IP_RANGE = "ip_range"
    DOMAIN = "domain"
    EMAIL = "email"


class Blocklist(db.Model):
    """An entry of the blocklists: new signatures that match are stored as suspect.

    ``petition_id`` None applies to every call. IP ranges are kept as their
    first and last 16-byte address, compared like ``Signature.ip_address``.
    """

    __tablename__ = "blocklist"
    __table_args__ = (
        CheckConstraint(_one_of("kind", BlocklistKind), name="kind"),
        Index("ix_blocklist_kind_value", "kind", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"))
    kind: Mapped[str] = mapped_column(String(16))
    # The CIDR range, the domain or the canonical address, as shown to organisers.
    value: Mapped[str] = mapped_column(String(320))
    ip_low: Mapped[bytes | None] = mapped_column(LargeBinary(16))
    ip_high: Mapped[bytes | None] = mapped_column(LargeBinary(16))
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))

    petition: Mapped[Petition | None] = relationship()


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
    __table_args__ = (CheckConstraint(_one_of("mode", DeliveryMode), name="mode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    recipient_country: Mapped[str] = mapped_column(String(2))
    signature_count: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8))
    mode: Mapped[str] = mapped_column(String(16))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
