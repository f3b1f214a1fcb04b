"""Recording a delivery: a package this site built, handed to a government.

Building a package (``campaign.exports.delivery``) writes a draft, a
:class:`~campaign.models.DeliveryPackage` with the SHA-256 of its
``manifest.json``. Once it has been handed over, an organiser records the
delivery: the country, the date, the channel, the body it went to and who
handed it over. Only a package this site built can be recorded (from the
command line, the ZIP's manifest must hash to one of the call's packages for
that country), each once. Recorded deliveries are public, with the
manifest's hash, and retention counts from the last one
(``petition.delivered_at``). Functions never read the request and never
commit.
"""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
import zlib
from datetime import date, datetime, time
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..forms import clean_text
from ..models import Delivery, DeliveryChannel, DeliveryPackage, Organiser, Petition
from ..organisers import audit
from ..timezones import to_local, to_utc, valid_timezone
from . import news, targets
from .scoreboard import today_for

HANDED_OVER_BY_MAX = 200
BODY_MAX = targets.BODY_MAX
# A manifest is a few kilobytes; a bigger one is not a package this site built.
MANIFEST_MAX_BYTES = 1 << 20


class DeliveryRefused(ValueError):
    """A delivery that cannot be recorded as asked; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# -- reading ---------------------------------------------------------------------------


def deliveries_of(petition: Petition) -> list[Delivery]:
    """A call's recorded deliveries with their answers, latest first."""
    return list(
        db.session.scalars(
            select(Delivery)
            .where(Delivery.petition_id == petition.id)
            .options(selectinload(Delivery.response))
            .order_by(Delivery.delivered_on.desc(), Delivery.id.desc())
        )
    )


def packages_of(petition: Petition, country: str | None = None) -> list[DeliveryPackage]:
    """The packages built for a call (for one country), newest first."""
    query = select(DeliveryPackage).where(DeliveryPackage.petition_id == petition.id)
    if country is not None:
        query = query.where(DeliveryPackage.recipient_country == country)
    return list(
        db.session.scalars(
            query.order_by(DeliveryPackage.created_at.desc(), DeliveryPackage.id.desc())
        )
    )


def recorded_package_ids(petition: Petition) -> set[int]:
    return set(
        db.session.scalars(select(Delivery.package_id).where(Delivery.petition_id == petition.id))
    )


def package_by_manifest(petition: Petition, country: str, sha256: str) -> DeliveryPackage | None:
    """The package of ``petition`` for ``country`` whose manifest has this hash, if built here.

    Two builds in the same second write the same manifest: one not yet recorded comes first.
    """
    built = list(
        db.session.scalars(
            select(DeliveryPackage)
            .where(
                DeliveryPackage.petition_id == petition.id,
                DeliveryPackage.recipient_country == country,
                DeliveryPackage.manifest_sha256 == sha256.lower(),
            )
            .order_by(DeliveryPackage.id)
        )
    )
    recorded = recorded_package_ids(petition) if len(built) > 1 else set()
    return next((p for p in built if p.id not in recorded), built[0] if built else None)


def manifest_sha256(archive: str | IO[bytes], country: str) -> str:
    """The SHA-256 of ``COUNTRY/manifest.json`` in a package's ZIP (a path or a file).

    Raises DeliveryRefused for a file that is not a ZIP or holds no folder for
    that country.
    """
    name = f"{country}/manifest.json"
    try:
        with zipfile.ZipFile(archive) as package:
            try:
                info = package.getinfo(name)
            except KeyError:
                raise DeliveryRefused(
                    _(
                        "This package has no folder for %(country)s (no %(name)s in the ZIP).",
                        country=country,
                        name=name,
                    )
                ) from None
            if info.file_size > MANIFEST_MAX_BYTES:
                raise DeliveryRefused(_("This package's manifest is not one this site wrote."))
            return hashlib.sha256(package.read(info)).hexdigest()
    except (zipfile.BadZipFile, zlib.error, OSError) as error:
        raise DeliveryRefused(
            _("This file is not a readable ZIP: %(error)s", error=error)
        ) from None


# -- recording --------------------------------------------------------------------------


def _check_date(petition: Petition, package: DeliveryPackage, delivered_on: date) -> None:
    if delivered_on > today_for(petition):
        raise DeliveryRefused(_("A delivery cannot be dated in the future."), "delivered_on")
    zone = petition.timezone if valid_timezone(petition.timezone) else "UTC"
    built_on = to_local(package.created_at, zone).date()
    if delivered_on < built_on:
        raise DeliveryRefused(
            _(
                "This package was built on %(built)s: it cannot have been handed over before.",
                built=built_on.isoformat(),
            ),
            "delivered_on",
        )


