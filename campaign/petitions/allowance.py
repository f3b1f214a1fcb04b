"""How many emails the sign form may send one mailbox, so it cannot be used to mail-bomb.

A mailbox gets at most ``SIGNING_EMAILS_PER_DAY`` signing emails per call in
a period of ``SIGNING_ALLOWANCE_SECONDS`` (a day), and at most
``SIGNING_EMAILS_PER_SOURCE_PER_DAY`` of them asked for from one client
address: a stranger posting someone's address from their own connection
spends only their share, so the owner's own submission still gets its link,
and the whole allowance renews with the next period.

Each share is a counter row, taken with one upsert that adds one only while
under its cap, so simultaneous posts can never pass it together. Counters
are keyed by a keyed hash of the call, the mailbox, the period and the
client address: the table names nobody.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, delete

from ..database import dialect_name, upsert_insert
from ..extensions import db
from ..models import SigningAllowance

_allowances = SigningAllowance.__table__


def take(petition_id: int, mailbox: str, packed_ip: bytes | None, now: datetime) -> bool:
    """Count one signing email against the mailbox's allowance; False when it is spent.

    The client's share is taken first: a post over its share takes nothing
    from the mailbox's whole allowance.
    """
    config = current_app.config
    seconds = config["SIGNING_ALLOWANCE_SECONDS"]
    period = int(now.timestamp()) // seconds
    expires_at = now + timedelta(seconds=seconds)
    source_key = _key(petition_id, mailbox, period, packed_ip or b"-")
    if not _count(source_key, config["SIGNING_EMAILS_PER_SOURCE_PER_DAY"], expires_at):
        return False
    mailbox_key = _key(petition_id, mailbox, period, None)
    return _count(mailbox_key, config["SIGNING_EMAILS_PER_DAY"], expires_at)


def _key(petition_id: int, mailbox: str, period: int, source: bytes | None) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    parts = [str(petition_id).encode(), mailbox.encode(), str(period).encode()]
    if source is not None:
        parts.append(source.hex().encode())
    return hmac.new(secret, b"\0".join(parts), hashlib.sha256).hexdigest()


def _count(key: str, cap: int, expires_at: datetime) -> bool:
    """Add one to the counter ``key`` if it is under ``cap``; whether it was."""
    params = {"key": key, "cap": cap, "expires_at": expires_at}
    return db.session.execute(_add_one(dialect_name()), params).first() is not None


@cache
def _add_one(dialect: str) -> Any:
    """INSERT the counter at 1, or add 1 to it while under the cap; RETURNING only if added."""
    insert = upsert_insert(_allowances, dialect).values(
        key=bindparam("key"), sent=1, expires_at=bindparam("expires_at")
    )
    return insert.on_conflict_do_update(
        index_elements=["key"],
        set_={"sent": _allowances.c.sent + 1},
        where=_allowances.c.sent < bindparam("cap"),
    ).returning(_allowances.c.key)


def forget_expired(now: datetime) -> int:
    """Delete the counters of periods that are over (from the retention run)."""
    return db.session.execute(
        delete(SigningAllowance).where(SigningAllowance.expires_at < now)
    ).rowcount
