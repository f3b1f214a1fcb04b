"""A signature after signing: the email's links that confirm it or take it back.

Both moves go through ``counters.transition`` (or, for the Confirm button's
plain columns, ``counters.move``), so the counts follow. Nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    ERASED_VALUES,
    Lifecycle,
    NotableSignatory,
    OutboxMessage,
    Petition,
    PetitionState,
    Signature,
    utcnow,
)
from .counters import move, transition

# Confirmations of a call that has just closed are still accepted for this long.
CONFIRMATION_GRACE = timedelta(days=7)

# Built once: building the query and its loader options on every confirmation
# cost a third of reading the row.
_SIGNATURE_BY_PUBLIC_ID = (
    select(Signature)
    .where(Signature.public_id == bindparam("public_id"))
    .options(joinedload(Signature.petition))
)


def signature_by_public_id(public_id: str) -> Signature | None:
    """The signature a link's token names, with its call loaded in the same query."""
    return db.session.scalar(_SIGNATURE_BY_PUBLIC_ID, {"public_id": public_id})


@dataclass(frozen=True)
class LinkTarget:
    """What a confirmation link needs of its signature and call, read as plain columns.

    Confirming is the busiest write after signing. Loading the signature and
    its call as ORM objects (some fifty columns, each described by the driver
    and set on an instance) cost a confirmation more than its UPDATE did.
    """

    id: int
    petition_id: int
    country: str
    status: str
    validity: str
    slug: str
    state: str
    closes_at: datetime | None


# Core columns of the tables, not the mapped attributes: an ORM-enabled SELECT
# pays for the ORM's compile and result machinery even when it returns rows.
# The columns are LinkTarget's fields, in order: the signature's, then its call's.
_signatures, _petitions = Signature.__table__, Petition.__table__
_CALL_FIELDS = ("slug", "state", "closes_at")
_LINK_TARGET = (
    select(
        *(
            (_petitions if field.name in _CALL_FIELDS else _signatures).c[field.name]
            for field in fields(LinkTarget)
        )
    )
    .join(_petitions, _petitions.c.id == _signatures.c.petition_id)
    .where(_signatures.c.public_id == bindparam("public_id"))
)


def link_target(public_id: str) -> LinkTarget | None:
    """The signature a confirmation link's token names, and its call, or None."""
    row = db.session.execute(_LINK_TARGET, {"public_id": public_id}).one_or_none()
    return LinkTarget(*row) if row is not None else None


def confirm(signature: Signature | LinkTarget, now: datetime | None = None) -> bool:
    """Confirm a pending signature. Confirming twice is harmless (returns False).

    An ORM ``signature`` is updated in place; a :class:`LinkTarget` is read once.
    """
    if signature.status != Lifecycle.PENDING:
        return False
    confirmed_at = now or utcnow()
    if isinstance(signature, LinkTarget):
        return move(signature, status=Lifecycle.CONFIRMED, confirmed_at=confirmed_at) is not None
    return transition(signature, status=Lifecycle.CONFIRMED, confirmed_at=confirmed_at)


def withdraw(signature: Signature, now: datetime | None = None) -> bool:
    """Take a signature back and erase the person's data, keeping the row for honest counts.

    Country, dates and state stay; name, email and address go, and so does
    any mail still waiting for them.
    """
    if signature.status == Lifecycle.WITHDRAWN:
        return False
    moved = transition(
        signature,
        status=Lifecycle.WITHDRAWN,
        withdrawn_at=now or utcnow(),
        **ERASED_VALUES,
    )
    if moved:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.signature_id == signature.id))
        # A signer promoted to the notables leaves them too (their portrait goes by cascade).
        db.session.execute(
            delete(NotableSignatory).where(NotableSignatory.signature_id == signature.id)
        )
    return moved


def accepts_confirmations(petition: Petition | LinkTarget) -> bool:
    """Whether the call still takes confirmations (a grace period after it closes)."""
    if petition.state not in (PetitionState.OPEN, PetitionState.CLOSED):
        return False
    if petition.closes_at is not None:
        # A call also closes by itself at its close time, still in state "open".
        return utcnow() < petition.closes_at + CONFIRMATION_GRACE
    return petition.state == PetitionState.OPEN
