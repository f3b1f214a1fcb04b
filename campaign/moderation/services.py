"""Moderation: searching signatures, invalidating them (one, or many by a previewed rule)
and undoing it, and the review queue of suspect signatures.

Every change of state goes through ``petitions.counters.transition``, so the
counts follow, and into the audit log with ids and field names only.
Functions never read the request and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from .. import emails
from ..extensions import db
from ..ip_addresses import ip_range
from ..models import COUNTED, Lifecycle, Organiser, Petition, Signature, Validity, utcnow
from ..organisers import audit
from ..pagination import page_of
from ..petitions.counters import transition


@dataclass(frozen=True)
class SignatureFilter:
    """What moderators search by; empty fields do not filter. Times are UTC."""

    name: str = ""
    email: str = ""
    domain: str = ""
    ip: str = ""
    country: str = ""
    status: str = ""
    validity: str = ""
    since: datetime | None = None
    until: datetime | None = None

    # The fields that single out a group of signatures (a rule needs one of them).
    RULE_FIELDS = ("name", "email", "domain", "ip", "since", "until")

    def rule_fields(self) -> list[str]:
        return [field for field in self.RULE_FIELDS if getattr(self, field)]


def _filtered(petition: Petition, rule: SignatureFilter):
    query = select(Signature).where(Signature.petition_id == petition.id)
    if rule.name:
        query = query.where(func.lower(Signature.name).contains(rule.name.lower(), autoescape=True))
    if rule.email:
        text = rule.email.strip().lower()
        query = query.where(
            or_(
                func.lower(Signature.email).contains(text, autoescape=True),
                Signature.email_canonical == emails.canonical(text),
            )
        )
    if rule.domain:
        domain = emails.normalise_domain(rule.domain)
        # The domain itself and its subdomains.
        query = query.where(
            or_(
                Signature.email_canonical.endswith("@" + domain, autoescape=True),
                Signature.email_canonical.endswith("." + domain, autoescape=True),
            )
        )
    if rule.ip:
        low, high = ip_range(rule.ip)
        query = query.where(Signature.ip_address.between(low, high))
    if rule.country:
        query = query.where(Signature.country == rule.country.upper())
    if rule.status:
        query = query.where(Signature.status == rule.status)
    if rule.validity:
        query = query.where(Signature.validity == rule.validity)
    if rule.since:
        query = query.where(Signature.created_at >= rule.since)
    if rule.until:
        query = query.where(Signature.created_at < rule.until)
    return query


def search_signatures(
    petition: Petition, rule: SignatureFilter, page: int, per_page: int = 50
) -> tuple[list[Signature], int]:
    query = _filtered(petition, rule).order_by(Signature.created_at.desc(), Signature.id.desc())
    return page_of(query, page, per_page)


BULK_ACTIONS = ("invalidate", "restore")


def _bulk_candidates(petition: Petition, rule: SignatureFilter, action: str):
    query = _filtered(petition, rule).where(Signature.status != Lifecycle.WITHDRAWN)
    if action == "invalidate":
        return query.where(Signature.validity != Validity.INVALIDATED)
    return query.where(Signature.validity == Validity.INVALIDATED)


@dataclass(frozen=True)
class RulePreview:
    """How many signatures a rule would change, how many of them count now, and the
    newest id seen, so applying it touches exactly what was previewed."""

    matches: int
    counted: int
    up_to_id: int


def preview_rule(petition: Petition, rule: SignatureFilter, action: str) -> RulePreview:
    query = _bulk_candidates(petition, rule, action).with_only_columns(
        func.count(), func.count().filter(COUNTED), func.max(Signature.id)
    )
    matches, counted, up_to = db.session.execute(query).one()
    return RulePreview(matches, counted or 0, up_to or 0)


def invalidate(
    signature: Signature, actor: Organiser | None, reason: str, now: datetime | None = None
) -> bool:
    """An organiser's verdict: the signature stops counting, with who, when and why."""
    if signature.status == Lifecycle.WITHDRAWN or signature.validity == Validity.INVALIDATED:
        return False
    return transition(
        signature,
        validity=Validity.INVALIDATED,
        invalidated_at=now or utcnow(),
        invalidated_by_id=actor.id if actor else None,
        invalidation_reason=reason[:500],
    )


def restore(signature: Signature) -> bool:
    """Undo an invalidation: back to ok (and counted again if confirmed)."""
    if signature.validity != Validity.INVALIDATED:
        return False
    return transition(
        signature,
        validity=Validity.OK,
        invalidated_at=None,
        invalidated_by_id=None,
        invalidation_reason=None,
    )


def release(signature: Signature) -> bool:
    """A suspect signature is genuine after all: back to ok."""
    if signature.validity != Validity.SUSPECT:
        return False
    return transition(signature, validity=Validity.OK)


def moderate(signature: Signature, action: str, actor: Organiser | None, reason: str = "") -> bool:
    """Invalidate, restore or release one signature, and write it to the audit log."""
    if action == "invalidate":
        changed = invalidate(signature, actor, reason)
    elif action == "restore":
        changed = restore(signature)
    elif action == "release":
        changed = release(signature)
    else:
        raise ValueError(action)
    if changed:
        audit.record(
            actor,
            f"{action}_signature",
            "signature",
            signature.id,
            {"fields": ["validity"] + (["invalidation_reason"] if reason else [])},
        )
    return changed


def apply_rule(
    petition: Petition,
    rule: SignatureFilter,
    action: str,
    up_to_id: int,
    actor: Organiser | None,
    reason: str = "",
) -> int:
    """Invalidate (or restore) every signature the rule matches, up to the previewed id.

    Each one goes through ``transition``, so the counters follow; one audit
    entry records the rule's field names, the count and the ids.
    """
    if not rule.rule_fields():
        raise ValueError("a rule needs a name, email, domain, IP range or time window")
    signatures = db.session.scalars(
        _bulk_candidates(petition, rule, action)
        .where(Signature.id <= up_to_id)
        .order_by(Signature.id)
    ).all()
    now = utcnow()
    changed = []
    for signature in signatures:
        done = (
            invalidate(signature, actor, reason, now)
            if action == "invalidate"
            else restore(signature)
        )
        if done:
            changed.append(signature.id)
    audit.record(
        actor,
        f"{action}_by_rule",
        "petition",
        petition.id,
        {"rule": rule.rule_fields(), "count": len(changed), "signature_ids": changed[:1000]},
    )
    return len(changed)


def suspects(petition: Petition, page: int, per_page: int = 50) -> tuple[list[Signature], int]:
    """The review queue: suspect signatures still standing, oldest first."""
    query = select(Signature).where(
        Signature.petition_id == petition.id,
        Signature.validity == Validity.SUSPECT,
        Signature.status != Lifecycle.WITHDRAWN,
    )
    return page_of(query.order_by(Signature.created_at, Signature.id), page, per_page)
