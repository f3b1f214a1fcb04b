"""Blocklists as moderators keep them: email addresses, domains and IP ranges, for one
call or every call. New signatures that match are held as suspect; the matching
itself is part of signing (``petitions.abuse.blocklisted``), which reads these
entries through a short per-process cache that adding or removing an entry clears.
"""

from __future__ import annotations

import ipaddress

from sqlalchemy import select

from .. import emails
from ..extensions import db
from ..ip_addresses import ip_range
from ..models import Blocklist, BlocklistKind, Organiser
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


def remove_block(entry: Blocklist, actor: Organiser | None) -> None:
    audit.record(actor, "remove_block", "blocklist", entry.id, {"kind": entry.kind})
    db.session.delete(entry)
    forget_blocklists()


def blocklist_entries() -> list[Blocklist]:
    return list(db.session.scalars(select(Blocklist).order_by(Blocklist.id.desc())))
