"""A person's signature on a call, and the rules of what counts and what is public.

Two axes of state (see the design decisions): the lifecycle (pending,
confirmed, withdrawn) and the verdict on it (ok, suspect, invalidated). The
rules below are the only definitions of "counted" and "publicly listed":
every query, counter and export uses them.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    and_,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, new_public_id, one_of, utcnow
from .petitions import Petition


class Lifecycle(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"


class Validity(enum.StrEnum):
    OK = "ok"
    SUSPECT = "suspect"
    INVALIDATED = "invalidated"


# Rows the public may see: counted (confirmed and ok) and shown by the signer's own choice.
# The partial indexes below and every query (PUBLICLY_LISTED) use this same text: SQLite
# uses a partial index only when the query repeats its condition term for term, literally.
PUBLIC_LISTED_SQL = "public AND status = 'confirmed' AND validity = 'ok'"
CONFIRMED_SQL = "status = 'confirmed'"


class Signature(db.Model):
    """One person's signature on one call.

    Two axes of state (see the design decisions): ``status`` is the
    lifecycle, ``validity`` the verdict on it. It counts only when
    confirmed and ok.
    """

    __tablename__ = "signature"
    __table_args__ = (
        # At most one confirmed signature per call and mailbox. Pending submissions are
        # each their own row: the one whose link is used is the one confirmed.
        Index(
            "uq_signature_confirmed_email",
            "petition_id",
            "email_canonical",
            unique=True,
            sqlite_where=text(CONFIRMED_SQL),
            postgresql_where=text(CONFIRMED_SQL),
        ),
        # A mailbox's submissions to a call, recent first: its email allowance and its
        # confirmed signature are read through this on every post.
        Index("ix_signature_petition_email", "petition_id", "email_canonical", "created_at"),
        CheckConstraint(one_of("status", Lifecycle), name="status"),
        CheckConstraint(one_of("validity", Validity), name="validity"),
        # A call's rows by state and, after it, by where they came from: the totals and the
        # dashboard's table of sources read only this index (it also serves the state alone).
        Index(
            "ix_signature_petition_state_source",
            "petition_id",
            "status",
            "validity",
            "ref",
            "partner",
        ),
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
    # "Tell me what my government does with this call": news of deliveries and answers.
    government_news: Mapped[bool] = mapped_column(default=False, server_default=false())
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[str] = mapped_column(String(16), default=Lifecycle.PENDING)
    validity: Mapped[str] = mapped_column(String(16), default=Validity.OK)
    # Why a signature was held back as suspect (soft limit, honeypot, timing, blocklist).
    suspect_reason: Mapped[str | None] = mapped_column(String(40))
    text_version: Mapped[int] = mapped_column(Integer)
    privacy_version: Mapped[str] = mapped_column(String(32))
    consent_text: Mapped[str] = mapped_column(Text)
    # Where the form was posted from: the link's ``ref`` (a short slug, petitions.sources)
    # and the partner whose embed it was (a partner's name, petitions.partners), or None.
    # They name no one, so erasure keeps them as it keeps the country; held with a
    # person's row, subject access shows them.
    ref: Mapped[str | None] = mapped_column(String(40))
    partner: Mapped[str | None] = mapped_column(String(64))
    # The receipt's secret (32 random bytes), made afresh in the UPDATE that confirms (and
    # on insert, so rows written in bulk have one): the leaf of this signature in a
    # delivery's Merkle tree commits to it (campaign.receipts.leaves). Never shown but to
    # the signer; the receipt they keep is its only other copy once the row is erased.
    receipt_secret: Mapped[bytes | None] = mapped_column(
        LargeBinary(32), default=lambda: secrets.token_bytes(32)
    )
    # Emails this submission caused (0 when its mailbox's allowance was spent).
    emails_sent: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An organiser's invalidation: who, when and why (cleared when it is undone).
    invalidated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invalidated_by_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))
    invalidation_reason: Mapped[str | None] = mapped_column(String(500))

    petition: Mapped[Petition] = relationship()


# -- the rules -------------------------------------------------------------------------

# The personal data a signature holds, and what each becomes when it is erased, by the
# signer's withdrawal or by an erasure request; country, dates and state stay.
ERASED_VALUES: dict[str, Any] = {
    "name": None,
    "email": None,
    "email_canonical": None,
    "ip_address": None,
    "public": False,
    "updates": False,
    "government_news": False,
    # Past deliveries keep their own leaf hashes, which still prove the signer's receipt;
    # with the secret gone, not even the site can tell which leaf was this signature's.
    "receipt_secret": None,
}


def is_counted(status: str, validity: str) -> bool:
    """A signature counts when it is confirmed and ok; nothing else counts."""
    return status == Lifecycle.CONFIRMED and validity == Validity.OK


# The same rule in SQL, for queries over ``signature``.
COUNTED: ColumnElement[bool] = and_(
    Signature.status == Lifecycle.CONFIRMED, Signature.validity == Validity.OK
)

# Counted, and shown by the signer's own choice: written as the partial indexes' own
# condition, literally, since SQLite uses a partial index only when the query repeats it.
PUBLICLY_LISTED: ColumnElement[bool] = text(PUBLIC_LISTED_SQL)  # type: ignore[assignment]


class DiscardedPosts(db.Model):
    """Form posts whose submission row has since been deleted, per call and source.

    A pending submission is deleted when its mailbox confirms another one, when
    its signer says "not me", and when it is never confirmed in time. The rows
    hold no personal data, only where each post came from, so the dashboard's
    "form posts" stay what was posted: the rows still held plus these. An empty
    ``ref`` or ``partner`` is none (a key column cannot be NULL).
    """

    __tablename__ = "discarded_posts"

    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petition.id", ondelete="CASCADE"), primary_key=True
    )
    ref: Mapped[str] = mapped_column(String(40), primary_key=True)
    partner: Mapped[str] = mapped_column(String(64), primary_key=True)
    posts: Mapped[int] = mapped_column(Integer)


class SigningAllowance(db.Model):
    """How many signing emails a mailbox, or a mailbox asked from one client address,
    has received in one period (see ``campaign.petitions.allowance``).

    The key is a keyed hash of the call, the mailbox, the period and (for a
    client's share) the client address, so the table names nobody; rows go
    once their period is over.
    """

    __tablename__ = "signing_allowance"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    sent: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
