"""Notable signatories: the people a call is first signed by, curated by its organisers.

Notables are shown and delivered as the call's first signatories, but they
are not signatures: the count is of signatures only. A notable promoted
from a public signature links to it, so that person counts once, through
their signature, and is shown only while it counts. Every change is in the
audit log. Functions never read the request and never commit.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import delete, func, or_, select

from ..extensions import db
from ..models import (
    COUNTED,
    PUBLICLY_LISTED,
    NotablePortrait,
    NotableSignatory,
    Organiser,
    Petition,
    Signature,
    utcnow,
)
from ..organisers import audit
from ..pagination import page_of
from .portraits import Portrait

NOTABLE_FIELDS = (
    "name",
    "title",
    "organisation",
    "country",
    "category",
    "url",
    "visible",
    "consent_note",
)


def notables_of(petition: Petition) -> list[NotableSignatory]:
    return list(
        db.session.scalars(
            select(NotableSignatory)
            .where(NotableSignatory.petition_id == petition.id)
            .order_by(NotableSignatory.sort_order, NotableSignatory.id)
        )
    )


def _renumber(ordered: list[NotableSignatory]) -> None:
    for position, notable in enumerate(ordered):
        notable.sort_order = position


def _placed(ordered: list[NotableSignatory], notable: NotableSignatory) -> list[NotableSignatory]:
    """``ordered`` with ``notable`` at the end of its category, so categories stay together
    (the public page shows one heading per run of a category)."""
    others = [n for n in ordered if n is not notable]
    last = max((i for i, n in enumerate(others) if n.category == notable.category), default=None)
    position = len(others) if last is None else last + 1
    return [*others[:position], notable, *others[position:]]


def _notable_changes(notable: NotableSignatory, before: dict[str, Any]) -> dict[str, Any]:
    """Before and after for curated content; field names only for a promoted signer."""
    after = {field: getattr(notable, field) for field in NOTABLE_FIELDS}
    changes = audit.diff(before, after)
    if notable.signature_id is not None:
        return {"fields": sorted(changes), "signature_id": notable.signature_id}
    return changes


def add_notable(
    petition: Petition,
    values: dict[str, Any],
    actor: Organiser | None,
    signature: Signature | None = None,
) -> NotableSignatory:
    notable = NotableSignatory(
        petition_id=petition.id, signature_id=signature.id if signature else None, **values
    )
    db.session.add(notable)
    ordered = notables_of(petition)
    db.session.flush()
    _renumber(_placed(ordered, notable))
    action = "promote_signature" if signature else "add_notable"
    audit.record(actor, action, "notable", notable.id, _notable_changes(notable, {}))
    return notable


def edit_notable(
    notable: NotableSignatory, values: dict[str, Any], actor: Organiser | None
) -> None:
    before = {field: getattr(notable, field) for field in NOTABLE_FIELDS}
    category_changed = values.get("category", notable.category) != notable.category
    for field, value in values.items():
        setattr(notable, field, value)
    if category_changed:
        _renumber(_placed(notables_of(notable.petition), notable))
    changes = _notable_changes(notable, before)
    if changes:
        audit.record(actor, "edit_notable", "notable", notable.id, changes)


def move_notable(notable: NotableSignatory, up: bool, actor: Organiser | None) -> bool:
    """Swap with the neighbour in the same category; False at the category's edge."""
    ordered = notables_of(notable.petition)
    index = ordered.index(notable)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered) or ordered[other].category != notable.category:
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber(ordered)
    audit.record(
        actor, "move_notable", "notable", notable.id, {"direction": "up" if up else "down"}
    )
    return True


def move_category(petition: Petition, category: str, up: bool, actor: Organiser | None) -> bool:
    """Move a whole category before the previous one (or after the next)."""
    blocks: list[list[NotableSignatory]] = []
    for notable in notables_of(petition):
        if blocks and blocks[-1][0].category == notable.category:
            blocks[-1].append(notable)
        else:
            blocks.append([notable])
    names = [block[0].category for block in blocks]
    if category not in names:
        return False
    index = names.index(category)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(blocks):
        return False
    blocks[index], blocks[other] = blocks[other], blocks[index]
    _renumber([n for block in blocks for n in block])
    audit.record(
        actor,
        "move_category",
        "petition",
        petition.id,
        {"category": category, "direction": "up" if up else "down"},
    )
    return True


