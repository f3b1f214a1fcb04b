"""What holds a new signature back: the honeypot, timing, blocklists and soft limits.

A signature over a soft limit, with the honeypot filled, sent faster than a
person could, or matching a blocklist is stored as ``suspect``: it is not
counted, yet the signer sees the normal page and gets the normal email, so a
bot learns nothing and a real person sharing an address (a library, an
office) loses nothing. Organisers release or invalidate suspect signatures
from a review queue (campaign.moderation).

The limits are computed from the stored signatures, and the blocklists read
from the database, so they hold across processes and hosts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from .. import memo
from ..extensions import db
from ..ip_addresses import pack_ip
from ..models import Blocklist, BlocklistKind, Signature, utcnow


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


# -- blocklists ------------------------------------------------------------------------
# Moderators add and remove entries (campaign.moderation.blocklists); this is how
# a new signature is matched against them.


def _parent_domains(domain: str) -> list[str]:
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


@dataclass(frozen=True)
class _BlockRules:
    """One scope's blocklist (a call's, or every call's under ``None``), ready to match."""

    emails: frozenset[str]
    domains: frozenset[str]
    ip_ranges: tuple[tuple[bytes, bytes], ...]


_BLOCKLIST_STORE = "campaign.blocklist"


def _blocklist_rules() -> dict[int | None, _BlockRules]:
    """Every blocklist entry, by scope, read at most once per ``BLOCKLIST_CACHE_SECONDS``.

    Signing checks the blocklists on every post; one query per signature for
    a table that changes a few times a day cost more than the insert itself.
    Each process keeps the rules for a few seconds: a new entry applies to
    this process at once and to the others within that time.
    """
    return memo.remembered(
        _BLOCKLIST_STORE, None, current_app.config["BLOCKLIST_CACHE_SECONDS"], _read_blocklists
    )


def _read_blocklists() -> dict[int | None, _BlockRules]:
    scopes: dict[int | None, tuple[set[str], set[str], list[tuple[bytes, bytes]]]] = {}
    rows = db.session.execute(
        select(
            Blocklist.petition_id,
            Blocklist.kind,
            Blocklist.value,
            Blocklist.ip_low,
            Blocklist.ip_high,
        )
    )
    for petition_id, kind, value, low, high in rows:
        emails_, domains, ranges = scopes.setdefault(petition_id, (set(), set(), []))
        if kind == BlocklistKind.EMAIL:
            emails_.add(value)
        elif kind == BlocklistKind.DOMAIN:
            domains.add(value)
        elif kind == BlocklistKind.IP_RANGE and low is not None and high is not None:
            ranges.append((bytes(low), bytes(high)))
    return {
        scope: _BlockRules(frozenset(e), frozenset(d), tuple(r))
        for scope, (e, d, r) in scopes.items()
    }


def forget_blocklists() -> None:
    """Read the blocklists afresh in this process (the others follow within seconds)."""
    memo.forget(_BLOCKLIST_STORE)


def blocklisted(petition_id: int, ip: str | None, email_canonical: str) -> bool:
    """Whether a new signature matches a blocklist (this call's or every call's).

    Called by :func:`suspect_reason`; a match is stored as suspect. An
    address matches its own entry, its domain's and every parent domain's
    (``spamwave.org`` blocks ``a@sub.spamwave.org``).
    """
    rules = _blocklist_rules()
    domain = email_canonical.rpartition("@")[2]
    domains = (_parent_domains(domain) or [domain]) if domain else []
    packed = pack_ip(ip)
    for scope in (None, petition_id):
        scoped = rules.get(scope)
        if scoped is None:
            continue
        if email_canonical in scoped.emails or any(d in scoped.domains for d in domains):
            return True
        if packed is not None and any(low <= packed <= high for low, high in scoped.ip_ranges):
            return True
    return False
