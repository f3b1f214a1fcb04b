"""Only a draft changes: the guard every edit of an update, or of its versions in other
languages, goes through. Nothing here commits."""

from __future__ import annotations

from sqlalchemy import update

from ..extensions import db
from ..models import SupporterUpdate, UpdateStatus


class UpdateFrozen(ValueError):
    """The update is being sent (or has been): its text and its translations stay as sent."""


def hold_draft(update_: SupporterUpdate) -> bool:
    """True if the update is still a draft, and keep it one until the caller commits.

    A conditional write rather than a look at ``status``: it takes the row's lock
    (PostgreSQL) or the database's (SQLite), so an edit and the press that starts
    sending are ordered. If sending started first, the condition no longer holds
    and the edit is refused; if the edit came first, sending waits for its commit
    and then reads the text as edited. Either way, what is sent is what is stored.
    """
    held = db.session.execute(
        update(SupporterUpdate)
        .where(SupporterUpdate.id == update_.id, SupporterUpdate.status == UpdateStatus.DRAFT)
        .values(status=UpdateStatus.DRAFT)
        .execution_options(synchronize_session=False)
    )
    return held.rowcount == 1


def require_draft(update_: SupporterUpdate) -> None:
    """:func:`hold_draft`, raising :class:`UpdateFrozen` when sending has started."""
    if not hold_draft(update_):
        raise UpdateFrozen("an update that is being sent cannot change")
