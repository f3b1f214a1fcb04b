"""A delivery package's ZIP as the site keeps it, checked before it is emailed or served.

Packages built on the organisers' page are kept in the database
(:mod:`campaign.stored_files`), so every host serves the same ZIP; one built
from the command line lives wherever it was written, and the site cannot
send it. A
package that goes to a government by email must hold that country's folder
alone (a ZIP built for every government holds every country's signers) and
its ``manifest.json`` must still hash to what was recorded, so the file a
government downloads is the one the public record names.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from .. import countries
from ..extensions import db
from ..i18n import current_language
from ..models import DeliveryPackage, FileKind, Petition, StoredFile
from ..stored_files import ChunkReader, FileGone, newest
from .deliveries import MANIFEST_MAX_BYTES, DeliveryRefused

# The names the package builder gives its ZIPs (slug, country or "all", time stamp).
_ZIP_NAME = re.compile(r"^[A-Za-z0-9-]+\.zip$")


@dataclass(frozen=True)
class PackageFile:
    """A package's ZIP as stored, and what its manifest says."""

    stored: StoredFile
    manifest: dict[str, Any]


def package_file(petition: Petition, package: DeliveryPackage) -> PackageFile:
    """The ZIP of ``package``, checked; raises DeliveryRefused (field ``package``) saying
    why it cannot go: not kept here, gone, unreadable, other countries inside, or changed."""
    name = package.zip_name or ""
    if not _ZIP_NAME.match(name):
        raise DeliveryRefused(
            _(
                "This package's ZIP is not kept on the site (it was built from the command "
                "line): build the package on the site to deliver it by email."
            ),
            "package",
        )
    stored = newest(FileKind.PACKAGE, petition.id, name)
    if stored is None:
        raise DeliveryRefused(
            _(
                "The ZIP file %(name)s is no longer on the site (packages are erased with the "
                "call's personal data). Build a new package.",
                name=name,
            ),
            "package",
        )
    return PackageFile(stored, _manifest(stored, package))


def _manifest(stored: StoredFile, package: DeliveryPackage) -> dict[str, Any]:
    country = package.recipient_country
    try:
        with zipfile.ZipFile(ChunkReader(db.session.connection(), stored)) as archive:
            if any(not entry.startswith(f"{country}/") for entry in archive.namelist()):
                raise DeliveryRefused(
                    _(
                        "This ZIP holds the packages of several governments: build a package "
                        "for %(country)s alone to deliver it by email.",
                        country=countries.name(country, current_language()),
                    ),
                    "package",
                )
            info = archive.getinfo(f"{country}/manifest.json")
            if info.file_size > MANIFEST_MAX_BYTES:
                raise KeyError(info.filename)
            data = archive.read(info)
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, FileGone):
        data = b""
    if hashlib.sha256(data).hexdigest() != package.manifest_sha256:
        raise DeliveryRefused(
            _(
                "The ZIP file %(name)s is not the package that was built (its manifest is "
                "missing or changed). Build a new package.",
                name=package.zip_name,
            ),
            "package",
        )
    manifest = json.loads(data)
    return manifest if isinstance(manifest, dict) else {}
