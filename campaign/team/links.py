"""The links emailed to set a password: an invitation's and a forgotten password's.

A link carries the account's row id and a fingerprint of its credentials (the password
hash and ``session_token``), signed with a salt per purpose and a maximum age. Setting a
password, sending a new invitation, disabling or enabling the account change one of
them, so every earlier link stops working: a link works once, and the newest alone.
A row id that SQLite reuses for another account matches no fingerprint either.
"""

from __future__ import annotations

import enum
import hashlib
import hmac

from .. import tokens
from ..extensions import db
from ..models import Organiser


class Problem(enum.StrEnum):
    """Why a link opens nothing (each is said plainly on the page)."""

    INVALID = "invalid"  # mangled, or never made here
    EXPIRED = "expired"
    USED = "used"  # a password was set with it (or since)
    REPLACED = "replaced"  # a newer invitation was sent
    CANCELLED = "cancelled"  # the invitation was cancelled (the account is gone)
    REFUSED = "refused"  # the account is disabled


class LinkRefused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def fingerprint(organiser: Organiser) -> str:
    """What a link is bound to: changes whenever the credentials or the invitation do."""
    material = f"{organiser.password_hash}\n{organiser.session_token}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def make(purpose: tokens.Purpose, organiser: Organiser) -> str:
    return tokens.make(purpose, {"a": organiser.id, "f": fingerprint(organiser)})


def read(purpose: tokens.Purpose, token: str, max_age_seconds: int) -> Organiser:
    """The account a genuine, unexpired link names, still as it was when the link was
    made; else :class:`LinkRefused` saying why. The caller checks what the purpose needs
    (invited, active) and may say "used" where the fingerprint no longer matches."""
    try:
        payload = tokens.read(purpose, token, max_age_seconds)
    except tokens.TokenExpired:
        raise LinkRefused(Problem.EXPIRED) from None
    except tokens.TokenInvalid:
        raise LinkRefused(Problem.INVALID) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), int):
        raise LinkRefused(Problem.INVALID)
    organiser = db.session.get(Organiser, payload["a"])
    if organiser is None:
        raise LinkRefused(Problem.CANCELLED)
    if not hmac.compare_digest(str(payload.get("f", "")), fingerprint(organiser)):
        # Decided by the caller: used, or replaced by a newer invitation.
        raise StaleLink(organiser)
    return organiser


class StaleLink(Exception):
    """A genuine link for ``organiser`` whose credentials have changed since."""

    def __init__(self, organiser: Organiser) -> None:
        super().__init__("stale link")
        self.organiser = organiser
