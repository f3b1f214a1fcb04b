"""Helpers for the governments' tests: targets, packages, deliveries and answers made
directly as rows, a call that addresses one government in each state of the scoreboard,
and the back office's forms."""

from __future__ import annotations

import hashlib
import itertools
from datetime import date, timedelta

from sqlalchemy import delete, select

from campaign.extensions import db
from campaign.governments.scoreboard import today_for
from campaign.models import (
    AuditEntry,
    Delivery,
    DeliveryPackage,
    GovernmentResponse,
    GovernmentTarget,
    Petition,
)
from campaign.petitions.counters import adjust_counters

from ..helpers.backoffice import csrf_token

SLUG = "call-to-governments"


def calls_base(petition: dict) -> str:
    return f"/organiser/calls/{petition['id']}"


def targets_snapshot(app) -> dict[str, tuple]:
    """Every target of every call, by country, as comparable tuples."""
    with app.app_context():
        return {
            t.country: (t.body, t.emails, t.postal_address, t.languages, t.threshold)
            for t in db.session.scalars(select(GovernmentTarget))
        }


def audit_entries(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        entries = list(
            db.session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        )
        for entry in entries:
            db.session.expunge(entry)
        return entries


def post_form(client, page: str, data: dict, *, to: str | None = None, **kwargs):
    """Post ``data`` to ``to`` (or ``page``) with the CSRF token read from ``page``."""
    token = csrf_token(client, page)
    return client.post(to or page, data={"csrf_token": token, **data}, **kwargs)


def build_package(app, client, country: str = "CH", language: str = "fr"):
    """Ask for a package on the admins' page and let the worker build it, as
    ``flask export work`` does beside the site; returns the job's page, once ready."""
    asked = post_form(
        client, f"/organiser/exports/{SLUG}/delivery", {"country": country, "language": language}
    )
    assert asked.status_code == 303, asked.get_data(as_text=True)[:500]
    worked = app.test_cli_runner().invoke(args=["export", "work", "--until-empty"])
    assert worked.exit_code == 0, worked.output
    return client.get(asked.headers["Location"])


_counter = itertools.count()

# What must never reach a public page, feed or JSON: the targets' contacts and who
# handed a package over.
SECRET_CONTACTS = ("ministry-desk@gov.example", "Rue du Secret 12, 9999 Nowhere")
HANDED_OVER_BY = "Jane Q. Organiser"


def add_target(
    petition_id: int,
    country: str,
    *,
    threshold: int = 100,
    body: str | None = None,
    languages: str = "en",
) -> int:
    """The call's target for ``country``, made or (one of the demo call's) rewritten."""
    target = db.session.scalar(
        select(GovernmentTarget).where(
            GovernmentTarget.petition_id == petition_id, GovernmentTarget.country == country
        )
    ) or GovernmentTarget(petition_id=petition_id, country=country)
    target.body = body or f"Ministry of Foreign Affairs ({country})"
    target.emails = f"{SECRET_CONTACTS[0]}\nsecond-{country.lower()}@gov.example\n"
    target.postal_address = SECRET_CONTACTS[1]
    target.languages = languages
    target.threshold = threshold
    db.session.add(target)
    db.session.flush()
    return target.id


def without_targets(petition_id: int) -> None:
    """Forget the targets the demo call comes with, so a test says which it addresses."""
    db.session.execute(delete(GovernmentTarget).where(GovernmentTarget.petition_id == petition_id))


def add_delivery(
    petition_id: int,
    country: str,
    delivered_on: date,
    *,
    signature_count: int = 100,
    channel: str = "by_hand",
    body: str | None = None,
) -> int:
    """A package built for ``country`` and its recorded delivery."""
    n = next(_counter)
    sha = hashlib.sha256(f"manifest-{country}-{n}".encode()).hexdigest()
    package = DeliveryPackage(
        petition_id=petition_id,
        recipient_country=country,
        signature_count=signature_count,
        language="en",
        mode="names",
        manifest_sha256=sha,
        zip_name=f"package-{n}.zip",
    )
    db.session.add(package)
    db.session.flush()
    target_id = db.session.scalar(
        db.select(GovernmentTarget.id).where(
            GovernmentTarget.petition_id == petition_id, GovernmentTarget.country == country
        )
    )
    delivery = Delivery(
        petition_id=petition_id,
        target_id=target_id,
        package_id=package.id,
        country=country,
        delivered_on=delivered_on,
        channel=channel,
        body=body or f"Ministry of Foreign Affairs ({country})",
        handed_over_by=HANDED_OVER_BY,
        signature_count=signature_count,
        manifest_sha256=sha,
    )
    db.session.add(delivery)
    db.session.flush()
    return delivery.id


def add_response(
    delivery_id: int,
    responded_on: date,
    *,
    stance: str = "partly_supports",
    summary: str = "The ministry will raise the matter at the next council.",
    texts: dict[str, str] | None = None,
    source_url: str | None = "https://gov.example/press/answer",
) -> int:
    response = GovernmentResponse(
        delivery_id=delivery_id,
        responded_on=responded_on,
        stance=stance,
        summary=summary,
        texts=texts or {},
        source_url=source_url,
    )
    db.session.add(response)
    db.session.flush()
    return response.id


def today(petition_id: int) -> date:
    return today_for(db.session.get(Petition, petition_id))


def one_in_each_state(petition_id: int) -> dict[str, int]:
    """FR collecting, CH ready, ES delivered, MX no reply, KE responded (and JP signed
    for, but not addressed). Returns the ids of the deliveries by country. Commits."""
    now = today(petition_id)
    without_targets(petition_id)
    for code, count in {"FR": 388, "CH": 420, "ES": 251, "MX": 97, "KE": 45, "JP": 12}.items():
        adjust_counters(petition_id, code, count)
    add_target(petition_id, "FR", threshold=500)
    add_target(petition_id, "CH", threshold=100, body="Federal Department of Foreign Affairs")
    add_target(petition_id, "ES", threshold=200)
    add_target(petition_id, "MX", threshold=50)
    add_target(petition_id, "KE", threshold=40)
    deliveries = {
        "ES": add_delivery(petition_id, "ES", now - timedelta(days=10), signature_count=240),
        "MX": add_delivery(petition_id, "MX", now - timedelta(days=90), signature_count=90),
        "KE": add_delivery(petition_id, "KE", now - timedelta(days=30), signature_count=44),
    }
    add_response(
        deliveries["KE"],
        now - timedelta(days=5),
        texts={
            "en": "The Government of Kenya thanks the signatories.\n\nIt will act.",
            "fr": "Le gouvernement du Kenya remercie les signataires.",
        },
    )
    db.session.commit()
    return deliveries
