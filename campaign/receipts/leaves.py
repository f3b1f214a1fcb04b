"""A signature's leaf and its receipt: what the signer keeps, and how the leaf is recomputed.

Why these facts and this encoding:

* The leaf commits to the signature's **public id** (random, unique across
  the site, never the row id), its **country** (the government it is
  delivered to) and its **confirmation date** in UTC (``YYYY-MM-DD``, the
  ``confirmed_on`` of the package's list). Not the call's slug: editors may
  change a call's address, and a commitment must never change. Not the name
  or address: they are erased when a signer withdraws, and the leaf must
  keep verifying against past deliveries after that.
* It is **salted** with 32 random bytes made at confirmation (``secrets``),
  so a leaf reveals nothing, and nobody can tell whose it is, or test a
  guess of a public id, country and date, without the receipt.
* The fields are **length-prefixed** (two bytes, big-endian, then the bytes;
  UTF-8 for text) after a domain-separation tag: no two different field
  lists encode alike, and a leaf cannot be mistaken for any other hash the
  site makes. Canonical JSON would have needed a canonicaliser to verify
  offline; this takes five lines of Python.

The leaf hash is RFC 9162's: SHA-256(0x00 || leaf data).
"""

from __future__ import annotations

import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from .merkle import hash_leaf

LEAF_TAG = b"campaign-receipt-leaf/1"
RECEIPT_FORMAT = "campaign-receipt/1"
LEAF_DEFINITION = (
    "SHA-256(0x00 || leaf data), leaf data = the fields 'campaign-receipt-leaf/1', "
    "public_id, secret (32 bytes), country, confirmed_on (YYYY-MM-DD, UTC), "
    "each as a 2-byte big-endian length then its bytes (UTF-8 for text)"
)
# The largest receipt read (a receipt is about 600 bytes).
RECEIPT_MAX_BYTES = 8 * 1024
_PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{8,32}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_COUNTRY = re.compile(r"[A-Z]{2}")


def leaf_data(public_id: str, secret: bytes, country: str, confirmed_on: str) -> bytes:
    fields = [LEAF_TAG, public_id.encode(), secret, country.encode(), confirmed_on.encode()]
    return b"".join(len(f).to_bytes(2, "big") + f for f in fields)


def leaf_hash(public_id: str, secret: bytes, country: str, confirmed_on: str) -> bytes:
    return hash_leaf(leaf_data(public_id, secret, country, confirmed_on))


def utc_day(moment: datetime) -> str:
    return moment.astimezone(UTC).date().isoformat()


@dataclass(frozen=True)
class Receipt:
    """What a signer needs to recompute their leaf, and where to check it."""

    slug: str
    public_id: str
    secret: bytes
    country: str
    confirmed_on: str

    @property
    def leaf(self) -> bytes:
        return leaf_hash(self.public_id, self.secret, self.country, self.confirmed_on)

    @property
    def confirmed_date(self) -> date | None:
        """The confirmation day as a date, to be written in the reader's language."""
        try:
            return date.fromisoformat(self.confirmed_on)
        except ValueError:
            return None

    def as_json(self, base_url: str) -> dict[str, Any]:
        call_url = f"{base_url}/petitions/{self.slug}"
        return {
            "format": RECEIPT_FORMAT,
            "call": {"slug": self.slug, "url": call_url},
            "public_id": self.public_id,
            "secret": self.secret.hex(),
            "country": self.country,
            "confirmed_on": self.confirmed_on,
            "leaf_hash": self.leaf.hex(),
            "leaf_definition": LEAF_DEFINITION,
            "verify_at": f"{call_url}/verify",
        }

    def dumps(self, base_url: str) -> str:
        return json.dumps(self.as_json(base_url), indent=2) + "\n"


class ReceiptInvalid(ValueError):
    """Text that is not a receipt this site issued (or not one intact)."""


def read_receipt(text: str) -> Receipt:
    """Parse a receipt as a signer pastes or uploads it; ReceiptInvalid says what is wrong.

    A receipt whose ``leaf_hash`` differs from the leaf its own facts give
    was changed after it was issued: it is refused, not silently recomputed.
    """
    if len(text) > RECEIPT_MAX_BYTES:
        raise ReceiptInvalid("size")
    if "\x00" in text:
        raise ReceiptInvalid("json")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ReceiptInvalid("json") from None
    if not isinstance(data, dict) or data.get("format") != RECEIPT_FORMAT:
        raise ReceiptInvalid("format")
    call = data.get("call")
    slug = call.get("slug") if isinstance(call, dict) else None
    fields = [data.get(key) for key in ("public_id", "secret", "country", "confirmed_on")]
    if not all(isinstance(v, str) for v in [slug, *fields]):
        raise ReceiptInvalid("fields")
    public_id, secret, country, confirmed_on = fields
    if not (
        _PUBLIC_ID.fullmatch(public_id)
        and _HEX64.fullmatch(secret)
        and _COUNTRY.fullmatch(country)
        and _is_date(confirmed_on)
    ):
        raise ReceiptInvalid("fields")
    receipt = Receipt(str(slug)[:200], public_id, bytes.fromhex(secret), country, confirmed_on)
    stated = data.get("leaf_hash")
    if stated is not None and not (
        isinstance(stated, str) and hmac.compare_digest(stated, receipt.leaf.hex())
    ):
        raise ReceiptInvalid("leaf")
    return receipt


def _is_date(text: str) -> bool:
    try:
        return date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False
