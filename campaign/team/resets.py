"""A forgotten password, reset by a link sent to the account's address.

Asking answers alike whether an account exists or not (the page says the same, the
same message is rendered, only queued for a real account). The link works for
``PASSWORD_RESET_MINUTES`` and once: it is bound to the password it replaces. The new
password ends every session of the account. Disabled accounts, and invited ones that
have no password yet (their invitation is their way in), get no link.
"""

from __future__ import annotations

from flask import current_app

from .. import tokens
from ..models import Organiser
from ..organisers import audit
from ..organisers import services as accounts
from . import emails, links
from .links import LinkRefused, Problem, StaleLink


def may_reset(organiser: Organiser | None) -> bool:
    return organiser is not None and organiser.active and not organiser.invited


def request_link(email: str, language: str) -> None:
    """Queue a reset link if ``email`` names an account that may reset; else nothing,
    by the same path (see :func:`emails.queue_password_reset`)."""
    organiser = accounts.find_organiser(email)
    emails.queue_password_reset(organiser if may_reset(organiser) else None, language)


def max_age_seconds() -> int:
    return current_app.config["PASSWORD_RESET_MINUTES"] * 60


def account_by_link(token: str) -> Organiser:
    """The account the link resets, or :class:`LinkRefused` saying why not."""
    try:
        organiser = links.read(tokens.Purpose.PASSWORD_RESET, token, max_age_seconds())
    except StaleLink:
        raise LinkRefused(Problem.USED) from None
    if not may_reset(organiser):
        raise LinkRefused(Problem.REFUSED)
    return organiser


def reset(organiser: Organiser, password: str) -> None:
    """The new password; every session of the account ends, and the link with it."""
    accounts.set_password(organiser, password)
    audit.record(organiser, "reset_password", "organiser", organiser.id, {"fields": ["password"]})
