"""Blocklists as moderators keep them: email addresses, domains and IP ranges, for one
call or every call. New signatures that match are held as suspect; the matching
itself is part of signing (``petitions.abuse.blocklisted``), which reads these
entries through a short per-process cache that adding or removing an entry clears.
"""

from __future__ import annotations

import ipaddress
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from .. import emails
from ..extensions import db
from ..ip_addresses import ip_range
from ..models import Blocklist, BlocklistKind, Organiser, Petition
from ..organisers import audit
from ..petitions.abuse import forget_blocklists


def normalise_block(kind: str, value: str) -> tuple[str, bytes | None, bytes | None]:
    """(value as stored, low, high) for a blocklist entry; ``ValueError`` if unusable."""
    if kind == BlocklistKind.IP_RANGE:
        network = ipaddress.ip_network(value.strip(), strict=False)
        low, high = ip_range(str(network))
        return str(network), low, high
    if kind == BlocklistKind.DOMAIN:
        return emails.normalise_domain(value), None, None
    if kind == BlocklistKind.EMAIL:
        try:
            # An entry is matched, never mailed: an address the server could not
            # send to may still be blocked (should MAIL_SMTPUTF8 be switched on later).
            address = emails.normalise(value, allow_smtputf8=True)
        except ValueError:
            raise ValueError(value) from None
        return emails.canonical(address), None, None
    raise ValueError(kind)


def add_block(
    kind: str, value: str, petition_id: int | None, reason: str, actor: Organiser | None
) -> Blocklist:
    stored, low, high = normalise_block(kind, value)
    entry = Blocklist(
        petition_id=petition_id,
        kind=kind,
        value=stored,
        ip_low=low,
        ip_high=high,
        reason=reason,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(entry)
    db.session.flush()
    forget_blocklists()
    # The value may be personal data (an address): the log keeps the kind and scope only.
    audit.record(
        actor, "add_block", "blocklist", entry.id, {"kind": kind, "petition_id": petition_id}
    )
    return entry


@dataclass(frozen=True)
class RemovedBlock:
    """What a removed entry was, so that "Undo" puts back the same entry: its kind,
    value, scope and reason, who added it and when."""

    id: int
    kind: str
    value: str
    petition_id: int | None
    reason: str
    created_by_id: int | None
    created_at: str  # ISO 8601, UTC: the snapshot travels as JSON

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> RemovedBlock | None:
        """The snapshot back from JSON; None when it is not one (an old or edited session)."""
        try:
            removed = cls(**data)
            datetime.fromisoformat(removed.created_at)
        except (TypeError, ValueError):
            return None
        return removed


def remove_block(entry: Blocklist, actor: Organiser | None) -> RemovedBlock:
    """Remove an entry; what it was comes back, for an undo."""
    removed = RemovedBlock(
        id=entry.id,
        kind=entry.kind,
        value=entry.value,
        petition_id=entry.petition_id,
        reason=entry.reason or "",
        created_by_id=entry.created_by_id,
        created_at=entry.created_at.isoformat(),
    )
    audit.record(
        actor,
        "remove_block",
        "blocklist",
        entry.id,
        {"kind": entry.kind, "petition_id": entry.petition_id},
    )
    db.session.delete(entry)
    forget_blocklists()
    return removed


class UndoRefused(Exception):
    """The entry cannot be put back as it was (see the message's code in ``reason``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "already" (an equal entry is there) or "gone" (its call is)


def restore_block(removed: RemovedBlock, actor: Organiser | None) -> Blocklist:
    """Undo a removal: the same entry, under its old id when that is still free, so
    the audit log's add, remove and restore name one entry."""
    same = select(Blocklist.id).where(
        Blocklist.kind == removed.kind,
        Blocklist.value == removed.value,
        Blocklist.petition_id.is_(None)
        if removed.petition_id is None
        else Blocklist.petition_id == removed.petition_id,
    )
    if db.session.scalar(same.limit(1)) is not None:
        raise UndoRefused("already")
    if removed.petition_id is not None and db.session.get(Petition, removed.petition_id) is None:
        raise UndoRefused("gone")
    # Who added it, unless that account is gone since (accounts are normally kept).
    added_by = removed.created_by_id
    if added_by is not None and db.session.get(Organiser, added_by) is None:
        added_by = None
    stored, low, high = normalise_block(removed.kind, removed.value)
    # SQLite may have given the old id to a newer entry; then the entry gets a new one.
    free = db.session.get(Blocklist, removed.id) is None
    entry = Blocklist(
        id=removed.id if free else None,
        petition_id=removed.petition_id,
        kind=removed.kind,
        value=stored,
        ip_low=low,
        ip_high=high,
        reason=removed.reason,
        created_at=datetime.fromisoformat(removed.created_at),
        created_by_id=added_by,
    )
    db.session.add(entry)
    db.session.flush()
    forget_blocklists()
    audit.record(
        actor,
        "restore_block",
        "blocklist",
        entry.id,
        {"kind": entry.kind, "petition_id": entry.petition_id, "removed_id": removed.id},
    )
    return entry


def blocklist_entries() -> list[Blocklist]:
    return list(db.session.scalars(select(Blocklist).order_by(Blocklist.id.desc())))
