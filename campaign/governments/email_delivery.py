"""Delivering a package by email from the site.

The organiser sees exactly what will go (:func:`plan`, :func:`preview`),
then one call records the delivery (:func:`.deliveries.record_delivery`,
channel email, dated today in the call's time zone) and puts in the outbox
one message per contact address of the country's target: the cover letter,
in the package's language, with a download link of its own (see
:mod:`.links`), so that a download or a bounce names one address. All of it
is written in the caller's transaction: nothing is sent unless the delivery
is committed. Refused before anything is written (DeliveryRefused): a
package of another call or already recorded, a target without addresses or
whose mail bounced, a ZIP the site does not hold as built.

An expired link is replaced by :func:`send_fresh_link`: new messages for
the same delivery, to the target's addresses as they are now. Both are in
the audit log with ids, country and how many addresses, never the
addresses. Functions never read the request and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import force_locale, format_date, format_number, ngettext
from flask_babel import gettext as _

from .. import countries
from ..extensions import db
from ..i18n import current_language, public_url
from ..mail.services import compose, enqueue
from ..models import (
    Delivery,
    DeliveryChannel,
    DeliveryEmail,
    DeliveryMode,
    DeliveryPackage,
    GovernmentTarget,
    Organiser,
    Petition,
    utcnow,
)
from ..organisers import audit
from ..petitions.services import call_text
from . import deliveries, links, targets
from .deliveries import DeliveryRefused
from .package_files import package_file
from .scoreboard import today_for

KIND = "delivery_package"


@dataclass(frozen=True)
class EmailPlan:
    """What delivering a package by email would send, checked."""

    petition: Petition
    package: DeliveryPackage
    target: GovernmentTarget
    addresses: list[str]
    manifest: dict[str, Any]

    @property
    def language(self) -> str:
        return self.package.language


def check_target(target: GovernmentTarget | None, country: str) -> GovernmentTarget:
    """The target mail can go to; refused when it has no address or its mail bounced."""
    name = countries.name(country, current_language())
    if target is None or not target.email_list:
        raise DeliveryRefused(
            _(
                "The government of %(country)s has no contact address: add one on the "
                "Governments page first.",
                country=name,
            )
        )
    if target.bounced_at is not None:
        raise DeliveryRefused(
            _(
                "Mail to the government of %(country)s bounced on %(date)s (%(reason)s). "
                "Correct its contact addresses on the Governments page first: saving new "
                "ones clears the bounce.",
                country=name,
                date=format_date(target.bounced_at, "long"),
                reason=target.bounce_reason or "-",
            )
        )
    return target


def plan(petition: Petition, package: DeliveryPackage) -> EmailPlan:
    """Check that ``package`` can be delivered by email now; what would go."""
    if package.petition_id != petition.id:
        raise DeliveryRefused(_("This package was built for another call."), "package")
    if package.id in deliveries.recorded_package_ids(petition):
        raise DeliveryRefused(_("This package's delivery is already recorded."), "package")
    country = package.recipient_country
    target = check_target(targets.target_of(petition, country), country)
    found = package_file(petition, package)
    return EmailPlan(petition, package, target, target.email_list, found.manifest)


def _expiry() -> datetime | None:
    days = links.max_age_days()
    return utcnow() + timedelta(days=days) if days else None


def _message(
    checked: EmailPlan, *, body: str, handed_over_by: str, download_url: str
) -> dict[str, Any]:
    """The cover letter's email as :func:`..mail.services.compose` takes it, in the
    package's language."""
    petition, package, language = checked.petition, checked.package, checked.language
    country_name = countries.name(package.recipient_country, language)
    with force_locale(language):
        subject = ngettext(
            "“%(title)s”, signed by %(count)s person in %(country)s",
            "“%(title)s”, signed by %(count)s people in %(country)s",
            package.signature_count,
            count=format_number(package.signature_count),
            title=call_text(petition, language).title,
            country=country_name,
        )
    context = {
        "petition": petition,
        "body": body,
        "country_name": country_name,
        "handed_over_by": handed_over_by,
        "count": package.signature_count,
        "total": checked.manifest.get("total_signature_count") or package.signature_count,
        "names_mode": package.mode != DeliveryMode.COUNTS_ONLY,
        "download_url": download_url,
        "expires_on": _expiry(),
        "manifest_sha256": package.manifest_sha256,
        "deliveries_url": public_url("exports.deliveries", language, slug=petition.slug),
    }
    return {
        "kind": KIND,
        "to_name": "",
        "template": KIND,
        "subject": subject,
        "language": language,
        "context": context,
        # Not mail to the call's signers: kept out of their failure and bounce reports.
        "petition_id": None,
    }


def preview(checked: EmailPlan, handed_over_by: str) -> tuple[str, str]:
    """The subject and text of the email as each address would get it, but for its link."""
    values = compose(
        to_address=checked.addresses[0],
        **_message(
            checked,
            body=checked.target.body,
            handed_over_by=handed_over_by,
            download_url=_("[a download link of its own for each address]"),
        ),
    )
    return values["subject"], values["body_text"]


def _send(checked: EmailPlan, delivery: Delivery, actor: Organiser | None) -> int:
    """Queue a message with a link of its own to each address; how many."""
    for address in checked.addresses:
        sent = DeliveryEmail(delivery_id=delivery.id, sent_by_id=actor.id if actor else None)
        db.session.add(sent)
        db.session.flush()
        message = _message(
            checked,
            body=delivery.body,
            handed_over_by=delivery.handed_over_by,
            download_url=links.make_url(sent, checked.language),
        )
        sent.outbox_message_id = enqueue(to_address=address, **message)
    return len(checked.addresses)


def deliver_by_email(
    petition: Petition, package: DeliveryPackage, *, handed_over_by: str | None, actor: Organiser
) -> Delivery:
    """Record the delivery of ``package`` by email, dated today, and queue its messages."""
    checked = plan(petition, package)
    delivery = deliveries.record_delivery(
        petition,
        package,
        delivered_on=today_for(petition),
        channel=DeliveryChannel.EMAIL,
        handed_over_by=handed_over_by,
        actor=actor,
    )
    _audit("deliver_by_email", delivery, _send(checked, delivery, actor), actor)
    return delivery


def send_fresh_link(delivery: Delivery, actor: Organiser | None) -> int:
    """Send the package of a delivery made by email again, with fresh links, to the
    target's addresses as they are now; how many. Refused as :func:`plan` refuses."""
    if delivery.channel != DeliveryChannel.EMAIL:
        raise DeliveryRefused(
            _("This delivery was not made by email: there is no link to send again.")
        )
    petition = db.session.get(Petition, delivery.petition_id)
    target = check_target(
        delivery.target or targets.target_of(petition, delivery.country), delivery.country
    )
    found = package_file(petition, delivery.package)
    checked = EmailPlan(petition, delivery.package, target, target.email_list, found.manifest)
    count = _send(checked, delivery, actor)
    _audit("send_delivery_link", delivery, count, actor)
    return count


def _audit(action: str, delivery: Delivery, addresses: int, actor: Organiser | None) -> None:
    """Ids, country and how many addresses: never the addresses themselves."""
    audit.record(
        actor,
        action,
        "delivery",
        delivery.id,
        {
            "petition_id": delivery.petition_id,
            "package_id": delivery.package_id,
            "country": delivery.country,
            "addresses": addresses,
        },
    )
