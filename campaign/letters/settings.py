"""The organisation's settings: the letterhead, place and signatory of every cover letter.

One row, edited by administrators (values checked by the back-office form).
The logo goes through the same check as portraits (``notables.portraits``)
and is kept redrawn as a PNG within a bounded box, with no metadata. Every
change is in the audit log: the organisation's own details before and after,
the contact address and the signatory (which may name a person) by field
name only, the logo by its SHA-256. Functions never read the request and
never commit.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from PIL import Image

from ..extensions import db
from ..models import SETTINGS_ID, OrganisationSettings, Organiser
from ..notables import portraits
from ..organisers import audit

# The editable fields, as the form gives them (``place_names``: {language: name}).
FIELDS = ("name", "postal_address", "contact_email", "website", "place", "place_names", "signatory")
# Recorded in the audit log by name only: they may be a person's name or address.
NAMED_ONLY = ("contact_email", "signatory")


class LogoError(ValueError):
    """The upload cannot be used; ``reason`` is "too_big" or "not_an_image"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Logo:
    png: bytes
    width: int
    height: int
    sha256: str


def process_logo(data: bytes, max_bytes: int, box: int) -> Logo:
    """Check an uploaded logo and redraw it as a PNG that fits in ``box`` by ``box`` pixels."""
    try:
        image = portraits.open_checked(data, max_bytes)
    except portraits.PortraitError as error:
        raise LogoError(error.reason) from None
    image.thumbnail((box, box), Image.Resampling.LANCZOS)
    image = image.convert("RGBA" if portraits.is_transparent(image) else "RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    png = out.getvalue()
    return Logo(png, image.width, image.height, hashlib.sha256(png).hexdigest())


def organisation_settings() -> OrganisationSettings | None:
    """The settings row, or None before an administrator first saves them."""
    return db.session.get(OrganisationSettings, SETTINGS_ID)


def _content(settings: OrganisationSettings | None) -> dict[str, Any]:
    if settings is None:
        return {}
    values = {field: getattr(settings, field) for field in FIELDS}
    values["place_names"] = dict(values["place_names"] or {})
    values["logo_sha256"] = settings.logo_sha256
    return values


def _audited(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    changes = audit.diff(before, after)
    named = sorted(field for field in NAMED_ONLY if field in changes)
    for field in named:
        del changes[field]
    return {**changes, "fields": named} if named else changes


def save_settings(
    values: dict[str, Any],
    actor: Organiser | None,
    *,
    logo: Logo | None = None,
    remove_logo: bool = False,
) -> OrganisationSettings:
    """Write the settings (``values`` holds every field of :data:`FIELDS`, checked).

    ``logo`` replaces the logo; ``remove_logo`` takes it away (when no new
    one is given). Saving unchanged settings records nothing.
    """
    settings = organisation_settings()
    before = _content(settings)
    if settings is None:
        settings = OrganisationSettings(id=SETTINGS_ID)
        db.session.add(settings)
    for field in FIELDS:
        value = values[field]
        if field == "place_names":
            value = {lang: name for lang, name in sorted(value.items()) if name}
        setattr(settings, field, value)
    if logo is not None:
        settings.logo_png, settings.logo_sha256 = logo.png, logo.sha256
        settings.logo_width, settings.logo_height = logo.width, logo.height
    elif remove_logo:
        settings.logo_png = settings.logo_sha256 = None
        settings.logo_width = settings.logo_height = None
    changes = _audited(before, _content(settings))
    if changes or not before:
        settings.updated_by_id = actor.id if actor is not None else None
        audit.record(
            actor, "edit_organisation_settings", "organisation_settings", SETTINGS_ID, changes
        )
    return settings


def address_lines(settings: OrganisationSettings | None) -> list[str]:
    """The postal address as printed, a line each (empty lines left out)."""
    if settings is None:
        return []
    return [line.strip() for line in settings.postal_address.splitlines() if line.strip()]


def place_in(settings: OrganisationSettings | None, language: str) -> str:
    """The place letters are written from, named in ``language`` when a name was given."""
    if settings is None:
        return ""
    return (settings.place_names or {}).get(language) or settings.place
