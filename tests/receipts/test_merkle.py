"""The tree against RFC 6962/9162's reference vectors and against the RFC's own recursive
definition, computed independently here; and the chunked storage against the whole tree."""

from __future__ import annotations

import hashlib
import random

import pytest

from campaign.receipts import merkle

# The reference data of Certificate Transparency's test suites (RFC 6962's test vectors,
# unchanged by RFC 9162): eight leaves, the root of each prefix, and inclusion proofs.
LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (leaf index, tree size, audit path)
INCLUSION = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]


# -- the RFC's definitions, written out independently of campaign.receipts.merkle ------------


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def reference_mth(d: list[bytes]) -> bytes:
    """MTH(D[n]) exactly as RFC 9162 section 2.1.1 defines it (over leaf data)."""
    if not d:
        return _sha(b"")
    if len(d) == 1:
        return _sha(b"\x00" + d[0])
    k = _split(len(d))
    return _sha(b"\x01" + reference_mth(d[:k]) + reference_mth(d[k:]))


def reference_path(m: int, d: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) exactly as RFC 9162 section 2.1.3.1 defines it."""
    if len(d) == 1:
        return []
    k = _split(len(d))
    if m < k:
        return [*reference_path(m, d[:k]), reference_mth(d[k:])]
    return [*reference_path(m - k, d[k:]), reference_mth(d[:k])]


def test_roots_match_the_reference_vectors():
    hashes = [merkle.hash_leaf(leaf) for leaf in LEAVES]
    for n in range(len(LEAVES) + 1):
        assert merkle.tree_hash(hashes[:n]).hex() == ROOTS[n], n
        assert reference_mth(LEAVES[:n]).hex() == ROOTS[n], n


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_audit_paths_match_the_reference_vectors(index, size, path):
    hashes = [merkle.hash_leaf(leaf) for leaf in LEAVES[:size]]
    assert [p.hex() for p in merkle.audit_path(hashes, index)] == path
    proof = [bytes.fromhex(p) for p in path]
    root = bytes.fromhex(ROOTS[size])
    assert merkle.verify_inclusion(hashes[index], index, size, proof, root)
    # Tampered: another leaf, another index, another size, a changed path, another root.
    other = hashes[(index + 1) % size]
    assert not merkle.verify_inclusion(other, index, size, proof, root)
    assert not merkle.verify_inclusion(hashes[index], (index + 1) % size, size, proof, root)
    # (A size only nearby can share the path: the size is bound by the signed root.)
    assert not merkle.verify_inclusion(hashes[index], index, size * 2 + 1, proof, root)
    assert not merkle.verify_inclusion(hashes[index], index, size, proof[:-1], root)
    assert not merkle.verify_inclusion(hashes[index], index, size, proof, bytes(32))


def test_every_size_and_leaf_agrees_with_the_rfc_recursion():
    rng = random.Random(9162)
    for n in range(1, 40):
        data = [rng.randbytes(rng.randint(0, 12)) for _ in range(n)]
        hashes = [merkle.hash_leaf(d) for d in data]
        root = merkle.tree_hash(hashes)
        assert root == reference_mth(data)
        for m in range(n):
            path = merkle.audit_path(hashes, m)
            assert path == reference_path(m, data)
            assert merkle.verify_inclusion(hashes[m], m, n, path, root)


@pytest.mark.parametrize("n", [1, 5, 8, 9, 16, 17, 31, 33, 64, 100])
def test_chunks_give_the_whole_tree_root_and_paths(n):
    """Stored in chunks of 8 (4096 on the site), the root and every path are the tree's own."""
    rng = random.Random(n)
    hashes = sorted(merkle.hash_leaf(rng.randbytes(16)) for _ in range(n))
    chunks = merkle.split(b"".join(hashes), chunk=8)
    roots = merkle.chunk_hashes(chunks)
    assert merkle.tree_hash(roots) == merkle.tree_hash(hashes)
    for m in range(n):
        number, position = divmod(m, 8)
        path = merkle.chunked_path(chunks[number], position, roots, number)
        assert path == merkle.audit_path(hashes, m)