def set_notable_visible(notable: NotableSignatory, visible: bool, actor: Organiser | None) -> None:
    if notable.visible != visible:
        notable.visible = visible
        audit.record(actor, "show_notable" if visible else "hide_notable", "notable", notable.id)


def remove_notable(notable: NotableSignatory, actor: Organiser | None) -> None:
    """Remove a notable (and their portrait). A promoted signer's signature stays, and counts."""
    db.session.execute(delete(NotablePortrait).where(NotablePortrait.notable_id == notable.id))
    audit.record(
        actor,
        "remove_notable",
        "notable",
        notable.id,
        {"signature_id": notable.signature_id} if notable.signature_id else {"name": notable.name},
    )
    db.session.delete(notable)


def set_portrait(notable: NotableSignatory, image: Portrait, actor: Organiser | None) -> None:
    """Store the re-encoded portrait in the database, where every web process can read it."""
    row = db.session.get(NotablePortrait, notable.id)
    if row is None:
        row = NotablePortrait(notable_id=notable.id)
        db.session.add(row)
    row.data, row.content_type, row.sha256 = image.data, image.content_type, image.sha256
    row.width, row.height, row.created_at = image.width, image.height, utcnow()
    notable.portrait_hash = image.sha256
    audit.record(
        actor,
        "set_portrait",
        "notable",
        notable.id,
        {"sha256": image.sha256, "bytes": len(image.data), "type": image.content_type},
    )


def remove_portrait(notable: NotableSignatory, actor: Organiser | None) -> None:
    db.session.execute(delete(NotablePortrait).where(NotablePortrait.notable_id == notable.id))
    notable.portrait_hash = None
    audit.record(actor, "remove_portrait", "notable", notable.id)


def portrait_of(notable_id: int) -> NotablePortrait | None:
    return db.session.get(NotablePortrait, notable_id)


def portrait_path(notable: NotableSignatory) -> str | None:
    """The portrait's path (no language prefix: one URL for every page), or None.

    The digest in it changes with the image, so the URL can be cached for long.
    """
    if not notable.portrait_hash:
        return None
    return current_app.url_map.bind("localhost").build(
        "notables.portrait",
        {"notable_id": notable.id, "digest": notable.portrait_hash[:16]},
    )


def portrait_url(notable: NotableSignatory) -> str | None:
    """The portrait's absolute URL, for the public JSON."""
    path = portrait_path(notable)
    return current_app.config["BASE_URL"] + path if path else None


def visible_notables(petition: Petition) -> list[NotableSignatory]:
    """The notables the call's page, its JSON and its deliveries show, in their order.

    A promoted signer is shown only while their signature counts.
    """
    return list(
        db.session.scalars(
            select(NotableSignatory)
            .outerjoin(Signature, NotableSignatory.signature_id == Signature.id)
            .where(
                NotableSignatory.petition_id == petition.id,
                NotableSignatory.visible,
                or_(NotableSignatory.signature_id.is_(None), COUNTED),
            )
            .order_by(NotableSignatory.sort_order, NotableSignatory.id)
        )
    )


# -- promoting a signature ---------------------------------------------------------------


def _promotable(petition: Petition):
    """Confirmed, valid signatures whose signers chose to be shown, not yet notable."""
    promoted = select(NotableSignatory.id).where(NotableSignatory.signature_id == Signature.id)
    return select(Signature).where(
        Signature.petition_id == petition.id,
        PUBLICLY_LISTED,
        Signature.name.is_not(None),
        ~promoted.exists(),
    )


def promotable_signatures(
    petition: Petition, name: str, page: int, per_page: int = 25
) -> tuple[list[Signature], int]:
    """Confirmed, valid signatures whose signers chose to be shown, not yet notable."""
    query = _promotable(petition)
    if name:
        query = query.where(func.lower(Signature.name).contains(name.lower(), autoescape=True))
    query = query.order_by(Signature.confirmed_at.desc(), Signature.id.desc())
    return page_of(query, page, per_page)


def promotable_signature(petition: Petition, signature_id: int) -> Signature | None:
    return db.session.scalar(_promotable(petition).where(Signature.id == signature_id))


def promote(
    petition: Petition, signature: Signature, values: dict[str, Any], actor: Organiser | None
) -> NotableSignatory:
    """Feature a signer among the notables, linked to their signature.

    The signature already counts; the link is what keeps the person from
    being counted twice (notables are not signatures).
    """
    return add_notable(petition, values, actor, signature=signature)
