"""RFC 9162 (Certificate Transparency 2.0) Merkle trees over SHA-256, kept in chunks.

Why written here and not taken from a library: pymerkle 7 (the well-kept
one, measured in bench/receipts.py's notes) builds a million leaves in 12 s
and 450 MB, but keeps its tree in one process's memory: every host would
rebuild it (12 s) before its first proof, and its pluggable storage stores
leaves, not the subtree hashes a fast proof needs. What is needed is small:
the two hash rules, the tree hash of a list, an audit path and its check,
each a few lines of RFC 9162 section 2, tested against the RFC's reference
vectors (those of Certificate Transparency's own test suites) and against
the RFC's recursive definition in tests/receipts/test_merkle.py.

A delivery's tree is kept as its sorted leaves in chunks of ``CHUNK``
leaves plus each chunk's subtree hash. Every chunk but the last is a
complete subtree of the RFC's tree (its split point is the largest power of
two below the size, a multiple of ``CHUNK`` whenever the tree is larger
than one chunk), and the last is the tree's rightmost subtree of that
height, so the root is the tree hash of the chunk hashes, and a leaf's
audit path is its path inside its chunk followed by its chunk's path among
the chunks. A proof reads one chunk (128 KB) and the chunk hashes (32 bytes
each), and hashes about ``CHUNK`` nodes: a few milliseconds at any size.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_ALGORITHM = "RFC9162_SHA256"
HASH_BYTES = 32
# Leaves per stored chunk: a power of two, so each full chunk is a subtree of the tree.
CHUNK = 4096


def hash_leaf(data: bytes) -> bytes:
    """RFC 9162 section 2.1.1: the hash of a leaf is SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    """RFC 9162 section 2.1.1: an interior node's hash is SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _next_level(level: Sequence[bytes]) -> list[bytes]:
    """Hash pairs; a last node without a sibling moves up unchanged.

    Bottom up, this is exactly the RFC's recursive split at the largest power
    of two below the size: a lone right node is the right subtree's root.
    """
    sha = hashlib.sha256
    up = [sha(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
    if len(level) % 2:
        up.append(level[-1])
    return up


def tree_hash(hashes: Sequence[bytes]) -> bytes:
    """The Merkle tree hash (MTH) of a list of leaf hashes (or of complete subtrees' hashes)."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    level = list(hashes)
    while len(level) > 1:
        level = _next_level(level)
    return level[0]


def audit_path(hashes: Sequence[bytes], index: int) -> list[bytes]:
    """The inclusion proof of ``hashes[index]`` (RFC 9162 section 2.1.3.1), bottom up."""
    if not 0 <= index < len(hashes):
        raise IndexError(index)
    path = []
    level = list(hashes)
    while len(level) > 1:
        sibling = index ^ 1
        if sibling < len(level):
            path.append(level[sibling])
        level = _next_level(level)
        index //= 2
    return path


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 section 2.1.3.2: whether ``path`` proves leaf ``index`` of ``size`` in ``root``."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = hash_children(p, r)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = hash_children(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


# -- chunks -----------------------------------------------------------------------------


def split(leaves: bytes, chunk: int = CHUNK) -> list[bytes]:
    """Concatenated 32-byte leaf hashes, cut into chunks of ``chunk`` leaves."""
    step = chunk * HASH_BYTES
    return [leaves[i : i + step] for i in range(0, len(leaves), step)]


def unpack(chunk: bytes) -> list[bytes]:
    return [chunk[i : i + HASH_BYTES] for i in range(0, len(chunk), HASH_BYTES)]


def chunk_hashes(chunks: Sequence[bytes]) -> list[bytes]:
    """Each chunk's subtree hash."""
    return [tree_hash(unpack(c)) for c in chunks]


def chunked_path(chunk: bytes, position: int, roots: Sequence[bytes], number: int) -> list[bytes]:
    """The audit path of leaf ``position`` of chunk ``number``, given every chunk's hash."""
    return audit_path(unpack(chunk), position) + audit_path(roots, number)
