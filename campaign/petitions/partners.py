"""Partners: the organisations whose pages frame the embed, named in its URL.

The embed's address carries ``?partner=<name>`` (the call's page puts it in the
code it offers), and every page of the embed passes it on: the sign form's
address, the "check your email" page, the links back to the form. What a
signature records of it is the signing's business; this module only says what
a partner's name is.
"""

from __future__ import annotations

import re

PARTNER_MAX_LENGTH = 64

# Letters (any script), digits, "_", "." and "-": a name that reads the same in a URL,
# a CSV column and a dashboard. Anything else becomes one hyphen.
_NOT_IN_A_NAME = re.compile(r"[^\w.-]+")
_EDGES = "-._"


def partner_name(raw: str | None) -> str | None:
    """The partner's short name from what was typed or found in a URL, or None.

    Partners type what they like ("Médecins Sans Frontières (CH)"); the name kept
    is "médecins-sans-frontières-ch", so one partner typing its name twice gets one
    name, and the name needs no quoting in HTML.
    """
    if not raw:
        return None
    name = _NOT_IN_A_NAME.sub("-", raw.strip().lower()).strip(_EDGES)
    return name[:PARTNER_MAX_LENGTH].strip(_EDGES) or None
