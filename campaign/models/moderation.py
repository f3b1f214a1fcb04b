"""Blocklists: addresses, domains and IP ranges whose new signatures are held as suspect."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, one_of, utcnow
from .petitions import Petition


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
        CheckConstraint(one_of("kind", BlocklistKind), name="kind"),
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
