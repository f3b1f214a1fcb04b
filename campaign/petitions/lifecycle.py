"""A submission after signing: confirmed, discarded, changed or taken back from its links.

Confirming and withdrawing go through ``counters.transition`` (or, for the
Confirm button's plain columns, ``counters.move``), so the counts follow.
A mailbox has at most one confirmed signature per call (a partial unique
index): confirming one submission discards the mailbox's other pending ones.
Discarding deletes a pending submission outright: it never counted, and
nobody confirmed it. Nothing here commits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

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
from . import sources
from .counters import move, transition
from .signer_mail import Signer, fresh_link

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
    public_id: str
    petition_id: int
    email_canonical: str | None
    name: str | None
    country: str
    public: bool
    updates: bool
    government_news: bool
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


def address_of(public_id: str) -> str | None:
    """The address a submission was made with, as typed (None once erased or discarded)."""
    return db.session.scalar(select(Signature.email).where(Signature.public_id == public_id))


def link_target(public_id: str) -> LinkTarget | None:
    """The signature a confirmation link's token names, and its call, or None."""
    row = db.session.execute(_LINK_TARGET, {"public_id": public_id}).one_or_none()
    return LinkTarget(*row) if row is not None else None


def confirm(signature: Signature | LinkTarget, now: datetime | None = None) -> bool:
    """Confirm a pending submission as it was submitted, and discard the mailbox's others.

    Confirming twice is harmless (returns False). When another submission of
    the same mailbox was confirmed first, the unique index refuses this one
    with ``IntegrityError``: the caller rolls back and calls :func:`discard`.
    An ORM ``signature`` is updated in place; a :class:`LinkTarget` is read once.
    """
    if signature.status != Lifecycle.PENDING:
        return False
    # The receipt's secret is made in the very UPDATE that confirms (campaign.receipts).
    values = {"confirmed_at": now or utcnow(), "receipt_secret": secrets.token_bytes(32)}
    if isinstance(signature, LinkTarget):
        moved = move(signature, status=Lifecycle.CONFIRMED, **values) is not None
    else:
        moved = transition(signature, status=Lifecycle.CONFIRMED, **values)
    if moved:
        discard_pending(signature.petition_id, signature.email_canonical, keep=signature.id)
    return moved


def discard(signature: Signature | LinkTarget) -> bool:
    """Delete a pending submission and its emails: "not me, not what I asked"."""
    if signature.status != Lifecycle.PENDING:
        return False
    pending = (_signatures.c.id == signature.id) & (_signatures.c.status == Lifecycle.PENDING)
    return delete_submissions(pending) == 1


def discard_pending(petition_id: int, email_canonical: str | None, keep: int | None = None) -> int:
    """Delete a mailbox's pending submissions on a call (but ``keep``); return how many."""
    if email_canonical is None:
        return 0
    pending = (
        (_signatures.c.petition_id == petition_id)
        & (_signatures.c.email_canonical == email_canonical)
        & (_signatures.c.status == Lifecycle.PENDING)
    )
    if keep is not None:
        pending &= _signatures.c.id != keep
    return delete_submissions(pending)


def delete_submissions(condition: Any) -> int:
    """Delete the submissions matching ``condition`` and their emails; return how many.

    Each was a form post: its source keeps it among its posts (``sources``).
    Used here for pending submissions, and by retention for those never confirmed.
    """
    ids = select(_signatures.c.id).where(condition)
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.signature_id.in_(ids)))
    deleted = db.session.execute(
        _signatures.delete()
        .where(condition)
        .returning(_signatures.c.petition_id, _signatures.c.ref, _signatures.c.partner)
    ).all()
    return sources.remember_deleted(deleted)


def send_fresh_link(public_id: str) -> bool:
    """Email a fresh link to a signature's own page, to the address that signed, if we
    still hold it (asked for from an expired link, which proves the mailbox once had it)."""
    signature = signature_by_public_id(public_id)
    if signature is None or signature.email is None or signature.status == Lifecycle.WITHDRAWN:
        return False
    signer = Signer(signature.public_id, signature.email, signature.name or "", signature.language)
    message = fresh_link(signature.petition, signer)
    db.session.execute(OutboxMessage.__table__.insert(), {**message, "signature_id": signature.id})
    return True


def change_choices(
    signature: Signature, *, public: bool, updates: bool, government_news: bool
) -> None:
    """A confirmed signer's own choices: their name on the public list, news by email, and
    news of what their government does with the call."""
    signature.public = public
    signature.updates = updates
    signature.government_news = government_news


def withdraw(signature: Signature, now: datetime | None = None) -> bool:
    """Take a signature back and erase the person's data, keeping the row for honest counts.

    Country, dates and state stay; name, email and address go, and so does
    any mail still waiting for them.
    """
    if signature.status == Lifecycle.WITHDRAWN:
        return False
    mailbox = signature.email_canonical  # erased by the move
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
        # Whatever else was submitted with this mailbox on the call goes with it.
        discard_pending(signature.petition_id, mailbox)
    return moved


def accepts_confirmations(petition: Petition | LinkTarget) -> bool:
    """Whether the call still takes confirmations (a grace period after it closes)."""
    if petition.state not in (PetitionState.OPEN, PetitionState.CLOSED):
        return False
    if petition.closes_at is not None:
        # A call also closes by itself at its close time, still in state "open".
        return utcnow() < petition.closes_at + CONFIRMATION_GRACE
    return petition.state == PetitionState.OPEN
