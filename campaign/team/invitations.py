"""Invitations: an administrator names an address and a role; the account exists at once,
invited, with no password, until its owner sets one from the emailed link.

Plain functions: they never read the request and never commit. Each records itself in
the audit log (ids and field names, never the address).
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from .. import tokens
from ..extensions import db
from ..models import Organiser, OrganiserRole, new_public_id, utcnow
from ..organisers import audit
from ..organisers import services as accounts
from . import emails, links
from .links import LinkRefused, Problem, StaleLink


class Refused(ValueError):
    """An action the page must refuse; the message says why, in the reader's language."""


def invite(email: str, role: str, name: str, inviter: Organiser, language: str) -> Organiser:
    """Create the account as invited and queue its invitation."""
    try:
        email = accounts.normalise_organiser_email(email)
    except accounts.AccountError:
        raise Refused(_l("Enter an email address like name@example.org.")) from None
    if role not in set(OrganiserRole):
        raise Refused(_l("Choose a role."))
    if accounts.find_organiser(email) is not None:
        raise Refused(_l("An account with this email address already exists."))
    organiser = Organiser(
        email=email, name=name.strip(), role=role, password_hash="", invited_at=utcnow()
    )
    db.session.add(organiser)
    db.session.flush()
    emails.queue_invitation(organiser, inviter, language)
    audit.record(inviter, "invite_organiser", "organiser", organiser.id, {"role": role})
    return organiser


def resend(organiser: Organiser, inviter: Organiser, language: str) -> None:
    """A new invitation with a new link; the link sent before stops working."""
    if not organiser.invited:
        raise Refused(_l("This account has already set its password."))
    organiser.session_token = new_public_id()  # the old link's fingerprint no longer matches
    organiser.invited_at = utcnow()
    emails.queue_invitation(organiser, inviter, language)
    audit.record(inviter, "resend_invitation", "organiser", organiser.id)


def cancel(organiser: Organiser, actor: Organiser) -> None:
    """Withdraw an invitation: the account, which never signed in, is deleted, so the
    address can be invited again; its link then says the invitation was cancelled."""
    if not organiser.invited:
        raise Refused(_l("This account has already set its password: disable it instead."))
    audit.record(actor, "cancel_invitation", "organiser", organiser.id, {"role": organiser.role})
    # Entries about the account stay (they name its id); it never signed in, so it
    # wrote none and nothing else points to it.
    db.session.execute(delete(Organiser).where(Organiser.id == organiser.id))


def max_age_seconds() -> int:
    return current_app.config["INVITATION_DAYS"] * 24 * 3600


def invited_by_link(token: str) -> Organiser:
    """The invited account the link is for, or :class:`LinkRefused` saying why not."""
    try:
        organiser = links.read(tokens.Purpose.INVITATION, token, max_age_seconds())
    except StaleLink as stale:
        problem = Problem.REPLACED if stale.organiser.invited else Problem.USED
        raise LinkRefused(problem) from None
    if not organiser.invited:
        raise LinkRefused(Problem.USED)
    if not organiser.active:
        raise LinkRefused(Problem.REFUSED)
    return organiser


def accept(organiser: Organiser, password: str) -> None:
    """The invitee's password: the account is theirs, and the link dies with the change."""
    accounts.set_password(organiser, password)
    audit.record(
        organiser, "accept_invitation", "organiser", organiser.id, {"fields": ["password"]}
    )


def is_expired(organiser: Organiser) -> bool:
    """Whether the last invitation sent has run out (the accounts page offers to resend)."""
    if organiser.invited_at is None:
        return False
    return (utcnow() - organiser.invited_at).total_seconds() > max_age_seconds()
