"""The site's Ed25519 key, which signs each delivery's Merkle root with its manifest's hash.

Why a configured key and not one made on first use: every host must sign
with the same key, and nothing that matters may live on one host's disk.
``RECEIPT_SIGNING_KEY`` (64 hex digits) is set alike on every host; unset,
the key is derived from ``SECRET_KEY`` (HMAC-SHA256 under a fixed label),
which every host already shares. Each tree records the public key that
signed it, so a key changed later leaves past signatures checkable.

The signed text is plain lines (format, call, country, hash algorithm, tree
size, root, manifest SHA-256), so it can be checked with ``openssl pkeyutl``
or any Ed25519 library without a JSON canonicaliser. The ``cryptography``
package provides Ed25519 (the standard library has none).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

from .merkle import HASH_ALGORITHM

SIGNED_ROOT_FORMAT = "campaign-signed-root/1"
_DERIVATION_LABEL = b"campaign receipts: Ed25519 signing key/1"


class SigningKeyInvalid(ValueError):
    """RECEIPT_SIGNING_KEY is not 64 hex digits."""


def _private_key() -> Ed25519PrivateKey:
    configured = current_app.config.get("RECEIPT_SIGNING_KEY")
    if configured:
        try:
            seed = bytes.fromhex(configured.strip())
        except ValueError:
            raise SigningKeyInvalid("RECEIPT_SIGNING_KEY must be 64 hex digits") from None
        if len(seed) != 32:
            raise SigningKeyInvalid("RECEIPT_SIGNING_KEY must be 64 hex digits")
    else:
        secret = str(current_app.config["SECRET_KEY"]).encode()
        seed = hmac.new(secret, _DERIVATION_LABEL, hashlib.sha256).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_raw() -> bytes:
    return (
        _private_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def public_key_pem() -> str:
    return (
        _private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def key_id(raw: bytes) -> str:
    """A key's id: the SHA-256 of its 32 raw bytes, in hex."""
    return hashlib.sha256(raw).hexdigest()


def signed_text(slug: str, country: str, size: int, root: str, manifest_sha256: str) -> str:
    lines = [
        SIGNED_ROOT_FORMAT,
        f"call {slug}",
        f"country {country}",
        f"hash {HASH_ALGORITHM}",
        f"tree_size {size}",
        f"root {root}",
        f"manifest_sha256 {manifest_sha256}",
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class SignedRoot:
    text: str
    public_key: str
    key_id: str
    signature: str


def sign(text: str) -> SignedRoot:
    key = _private_key()
    raw = public_key_raw()
    return SignedRoot(text, raw.hex(), key_id(raw), key.sign(text.encode()).hex())


def verify(public_key_hex: str, text: str, signature_hex: str) -> bool:
    """Whether ``signature_hex`` is the key's Ed25519 signature of ``text``."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        key.verify(bytes.fromhex(signature_hex), text.encode())
    except (ValueError, InvalidSignature):
        return False
    return True
