"""Who receives an update: the one definition, for the number the organiser confirms,
its breakdown by language and by country, and the batches that queue it.

A signer receives updates when their signature counts (confirmed, valid), they
asked for news and have not unsubscribed (``updates``), their address is still
stored, and no message to their mailbox on this call bounced for good (the
outbox's own rule, :func:`campaign.mail.leases.mailbox_bounced`, so a bounced
mailbox is neither counted nor queued). An update may narrow that to some
countries and/or languages. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from .. import countries
from ..extensions import db
from ..i18n import language_name
from ..mail.leases import mailbox_bounced
from ..models import COUNTED, Signature, SupporterUpdate, UpdateDelivery


def audience(
    petition_id: int,
    countries: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
) -> Select[Any]:
    """The signers of a call who receive its updates, in these countries and languages
    (None or empty: all of them)."""
    query = select(Signature).where(
        Signature.petition_id == petition_id,
        COUNTED,
        Signature.updates,
        Signature.email.is_not(None),
        ~mailbox_bounced(Signature),
    )
    if countries:
        query = query.where(Signature.country.in_(list(countries)))
    if languages:
        query = query.where(Signature.language.in_(list(languages)))
    return query


def of_update(update_: SupporterUpdate) -> Select[Any]:
    """Who this update is for, as targeted."""
    return audience(update_.petition_id, update_.target_countries, update_.target_languages)


def recipients(update_: SupporterUpdate) -> Select[Any]:
    """Who this update is for and has not been queued for yet."""
    delivered = select(UpdateDelivery.signature_id).where(
        UpdateDelivery.update_id == update_.id, UpdateDelivery.signature_id == Signature.id
    )
    return of_update(update_).where(~delivered.exists())


def count(query: Select[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


@dataclass(frozen=True)
class Breakdown:
    """How many people a query reaches, in all, per language and per country (most first)."""

    total: int
    by_language: list[tuple[str, int]]
    by_country: list[tuple[str, int]]


def _per(query: Select[Any], column: str) -> list[tuple[str, int]]:
    rows = query.subquery()
    key = rows.c[column]
    counted = db.session.execute(
        select(key, func.count()).group_by(key).order_by(func.count().desc(), key)
    ).all()
    return [(code or "", number) for code, number in counted]


def breakdown(query: Select[Any]) -> Breakdown:
    return Breakdown(count(query), _per(query, "language"), _per(query, "country"))


@dataclass(frozen=True)
class Target:
    """An update's targeting as a page names it, in ``language``; empty lists: everyone."""

    countries: list[str]
    languages: list[str]


def target(update_: SupporterUpdate, language: str) -> Target:
    return Target(
        [countries.name(code, language) for code in update_.target_countries or []],
        [language_name(code, language) for code in update_.target_languages or []],
    )
