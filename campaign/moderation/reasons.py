"""Why a signature was held as suspect, in words a moderator reads.

The checks (``petitions.abuse``) store a short code on the signature; the code stays
the data (filters, scripts and the audit log use it), and the review queue shows the
sentence for it in the reader's language.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..petitions.abuse import SuspectReason

REASON_SENTENCES = {
    SuspectReason.TOO_FAST: _l("Sent faster than a person can fill the form"),
    SuspectReason.HONEYPOT: _l("Filled a field that only robots see"),
    SuspectReason.BLOCKLIST: _l("Matches a blocklist entry"),
    SuspectReason.SOFT_LIMIT: _l("Too many signatures from the same IP address in a short time"),
}


def sentence(code: str | None) -> str:
    """The sentence for a held signature's reason code; a code from a newer check
    (or none, for signatures held before reasons were kept) still says something."""
    if not code:
        return _("No reason was recorded")
    known = REASON_SENTENCES.get(code)
    return str(known) if known is not None else _("Held for a check: %(code)s", code=code)
