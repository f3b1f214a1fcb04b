"""Soft limits on signing: signatures that look automated are kept, but held back.

A signature over a soft limit, with the honeypot filled, or sent faster than a
person could is stored as ``suspect``: it is not counted, yet the signer sees
the normal page and gets the normal email, so a bot learns nothing and a real
person sharing an address (a library, an office) loses nothing. Organisers
release or invalidate suspect signatures from a review queue.

The limits are computed from the stored signatures, so they hold across
processes and hosts without shared memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Signature, utcnow


class SuspectReason:
    SOFT_LIMIT = "soft-limit"
    HONEYPOT = "honeypot"
    TOO_FAST = "too-fast"
    BLOCKLIST = "blocklist"


@dataclass(frozen=True)
class SoftLimit:
    count: int
    seconds: int


def parse_soft_limits(spec: str) -> list[SoftLimit]:
    """``"1/60, 5/300"``: at most 1 signature a minute and 5 in five minutes."""
    limits = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        count, _, seconds = part.partition("/")
        limits.append(SoftLimit(int(count), int(seconds)))
    return limits


def enabled() -> bool:
    """``RATELIMIT_ENABLED=false`` switches soft limits off too (load tests, a trusted kiosk)."""
    return bool(current_app.config["RATELIMIT_ENABLED"])


def over_soft_limit(petition_id: int, packed_ip: bytes | None) -> bool:
    if packed_ip is None or not enabled():
        return False
    limits = parse_soft_limits(current_app.config["SIGN_SOFT_LIMITS"])
    if not limits:
        return False
    now = utcnow()
    longest = max(limit.seconds for limit in limits)
    recent = db.session.scalars(
        select(Signature.created_at)
        .where(
            Signature.petition_id == petition_id,
            Signature.ip_address == packed_ip,
            Signature.created_at > now - timedelta(seconds=longest),
        )
        .order_by(Signature.created_at.desc())
        .limit(max(limit.count for limit in limits))
    ).all()
    return any(
        sum(1 for at in recent if at > now - timedelta(seconds=limit.seconds)) >= limit.count
        for limit in limits
    )


def suspect_reason(
    petition_id: int,
    packed_ip: bytes | None,
    *,
    ip: str | None,
    email_canonical: str,
    honeypot_filled: bool,
    form_age_seconds: float | None,
) -> str | None:
    """Why this new signature should be held back, or None.

    Blocklists are the organisers' decision and apply even when the automatic
    limits are switched off.
    """
    from ..organisers.services import blocklisted  # organisers build on petitions

    if honeypot_filled:
        return SuspectReason.HONEYPOT
    minimum = current_app.config["SIGN_MIN_SECONDS"]
    if minimum and form_age_seconds is not None and form_age_seconds < minimum:
        return SuspectReason.TOO_FAST
    if blocklisted(petition_id, ip, email_canonical):
        return SuspectReason.BLOCKLIST
    if over_soft_limit(petition_id, packed_ip):
        return SuspectReason.SOFT_LIMIT
    return None