def _text(value: str | None, default: str, limit: int, field: str, missing: str) -> str:
    """One line of public text, cleaned as forms clean it, or ``default`` when blank."""
    text = clean_text(value) or default
    if not text:
        raise DeliveryRefused(missing, field)
    if len(text) > limit:
        raise DeliveryRefused(_("Please keep it to %(max)d characters at most.", max=limit), field)
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text):
        raise DeliveryRefused(
            _("Please use letters, spaces and punctuation only, on one line."), field
        )
    return text


def _check_package(petition: Petition, package: DeliveryPackage) -> None:
    if package.petition_id != petition.id:
        raise DeliveryRefused(_("This package was built for another call."), "package")
    if package.id in recorded_package_ids(petition):
        raise DeliveryRefused(_("This package's delivery is already recorded."), "package")


def _check_channel(channel: str) -> None:
    if channel not in {c.value for c in DeliveryChannel}:
        raise DeliveryRefused(
            _("Choose a channel: %(known)s.", known=", ".join(c.value for c in DeliveryChannel)),
            "channel",
        )


def _start_retention(petition: Petition, delivered_on: date) -> None:
    """Retention counts from the last recorded delivery: the start of its day, call's time."""
    zone = petition.timezone if valid_timezone(petition.timezone) else "UTC"
    moment = to_utc(datetime.combine(delivered_on, time()), zone)
    if petition.delivered_at is None or petition.delivered_at < moment:
        petition.delivered_at = moment


def record_delivery(
    petition: Petition,
    package: DeliveryPackage,
    *,
    delivered_on: date,
    channel: DeliveryChannel | str,
    body: str | None = None,
    handed_over_by: str | None = None,
    actor: Organiser | None,
) -> Delivery:
    """Record that ``package`` was handed to its country's government; return the Delivery.

    ``body`` defaults to the body of the call's target for that country, and
    ``handed_over_by`` to the call's organisation. Refused (DeliveryRefused,
    naming the field) for a package of another call or already recorded, a
    date in the future (in the call's time zone) or before the package was
    built, or an unknown channel. The delivery is linked to the country's
    target when there is one, ``petition.delivered_at`` moves to it if it is
    the latest, and an audit entry records it (ids and field names). Recorded by
    someone else at that moment, it is refused after a rollback (see _insert).

    This is the one place a delivery is recorded: the back office and the
    command line both come here, then commit. The signers of that country
    who asked to hear of it are told (an announcement the news worker
    sends), in the same transaction.
    """
    _check_package(petition, package)
    _check_channel(channel)
    _check_date(petition, package, delivered_on)
    target = targets.target_of(petition, package.recipient_country)
    delivery = Delivery(
        petition_id=petition.id,
        target_id=target.id if target is not None else None,
        package_id=package.id,
        country=package.recipient_country,
        delivered_on=delivered_on,
        channel=str(channel),
        body=_text(
            body,
            target.body if target is not None else "",
            BODY_MAX,
            "body",
            _("Please name the body the package went to."),
        ),
        handed_over_by=_text(
            handed_over_by,
            petition.organisation,
            HANDED_OVER_BY_MAX,
            "handed_over_by",
            _("Please say who handed it over (a name or a role)."),
        ),
        signature_count=package.signature_count,
        manifest_sha256=package.manifest_sha256,
        recorded_by_id=actor.id if actor is not None else None,
    )
    _insert(delivery)
    _start_retention(petition, delivered_on)
    _audit(delivery, actor)
    news.announce_delivery(delivery)
    return delivery


def _insert(delivery: Delivery) -> None:
    db.session.add(delivery)
    try:
        db.session.flush()
    except IntegrityError:
        # Another organiser recorded it between the check and now: theirs stands. The
        # session is unusable after a failed flush, so it is rolled back here.
        db.session.rollback()
        raise DeliveryRefused(
            _("This package's delivery is already recorded."), "package"
        ) from None


def _audit(delivery: Delivery, actor: Organiser | None) -> None:
    """Ids, country, date, channel and hash; not who handed it over (maybe a person's name)."""
    audit.record(
        actor,
        "record_delivery",
        "delivery",
        delivery.id,
        {
            "petition_id": delivery.petition_id,
            "package_id": delivery.package_id,
            "country": delivery.country,
            "delivered_on": delivery.delivered_on,
            "channel": delivery.channel,
            "manifest_sha256": delivery.manifest_sha256,
        },
    )
