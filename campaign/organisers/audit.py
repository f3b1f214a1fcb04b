"""The audit log: every organiser action that changes data, with who, what and when.

Campaign content is recorded with its before and after; where personal data
is concerned only ids and field names are, so the log never becomes a second
copy of what a person may ask to have erased.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import AuditEntry, Organiser
from ..pagination import page_of


def _plain(value: Any) -> Any:
    """JSON-friendly values: dates as ISO 8601 text, enums as their value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)  # StrEnum members and lazy strings become plain text
    return value


def record(
    actor: Organiser | None,
    action: str,
    target_type: str,
    target_id: Any,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to the session; it commits with the change it describes.

    ``actor`` None means the command line.
    """
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id) if target_id is not None else "",
        changes=_plain(changes) if changes else None,
    )
    db.session.add(entry)
    return entry


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{field: {"before": x, "after": y}}`` for the fields that changed."""
    return {
        key: {"before": before.get(key), "after": after[key]}
        for key in after
        if before.get(key) != after[key]
    }


def entries(page: int, per_page: int = 50) -> tuple[list[AuditEntry], int]:
    """One page of the log, newest first, and the number of entries in all."""
    return page_of(select(AuditEntry).order_by(AuditEntry.id.desc()), page, per_page)
