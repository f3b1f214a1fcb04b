"""Retention, subject access and erasure.

Erasing anonymises rows in place: name, email addresses and IP address go;
country, dates and state stay, so every count already published stays true.
Withdrawal (``petitions.lifecycle.withdraw``) is the signer's own act and also
takes the signature out of the count; erasure here does not change counts.
Functions never commit: the caller does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, delete, select, update

from .. import emails, stored_files
from ..events import retention as event_retention
from ..extensions import db
from ..ip_addresses import unpack_ip
from ..models import (
    ERASED_VALUES,
    FileKind,
    Lifecycle,
    NotableSignatory,
    Organiser,
    OutboxMessage,
    Petition,
    PetitionState,
    Signature,
    utcnow,
)
from ..organisers import audit
from ..petitions import allowance, lifecycle

# Retention periods are whole days up to ten years: longer is no retention rule at all.
RETENTION_DAYS_MAX = 3650


class RetentionRefused(ValueError):
    """A period a call's retention cannot take; ``field`` names the form field."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def check_pending_days(value: int | str | None) -> int:
    """Days to keep unconfirmed signatures: at least one."""
    return _whole_days(
        value,
        1,
        "pending_days",
        _(
            "Please enter how many days to keep unconfirmed signatures: from 1 to %(max)d.",
            max=RETENTION_DAYS_MAX,
        ),
    )


def check_erase_after_days(value: int | str | None) -> int:
    """Days after the last delivery before personal data is erased: zero or more."""
    return _whole_days(
        value,
        0,
        "erase_after_days",
        _(
            "Please enter how many days after the last delivery to erase personal data: "
            "from 0 to %(max)d.",
            max=RETENTION_DAYS_MAX,
        ),
    )


def _whole_days(value: int | str | None, minimum: int, field: str, message: str) -> int:
    try:
        days = int(value.strip()) if isinstance(value, str) else int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        days = -1
    if not minimum <= days <= RETENTION_DAYS_MAX:
        raise RetentionRefused(message, field)
    return days


def set_retention(
    petition: Petition,
    *,
    pending_days: int | str | None,
    erase_after_days: int | str | None,
    actor: Organiser | None,
) -> dict[str, Any]:
    """Set a call's retention periods (None keeps one); returns what changed.

    Both are checked before either is set, so a refusal changes nothing.
    ``actor`` None is the command line.
    """
    before = {
        "pending_retention_days": petition.pending_retention_days,
        "erase_after_delivery_days": petition.erase_after_delivery_days,
    }
    after = {
        "pending_retention_days": before["pending_retention_days"]
        if pending_days is None
        else check_pending_days(pending_days),
        "erase_after_delivery_days": before["erase_after_delivery_days"]
        if erase_after_days is None
        else check_erase_after_days(erase_after_days),
    }
    changes = audit.diff(before, after)
    if changes:
        petition.pending_retention_days = after["pending_retention_days"]
        petition.erase_after_delivery_days = after["erase_after_delivery_days"]
        audit.record(actor, "edit_retention", "petition", petition.id, changes)
    return changes


@dataclass
class RetentionResult:
    pending_deleted: int = 0
    signatures_erased: int = 0
    allowances_forgotten: int = 0
    registrations_deleted: int = 0
    registrations_erased: int = 0


def pending_cutoff(petition: Petition, now: datetime) -> datetime:
    """Unconfirmed signatures older than this go; never sooner than a link can be used."""
    days = max(petition.pending_retention_days, current_app.config["CONFIRM_MAX_AGE_DAYS"])
    return now - timedelta(days=days)


def run_retention(now: datetime | None = None) -> RetentionResult:
    """Apply every call's retention rules once. Safe to run again (from cron).

    Personal data is erased only once organisers have marked the call delivered,
    counting from its last recorded delivery (``petition.delivered_at``, set when an
    organiser records one; building a package does not start it).
    """
    now = now or utcnow()
    result = RetentionResult(allowances_forgotten=allowance.forget_expired(now))
    for petition in db.session.scalars(select(Petition).order_by(Petition.id)):
        stale = and_(
            Signature.petition_id == petition.id,
            Signature.status == Lifecycle.PENDING,
            Signature.created_at < pending_cutoff(petition, now),
        )
        # Each was a form post: its source keeps counting it among its posts.
        result.pending_deleted += lifecycle.delete_submissions(stale)

        if (
            petition.state == PetitionState.DELIVERED
            and petition.delivered_at is not None
            and now >= petition.delivered_at + timedelta(days=petition.erase_after_delivery_days)
        ):
            result.signatures_erased += erase_where(Signature.petition_id == petition.id)
            # The packages kept for download hold the same names: they go too, for
            # every host at once (they are rows, not files on the host running this).
            stored_files.delete_files(FileKind.PACKAGE, petition.id)
    # Event registrations: unconfirmed ones as the call's signatures, the rest a set time
    # after their event (campaign.events.retention).
    result.registrations_deleted, result.registrations_erased = event_retention.run(now)
    return result


def erase_where(condition) -> int:
    """Anonymise the signatures matching ``condition`` that still hold personal data."""
    holding_data = and_(condition, Signature.email.is_not(None))
    ids = select(Signature.id).where(holding_data)
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.signature_id.in_(ids)))
    return db.session.execute(
        update(Signature)
        .where(holding_data)
        .values(**ERASED_VALUES)
        .execution_options(synchronize_session=False)
    ).rowcount


def signatures_of(address: str) -> list[Signature]:
    """Every signature given with this mailbox, on any call (for access and erasure)."""
    canonical = emails.canonical(address)
    return list(
        db.session.scalars(
            select(Signature).where(Signature.email_canonical == canonical).order_by(Signature.id)
        )
    )


def subject_access_report(address: str) -> dict[str, Any]:
    """All we hold about a person, for a subject access request."""

    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "email": address,
        "generated_at": utcnow().isoformat(),
        "signatures": [
            {
                "call": s.petition.slug,
                "call_title": s.petition.title,
                "name": s.name,
                "email": s.email,
                "country": s.country,
                "show_name_publicly": s.public,
                "campaign_news": s.updates,
                "government_news": s.government_news,
                "language": s.language,
                "status": s.status,
                "validity": s.validity,
                "signed_at": when(s.created_at),
                "confirmed_at": when(s.confirmed_at),
                "ip_address": unpack_ip(s.ip_address) or None,
                "call_text_version": s.text_version,
                "privacy_notice_version": s.privacy_version,
                "consent_text": s.consent_text,
                # Where the form was posted from: the link's ?ref= and the embed's partner.
                "ref": s.ref,
                "partner": s.partner,
            }
            for s in signatures_of(address)
        ],
        "event_registrations": event_retention.report(address),
    }


def erase_person(address: str) -> list[int]:
    """Erase a person's data on every call; returns the ids of the signatures erased.

    A person promoted to the call's notable signatories is taken off that list
    too: their consent to be featured goes with the rest. Their event registrations
    are anonymised the same way, and their event emails leave the outbox.
    """
    event_retention.erase_person(address, utcnow())
    ids = [s.id for s in signatures_of(address)]
    if ids:
        db.session.execute(delete(NotableSignatory).where(NotableSignatory.signature_id.in_(ids)))
        erase_where(Signature.id.in_(ids))
    return ids
