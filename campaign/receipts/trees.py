"""A delivery package's Merkle tree: built from the signatures it holds, stored, proved.

Why leaves are sorted by their hash: the order of a package's list is the
order of confirmation, and a leaf's place in a tree kept in that order
would tell when its signer confirmed. Sorted, a place says nothing, and a
leaf's chunk is found by its first leaf (``first_leaf``).

Why the leaves are stored per package, not recomputed from the signatures:
a signer who withdraws is erased (their secret too), and rows may go at the
end of retention; a past delivery's proof must not change with them. The
leaves name nobody, so keeping them keeps nothing personal. A million
leaves take 32 MB, in chunks of 4,096 (128 KB each, ``merkle.CHUNK``).

Nothing here commits; the package builder's caller does.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select

from ..database import utc_date
from ..extensions import db
from ..models import COUNTED, Delivery, ReceiptLeafChunk, ReceiptTree, Signature
from . import merkle, signing
from .leaves import LEAF_DEFINITION, leaf_hash

LEAF_ORDER = "ascending by leaf hash (bytewise)"


class MissingSecret(RuntimeError):
    """A counted signature without a receipt secret reached a package.

    Every row gets one when inserted (the model's default, and bulk seeding's
    own) and a fresh one when confirmed; migration 0022 gave older rows
    theirs. A row written some other way is refused rather than left out.
    """


@dataclass
class LeafCollector:
    """The leaves of the signatures a package's list writes, gathered in the same pass."""

    leaves: list[bytes] = field(default_factory=list)

    def add(self, public_id: str, secret: bytes | None, country: str, confirmed_on: str) -> None:
        if secret is None:
            raise MissingSecret(public_id)
        self.leaves.append(leaf_hash(public_id, secret, country, confirmed_on))


def counted_rows(petition_id: int, country: str) -> Iterator[tuple[str, bytes | None, str]]:
    """(public id, secret, confirmed_on) of a country's counted signatures, streamed.

    For packages with totals only, which write no list to gather them from.
    """
    query = (
        select(Signature.public_id, Signature.receipt_secret, utc_date(Signature.confirmed_at))
        .where(and_(Signature.petition_id == petition_id, Signature.country == country, COUNTED))
        .execution_options(stream_results=True, yield_per=5000)
    )
    # Rows unpack like tuples (Result.tuples() is deprecated in SQLAlchemy 2.1).
    yield from db.session.execute(query)  # type: ignore[misc]


@dataclass
class BuiltTree:
    size: int
    root: bytes
    chunks: list[bytes]
    chunk_roots: list[bytes]

    def manifest_entry(self) -> dict[str, Any]:
        """What manifest.json records of the tree."""
        return {
            "hash_algorithm": merkle.HASH_ALGORITHM,
            "tree_size": self.size,
            "root_hash": self.root.hex(),
            "leaf_order": LEAF_ORDER,
            "leaf_definition": LEAF_DEFINITION,
            "signed_root": "signed_root.json",
        }


def build_tree(leaves: list[bytes]) -> BuiltTree:
    """Sort the leaves (in place) and compute the tree: its root and its chunks' roots."""
    leaves.sort()
    chunks = merkle.split(b"".join(leaves))
    roots = merkle.chunk_hashes(chunks)
    return BuiltTree(len(leaves), merkle.tree_hash(roots), chunks, roots)


def sign_tree(slug: str, country: str, tree: BuiltTree, manifest_sha256: str) -> dict[str, Any]:
    """signed_root.json: the site's signature over the root and the manifest's hash."""
    text = signing.signed_text(slug, country, tree.size, tree.root.hex(), manifest_sha256)
    signed = signing.sign(text)
    return {
        "format": signing.SIGNED_ROOT_FORMAT,
        "call": slug,
        "country": country,
        "hash_algorithm": merkle.HASH_ALGORITHM,
        "tree_size": tree.size,
        "root_hash": tree.root.hex(),
        "manifest_sha256": manifest_sha256,
        "signature_algorithm": "Ed25519",
        "public_key": signed.public_key,
        "key_id": signed.key_id,
        "signed_text": signed.text,
        "signature": signed.signature,
    }


def record_tree(package_id: int, tree: BuiltTree, signed_root: dict[str, Any]) -> None:
    """Store a package's tree and its leaves, in the session."""
    row = ReceiptTree(
        package_id=package_id,
        tree_size=tree.size,
        root_hash=tree.root.hex(),
        manifest_sha256=signed_root["manifest_sha256"],
        key_id=signed_root["key_id"],
        public_key=signed_root["public_key"],
        signature=signed_root["signature"],
        signed_text=signed_root["signed_text"],
        chunk_size=merkle.CHUNK,
        chunk_roots=b"".join(tree.chunk_roots),
    )
    db.session.add(row)
    db.session.flush()
    if tree.chunks:
        db.session.execute(
            ReceiptLeafChunk.__table__.insert(),
            [
                {"tree_id": row.id, "number": n, "first_leaf": chunk[:32], "leaves": chunk}
                for n, chunk in enumerate(tree.chunks)
            ],
        )


# -- reading -----------------------------------------------------------------------------


def tree_of(delivery: Delivery) -> ReceiptTree | None:
    return db.session.scalar(
        select(ReceiptTree).where(ReceiptTree.package_id == delivery.package_id)
    )


def prove(tree: ReceiptTree, leaf: bytes) -> tuple[int, list[bytes]] | None:
    """The leaf's index and audit path in the tree, or None when it is not there.

    Reads the one chunk the leaf can be in and the chunks' roots.
    """
    found = db.session.execute(
        select(ReceiptLeafChunk.number, ReceiptLeafChunk.leaves)
        .where(ReceiptLeafChunk.tree_id == tree.id, ReceiptLeafChunk.first_leaf <= leaf)
        .order_by(ReceiptLeafChunk.first_leaf.desc())
        .limit(1)
    ).first()
    if found is None:
        return None
    number, chunk = found
    hashes = merkle.unpack(chunk)
    position = bisect.bisect_left(hashes, leaf)
    if position == len(hashes) or hashes[position] != leaf:
        return None
    roots = merkle.unpack(tree.chunk_roots)
    index = number * tree.chunk_size + position
    return index, merkle.audit_path(hashes, position) + merkle.audit_path(roots, number)
