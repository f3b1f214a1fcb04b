"""Delivery packages: what is handed to a government, and how its recipient can check it.

A package for one country is a folder (inside a ZIP) holding:

* ``letter.pdf``: the cover letter to that country's government, in the
  language chosen for the delivery: the call's text, the totals (overall
  and for that country), the dates, the notable signatories, and a chart of
  signatures by country (see :mod:`.letter`);
* ``signatures.pdf`` and ``signatures.csv``: that country's counted
  signatures with the fields the campaign chose (left out when the call
  delivers counts only, to protect signers from their own government; see
  :mod:`.signature_list`);
* ``SHA256SUMS``: the SHA-256 of each of those files, for ``sha256sum -c``;
* ``manifest.json``: the count, the time of export, the SHA-256 of every
  other file, ``list_sha256``: the SHA-256 of the canonical list, which
  is exactly the bytes of ``signatures.csv``, and ``receipts``: the RFC 9162
  Merkle root over the leaves of exactly the signatures counted in the
  package, so each signer can prove theirs is in it (:mod:`campaign.receipts`);
* ``signed_root.json``: the site's Ed25519 signature over that root and the
  manifest's SHA-256 (it cannot be inside the manifest it signs).

Each package is recorded as a :class:`~campaign.models.DeliveryPackage`
with the SHA-256 of its ``manifest.json``: a draft, which publishes nothing.
Once it has been handed over, an organiser records the delivery
(``campaign.governments.deliveries``), which is refused for a manifest this
site never built; only then is it listed on the call's public page, so a
recipient can check that the package they hold is the one that was sent.
Only counted signatures (confirmed and ok) are ever included. Nothing here
commits: the caller does, once the ZIP is written.

This module loads the PDF libraries (fpdf2, HarfBuzz): import it only in
the view or command that makes packages.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale

from .. import countries
from ..extensions import db
from ..models import DeliveryMode, DeliveryPackage, Organiser, Petition, utcnow
from ..organisers import audit
from ..receipts import trees
from ..timezones import iso_utc
from .delivery_options import (
    LANGUAGES,
    NOTHING_TO_DELIVER,
    CountryStats,
    country_stats,
    delivery_fields,
)
from .letter import cover_letter
from .signature_list import Progress, write_list

FORMAT = "campaign-delivery/1"
LIST_DEFINITION = (
    "SHA-256 of signatures.csv exactly as included: UTF-8 without a byte order mark, "
    "comma-separated with CRLF line ends, a header row, then one row per counted "
    "signature from the recipient country, oldest confirmation first."
)
# The files a package's checksums cover, in the order SHA256SUMS and the manifest list them.
_CHECKED_FILES = ("letter.pdf", "signatures.pdf", "signatures.csv")


class DeliveryError(ValueError):
    """A delivery that cannot be made as asked (unknown country or language)."""


@dataclass
class CountryPackage:
    country: str
    count: int
    manifest_sha256: str
    files: dict[str, str] = field(default_factory=dict)
    tree: trees.BuiltTree | None = None
    signed_root: dict[str, Any] = field(default_factory=dict)


@dataclass
class DeliveryResult:
    zip_path: str
    packages: list[CountryPackage]

    @property
    def count(self) -> int:
        return sum(p.count for p in self.packages)


def build_delivery(
    petition: Petition,
    *,
    out_dir: str,
    country: str | None = None,
    language: str = "en",
    progress: Progress | None = None,
    now: datetime | None = None,
    built_by: Organiser | None = None,
) -> DeliveryResult:
    """Write the ZIP for one government (``country``) or all of them, and record each.

    Returns where the ZIP is and what each country's package holds. A
    DeliveryPackage row per country (a draft: nothing becomes public) and
    its audit entry are added to the session; the caller commits.
    ``built_by`` is the organiser who asked (None from the command line).
    """
    _check_request(country, language)
    now = (now or utcnow()).replace(microsecond=0)
    stats = country_stats(petition)
    targets = [country] if country else sorted(stats)
    if not targets:
        raise DeliveryError(NOTHING_TO_DELIVER)
    os.makedirs(out_dir, exist_ok=True)
    zip_path = os.path.join(out_dir, zip_name(petition, country, now))
    packages = []
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".delivery-") as work:
        for code in targets:
            folder = os.path.join(work, code)
            os.makedirs(folder)
            with force_locale(language):
                package = _build_country(
                    petition, code, language, stats, folder, now, progress or (lambda n: None)
                )
            packages.append(package)
        _write_zip(work, targets, zip_path)
    _record(petition, packages, language, now, os.path.basename(zip_path), built_by)
    return DeliveryResult(zip_path, packages)


def zip_name(petition: Petition, country: str | None, now: datetime) -> str:
    """The ZIP's name: the call, the country (or ``all``) and the time it was built (UTC)."""
    stamp = now.replace(microsecond=0).strftime("%Y%m%d-%H%M%S")
    return f"{petition.slug}-{country or 'all'}-{stamp}.zip"


def _check_request(country: str | None, language: str) -> None:
    """Refuse a language the letter is not written in, or a country that does not exist."""
    if language not in LANGUAGES:
        raise DeliveryError(f"unknown language {language!r}: choose one of {', '.join(LANGUAGES)}")
    if country is not None and country not in countries.codes():
        raise DeliveryError(f"unknown country code {country!r}")


