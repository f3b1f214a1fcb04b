"""Checking a receipt against a call's recorded deliveries, and a receipt for a signer.

Functions here never read the request and never commit.

Why the state of a signature is told only for a genuine receipt: anyone may
paste anything, and a public id alone (it travels in email links) must not
reveal whether someone withdrew. A receipt is genuine when its leaf is in a
delivery, or when its secret is the one the site holds for that signature;
only then does the page say that it was withdrawn or invalidated, and when.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Delivery, Lifecycle, Petition, ReceiptTree, Signature, Validity
from . import trees
from .leaves import Receipt, utc_day
from .merkle import HASH_ALGORITHM


def receipt_of(public_id: str) -> Receipt | None:
    """A confirmed signature's receipt (None for any other, or once erased)."""
    row = db.session.execute(
        select(Signature, Petition.slug)
        .join(Petition, Petition.id == Signature.petition_id)
        .where(Signature.public_id == public_id)
    ).first()
    if row is None:
        return None
    signature, slug = row
    if (
        signature.status != Lifecycle.CONFIRMED
        or signature.receipt_secret is None
        or signature.confirmed_at is None
    ):
        return None
    day = utc_day(signature.confirmed_at)
    return Receipt(slug, signature.public_id, signature.receipt_secret, signature.country, day)


@dataclass
class Inclusion:
    """One recorded delivery to the receipt's government, and whether its leaf is in it."""

    delivery: Delivery
    tree: ReceiptTree | None
    index: int | None = None
    path: list[bytes] = field(default_factory=list)

    @property
    def included(self) -> bool:
        return self.index is not None


@dataclass
class Verification:
    receipt: Receipt
    inclusions: list[Inclusion]
    # Told only for a genuine receipt: "withdrawn", "invalidated", "confirmed", or None.
    state: str | None = None
    state_since: datetime | None = None

    @property
    def genuine(self) -> bool:
        return self.state is not None or any(i.included for i in self.inclusions)


def deliveries_to(petition: Petition, country: str) -> list[Delivery]:
    """A call's recorded deliveries to one country, oldest first."""
    return list(
        db.session.scalars(
            select(Delivery)
            .where(Delivery.petition_id == petition.id, Delivery.country == country)
            .order_by(Delivery.delivered_on, Delivery.id)
        )
    )


def verify(petition: Petition, receipt: Receipt) -> Verification:
    """Whether the receipt's signature is in each delivery to its country, with proofs."""
    leaf = receipt.leaf
    inclusions = []
    for delivery in deliveries_to(petition, receipt.country):
        tree = trees.tree_of(delivery)
        inclusion = Inclusion(delivery, tree)
        found = trees.prove(tree, leaf) if tree is not None else None
        if found is not None:
            inclusion.index, inclusion.path = found
        inclusions.append(inclusion)
    result = Verification(receipt, inclusions)
    _tell_state(petition, result)
    return result


def _tell_state(petition: Petition, result: Verification) -> None:
    row = db.session.scalar(
        select(Signature).where(
            Signature.public_id == result.receipt.public_id, Signature.petition_id == petition.id
        )
    )
    if row is None:
        return
    holds_secret = row.receipt_secret is not None and hmac.compare_digest(
        row.receipt_secret, result.receipt.secret
    )
    if not (holds_secret or any(i.included for i in result.inclusions)):
        return
    if row.status == Lifecycle.WITHDRAWN:
        result.state, result.state_since = "withdrawn", row.withdrawn_at
    elif row.validity == Validity.INVALIDATED:
        result.state, result.state_since = "invalidated", row.invalidated_at
    elif row.status == Lifecycle.CONFIRMED and holds_secret:
        result.state, result.state_since = "confirmed", row.confirmed_at


def proof_json(petition: Petition, inclusion: Inclusion, leaf: bytes) -> dict[str, Any]:
    """The inclusion proof as the proof endpoint serves it (README, "Receipts")."""
    tree, delivery = inclusion.tree, inclusion.delivery
    assert tree is not None and inclusion.index is not None
    base = current_app.config["BASE_URL"]
    return {
        "format": "campaign-inclusion-proof/1",
        "call": petition.slug,
        "delivery": {
            "id": delivery.id,
            "country": delivery.country,
            "delivered_on": delivery.delivered_on.isoformat(),
            "manifest_sha256": delivery.manifest_sha256,
        },
        "hash_algorithm": HASH_ALGORITHM,
        "leaf_hash": leaf.hex(),
        "leaf_index": inclusion.index,
        "tree_size": tree.tree_size,
        "root_hash": tree.root_hash,
        "inclusion_path": [p.hex() for p in inclusion.path],
        "signed_root": {
            "signed_text": tree.signed_text,
            "public_key": tree.public_key,
            "key_id": tree.key_id,
            "signature": tree.signature,
            "published_key": f"{base}/receipts/signing-key",
        },
    }
