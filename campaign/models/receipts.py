"""The Merkle trees that let each signer prove their signature is in a delivery.

One :class:`ReceiptTree` per delivery package: the RFC 9162 root over the
leaf hashes of exactly the signatures the package holds, the site's Ed25519
signature over that root and the manifest's hash, and the leaves themselves
in chunks (:class:`ReceiptLeafChunk`), so a proof reads one chunk and the
chunks' roots. Leaves are salted commitments (``campaign.receipts.leaves``):
they name nobody, and they outlive the signatures' erasure on purpose.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class ReceiptTree(db.Model):
    """A package's Merkle tree: its size, root, signature and the roots of its chunks."""

    __tablename__ = "receipt_tree"

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_package.id", ondelete="CASCADE"), unique=True
    )
    tree_size: Mapped[int] = mapped_column(Integer)
    root_hash: Mapped[str] = mapped_column(String(64))
    # The SHA-256 of the manifest.json that records this root (the package's own).
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    # The key that signed it (hex SHA-256 of its raw public key) and the signature (hex).
    key_id: Mapped[str] = mapped_column(String(64))
    public_key: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
    # Exactly the text signed (it names the call's address then, which editors may change).
    signed_text: Mapped[str] = mapped_column(Text)
    # Leaves per chunk (a power of two), and each chunk's subtree hash, 32 bytes each.
    chunk_size: Mapped[int] = mapped_column(Integer)
    chunk_roots: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReceiptLeafChunk(db.Model):
    """``chunk_size`` consecutive leaf hashes of a tree (the last chunk may hold fewer).

    Leaves are sorted, so ``first_leaf`` finds the one chunk a leaf can be in.
    """

    __tablename__ = "receipt_leaf_chunk"
    __table_args__ = (Index("ix_receipt_leaf_chunk_first", "tree_id", "first_leaf"),)

    tree_id: Mapped[int] = mapped_column(
        ForeignKey("receipt_tree.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_leaf: Mapped[bytes] = mapped_column(LargeBinary(32))
    leaves: Mapped[bytes] = mapped_column(LargeBinary)