def _write_zip(work: str, targets: list[str], zip_path: str) -> None:
    """Zip one folder per country; the ZIP appears under its name only once complete."""
    partial = zip_path + ".part"
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for code in targets:
            folder = os.path.join(work, code)
            for name in sorted(os.listdir(folder)):
                archive.write(os.path.join(folder, name), f"{code}/{name}")
    os.replace(partial, zip_path)


def _record(
    petition: Petition,
    packages: list[CountryPackage],
    language: str,
    now: datetime,
    zip_name: str,
    built_by: Organiser | None,
) -> None:
    """Add a DeliveryPackage row per package: a draft, until a delivery records it.

    Building publishes nothing and leaves ``petition.delivered_at`` alone:
    retention counts from the last *recorded* delivery.
    """
    rows = [
        DeliveryPackage(
            petition_id=petition.id,
            recipient_country=package.country,
            signature_count=package.count,
            language=language,
            mode=petition.delivery_mode,
            manifest_sha256=package.manifest_sha256,
            zip_name=zip_name,
            built_by_id=built_by.id if built_by is not None else None,
            created_at=now,
        )
        for package in packages
    ]
    db.session.add_all(rows)
    db.session.flush()
    for row, package in zip(rows, packages, strict=True):
        if package.tree is not None:
            trees.record_tree(row.id, package.tree, package.signed_root)
    for row in rows:
        audit.record(
            built_by,
            "build_delivery_package",
            "delivery_package",
            row.id,
            {"country": row.recipient_country, "manifest_sha256": row.manifest_sha256},
        )


def _build_country(
    petition: Petition,
    code: str,
    language: str,
    stats: dict[str, CountryStats],
    folder: str,
    now: datetime,
    progress: Progress,
) -> CountryPackage:
    """Write one country's folder: lists (unless counts only), letter, checksums, manifest."""
    names_mode = petition.delivery_mode != DeliveryMode.COUNTS_ONLY
    fields = delivery_fields(petition)
    files: dict[str, str] = {}
    own = stats.get(code, CountryStats(0, None, None))
    leaves = trees.LeafCollector()
    if names_mode:
        count, files["signatures.csv"] = write_list(
            petition, code, language, fields, folder, progress, now, leaves
        )
        files["signatures.pdf"] = _sha256(os.path.join(folder, "signatures.pdf"))
    else:
        for public_id, secret, confirmed_on in trees.counted_rows(petition.id, code):
            leaves.add(public_id, secret, code, confirmed_on)
        count = len(leaves.leaves)
        progress(count)
    # The count handed over is the tree's: the signatures read in this one pass.
    own = CountryStats(count, own.first, own.last)
    tree = trees.build_tree(leaves.leaves)
    letter = cover_letter(petition, code, language, stats, own, names_mode, now)
    letter.output(os.path.join(folder, "letter.pdf"))
    files["letter.pdf"] = _sha256(os.path.join(folder, "letter.pdf"))
    files["SHA256SUMS"] = _write_sums(folder, files)
    manifest = {
        **_manifest(petition, code, language, stats, own, fields if names_mode else [], now),
        "files": [
            {"name": name, "sha256": files[name], "bytes": os.path.getsize(f"{folder}/{name}")}
            for name in [*_CHECKED_FILES, "SHA256SUMS"]
            if name in files
        ],
        "list_sha256": files.get("signatures.csv"),
        "list_sha256_definition": LIST_DEFINITION if names_mode else None,
        "receipts": tree.manifest_entry(),
    }
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    with open(os.path.join(folder, "manifest.json"), "wb") as f:
        f.write(data)
    manifest_sha256 = hashlib.sha256(data).hexdigest()
    signed_root = trees.sign_tree(petition.slug, code, tree, manifest_sha256)
    with open(os.path.join(folder, "signed_root.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(signed_root, indent=2) + "\n")
    return CountryPackage(code, own.count, manifest_sha256, files, tree, signed_root)


def _write_sums(folder: str, files: dict[str, str]) -> str:
    """Write SHA256SUMS (for ``sha256sum -c``) of the files written so far; return its own."""
    sums = "".join(f"{files[name]}  {name}\n" for name in _CHECKED_FILES if name in files)
    with open(os.path.join(folder, "SHA256SUMS"), "w", encoding="utf-8", newline="\n") as f:
        f.write(sums)
    return hashlib.sha256(sums.encode("utf-8")).hexdigest()


def _manifest(
    petition: Petition,
    code: str,
    language: str,
    stats: dict[str, CountryStats],
    own: CountryStats,
    fields: list[str],
    now: datetime,
) -> dict[str, Any]:
    """What the package is: the call, the recipient, the counts and dates (its files aside)."""
    return {
        "format": FORMAT,
        "call": {
            "slug": petition.slug,
            "title": petition.title,
            "url": f"{current_app.config['BASE_URL']}/petitions/{petition.slug}",
        },
        "recipient": {"country": code, "name": countries.name(code, "en")},
        "language": language,
        "mode": petition.delivery_mode,
        "fields": fields,
        "signature_count": own.count,
        "total_signature_count": sum(s.count for s in stats.values()),
        "first_confirmed_at": iso_utc(own.first),
        "last_confirmed_at": iso_utc(own.last),
        "exported_at": iso_utc(now),
    }


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
