"""Who runs this site, as its pages and share cards present it: the organisation's name
and logo, from the settings administrators edit for the letters (one row).

Read on every page (the header), so kept in each process for
``IDENTITY_TTL_SECONDS``: after an administrator saves the settings, the
process that saved them shows the change at once (:func:`forget`), the
others within that time. Before any settings are saved the site calls
itself "Campaign".
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .extensions import db
from .models import SETTINGS_ID, OrganisationSettings

IDENTITY_TTL_SECONDS = 30
_KEY = "site_identity"


@dataclass(frozen=True)
class Identity:
    name: str  # "" before the settings are saved
    logo_sha256: str | None


def site_identity() -> Identity:
    """The organisation's name and logo digest, read at most every IDENTITY_TTL_SECONDS."""
    cache = current_app.extensions
    now = time.monotonic()
    found = cache.get(_KEY)
    if found is not None and found[0] > now:
        return found[1]
    row = db.session.execute(
        select(OrganisationSettings.name, OrganisationSettings.logo_sha256).where(
            OrganisationSettings.id == SETTINGS_ID
        )
    ).first()
    identity = Identity(row.name, row.logo_sha256) if row is not None else Identity("", None)
    cache[_KEY] = (now + IDENTITY_TTL_SECONDS, identity)
    return identity


def forget() -> None:
    """Read the settings again at the next page (they were just saved)."""
    current_app.extensions.pop(_KEY, None)


def site_name() -> str:
    return site_identity().name or _("Campaign")


def site_logo_url() -> str | None:
    """The logo's path (its digest in it, so a cached copy is never stale), or None."""
    digest = site_identity().logo_sha256
    return url_for("main.organisation_logo", digest=digest[:16]) if digest else None


def site_logo_png() -> bytes | None:
    """The logo's PNG bytes (for the share card and its own URL), or None."""
    settings = db.session.get(OrganisationSettings, SETTINGS_ID)
    return settings.logo_png if settings is not None and settings.logo_png else None


def init_app(app) -> None:
    app.jinja_env.globals["site_name"] = site_name
    app.jinja_env.globals["site_logo_url"] = site_logo_url
