"""Receipts: every signer can prove their signature is in what a government received.

A confirmed signature gets a random secret; its *leaf* is a salted commitment
to the signature's public id, country and confirmation date (``leaves``).
Each delivery package carries the RFC 9162 Merkle root over the sorted
leaves of exactly the signatures it holds (``merkle``, ``trees``), recorded
in its manifest and signed by the site's Ed25519 key (``signing``). A signer
keeps a receipt (shown on the thank-you page and their own page) and checks
it on the call's verify page, through the proof JSON, or offline
(``views``; README, "Receipts").

Placed below ``exports`` in the layers: the package builder calls it to
commit to the signatures it writes, and it needs nothing above ``petitions``.
"""

DEFAULTS = {
    # The site's Ed25519 signing key for delivery roots: 64 hex digits (a 32-byte seed),
    # the same on every host. Unset, it is derived from SECRET_KEY (so rotating that key
    # changes this one too: set it in production). See campaign/receipts/signing.py.
    "RECEIPT_SIGNING_KEY": None,
}
