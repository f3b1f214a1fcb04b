"""The team's emails: an invitation, and a link to reset a forgotten password.

Rendered in the language of the page that asked for them and written to the outbox in
the caller's transaction (campaign/mail): sent only if what they are about is committed,
and never during the request.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import tokens
from ..extensions import db
from ..i18n import public_url
from ..mail.services import compose, enqueue
from ..models import (
    SETTINGS_ID,
    OrganisationSettings,
    Organiser,
    OrganiserRole,
    OutboxMessage,
)
from ..organisers.access import ROLE_NAMES
from . import links

INVITATION = "team_invitation"
PASSWORD_RESET = "team_password_reset"  # noqa: S105 (a template name)


def site_name() -> str:
    """Who the email is from, in words: the organisation's name, or the site's host."""
    settings = db.session.get(OrganisationSettings, SETTINGS_ID)
    if settings is not None and settings.name:
        return settings.name
    return urlsplit(current_app.config["BASE_URL"]).hostname or "Campaign"


def queue_invitation(organiser: Organiser, inviter: Organiser, language: str) -> None:
    """Queue ``organiser``'s invitation, with a link that works until ``INVITATION_DAYS``."""
    site = site_name()
    enqueue(
        kind=INVITATION,
        to_address=organiser.email,
        to_name=organiser.name,
        template=INVITATION,
        subject=_l("You are invited to the organisers' area of %(site)s", site=site),
        language=language,
        context={
            "site": site,
            "name": organiser.name,
            "inviter": inviter.name or inviter.email,
            # Lazy: read in the email's language as it renders.
            "role_name": ROLE_NAMES[OrganiserRole(organiser.role)],
            "link": public_url(
                "organisers.accept_invitation",
                language,
                token=links.make(tokens.Purpose.INVITATION, organiser),
            ),
            "days": current_app.config["INVITATION_DAYS"],
        },
    )


def _reset_message(organiser: Organiser | None, language: str) -> dict[str, Any]:
    site = site_name()
    token = links.make(tokens.Purpose.PASSWORD_RESET, organiser) if organiser else "-"
    return compose(
        kind=PASSWORD_RESET,
        to_address=organiser.email if organiser else "",
        to_name=organiser.name if organiser else "",
        template=PASSWORD_RESET,
        subject=_l("Reset your password for %(site)s", site=site),
        language=language,
        context={
            "site": site,
            "name": organiser.name if organiser else "",
            "link": public_url("organisers.reset_password", language, token=token),
            "minutes": current_app.config["PASSWORD_RESET_MINUTES"],
        },
    )


def queue_password_reset(organiser: Organiser | None, language: str) -> None:
    """Queue the reset link for ``organiser``; for None (no such account, or one that
    may not reset), render the same message and queue nothing, so both take as long."""
    message = _reset_message(organiser, language)
    if organiser is not None:
        db.session.execute(OutboxMessage.__table__.insert(), message)
