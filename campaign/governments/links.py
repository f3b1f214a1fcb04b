"""The links that let a government's office download its delivery package.

Each email of a delivery made from the site carries a link of its own: a
token (``tokens.Purpose.DELIVERY_PACKAGE``) holding the delivery's id and
the random public id of that email's :class:`~campaign.models.DeliveryEmail`
row, never an address. It works for ``DELIVERY_LINK_MAX_AGE_DAYS`` (0: no
limit); an organiser can send a fresh one. Every use is recorded on the row
(first and last time, how many), which the back office shows with the
state of each message. Functions never read the request and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select, update

from .. import tokens
from ..extensions import db
from ..i18n import public_url
from ..models import Delivery, DeliveryEmail, OutboxMessage, OutboxStatus, Petition, utcnow

# How the back office names the state of each email.
MESSAGE_STATES: dict[str, Any] = {
    OutboxStatus.QUEUED: _l("waiting to be sent"),
    OutboxStatus.SENT: _l("sent"),
    OutboxStatus.FAILED: _l("refused by the mail server"),
    OutboxStatus.BOUNCED: _l("bounced"),
    OutboxStatus.SUPPRESSED: _l("not sent"),
}


# Row ids are 32-bit integers; a bigger number names nothing (and SQLite cannot bind it).
_ID_MAX = 2**31 - 1


class LinkInvalid(Exception):
    """Tampered with, made for something else, or naming no email this site sent."""


class LinkExpired(Exception):
    """Genuine but too old; ``petition`` is the call it was for (None if gone)."""

    def __init__(self, petition: Petition | None) -> None:
        super().__init__("delivery link expired")
        self.petition = petition


@dataclass(frozen=True)
class Link:
    sent: DeliveryEmail
    delivery: Delivery
    petition: Petition


def max_age_days() -> int:
    return current_app.config["DELIVERY_LINK_MAX_AGE_DAYS"]


def make_url(sent: DeliveryEmail, language: str) -> str:
    """The absolute link for ``sent``, in ``language`` (its pages speak it)."""
    token = tokens.make(tokens.Purpose.DELIVERY_PACKAGE, [sent.delivery_id, sent.public_id])
    return public_url("governments.delivery_package", language, token=token)


def read(token: str) -> Link:
    """The email a link was sent with; raises LinkInvalid or LinkExpired."""
    max_age = max_age_days() * 86400 or None
    try:
        payload = tokens.read(tokens.Purpose.DELIVERY_PACKAGE, token, max_age)
    except tokens.TokenExpired as expired:
        link = _find(expired.payload)
        raise LinkExpired(link.petition if link else None) from None
    except tokens.TokenInvalid:
        raise LinkInvalid from None
    link = _find(payload)
    if link is None:
        raise LinkInvalid
    return link


def _find(payload: Any) -> Link | None:
    if not (
        isinstance(payload, list)
        and len(payload) == 2
        and type(payload[0]) is int
        and 0 < payload[0] <= _ID_MAX
        and isinstance(payload[1], str)
    ):
        return None
    delivery_id, public_id = payload
    sent = db.session.scalar(
        select(DeliveryEmail).where(
            DeliveryEmail.public_id == public_id, DeliveryEmail.delivery_id == delivery_id
        )
    )
    if sent is None:
        return None
    return Link(sent, sent.delivery, db.session.get(Petition, sent.delivery.petition_id))


def record_download(sent: DeliveryEmail) -> None:
    """Count a use of the link: one UPDATE, so two downloads at once both count."""
    now = utcnow()
    table = DeliveryEmail.__table__
    db.session.execute(
        update(table)
        .where(table.c.id == sent.id)
        .values(
            download_count=table.c.download_count + 1,
            last_downloaded_at=now,
            first_downloaded_at=case(
                (table.c.first_downloaded_at.is_(None), now), else_=table.c.first_downloaded_at
            ),
        )
    )


@dataclass(frozen=True)
class SentLink:
    """One email of a delivery as the back office lists it."""

    address: str
    state: str
    sent_at: datetime
    first_downloaded_at: datetime | None
    last_downloaded_at: datetime | None
    download_count: int


def links_by_delivery(petition: Petition) -> dict[int, list[SentLink]]:
    """The emails of each of a call's deliveries made by email, oldest first."""
    rows = db.session.execute(
        select(DeliveryEmail, OutboxMessage.to_address, OutboxMessage.status)
        .join(Delivery, Delivery.id == DeliveryEmail.delivery_id)
        .outerjoin(OutboxMessage, OutboxMessage.id == DeliveryEmail.outbox_message_id)
        .where(Delivery.petition_id == petition.id)
        .order_by(DeliveryEmail.id)
    )
    found: dict[int, list[SentLink]] = {}
    for sent, address, status in rows:
        found.setdefault(sent.delivery_id, []).append(
            SentLink(
                address=address or "",
                state=str(MESSAGE_STATES.get(status, status or "")),
                sent_at=sent.created_at,
                first_downloaded_at=sent.first_downloaded_at,
                last_downloaded_at=sent.last_downloaded_at,
                download_count=sent.download_count,
            )
        )
    return found
