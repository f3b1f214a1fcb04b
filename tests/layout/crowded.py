"""A call as a busy campaign leaves it, with the longest things people type.

Everything a back-office page lists is there at least once: signers with long names
and addresses (counted, suspect, invalidated, pending), a package waiting for its
delivery and one delivered by email, recorded deliveries and an answer, a finished
package job, blocklist entries, an update, refused and bounced mail, an audit trail
with large changes, and several accounts. Rows go through the services where there
are some, so they look as the site would have written them.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from fpdf import FPDF
from sqlalchemy import select

from campaign import tokens
from campaign.events.cli import seed_demo_event
from campaign.exports.delivery import build_delivery
from campaign.exports.job_worker import store_package
from campaign.exports.storage import scratch_dir
from campaign.extensions import db
from campaign.governments import email_delivery
from campaign.mail.services import new_message_id
from campaign.models import (
    DeliveryPackage,
    EventRegistration,
    GovernmentTarget,
    JobStatus,
    NotableSignatory,
    Organiser,
    OutboxMessage,
    OutboxStatus,
    PackageJob,
    Petition,
    RegistrationStatus,
    Signature,
    SupporterUpdate,
    new_public_id,
    utcnow,
)
from campaign.moderation import services as moderation
from campaign.moderation.blocklists import add_block
from campaign.organisers import audit
from campaign.petitions.cli import seed_demo
from campaign.publications import services as publications
from campaign.updates import translations as update_translations

from ..governments.helpers import add_target, one_in_each_state
from ..helpers.backoffice import add_signature

# What people really type, at lengths the forms accept.
LONG_NAME = "Maria-Fernanda de los Ángeles Rodríguez-Villanueva y Montenegro-Castellanos"
LONG_DOMAIN = "departamento-de-salud-publica.hospital-universitario.example.org"
LONG_EMAIL = f"maria.fernanda.de.los.angeles.rodriguez-villanueva@{LONG_DOMAIN}"
LONG_REASON = (
    "Forty-two signatures from one address in a minute, all with made-up names: "
    "a script, not people (see the busiest addresses on the dashboard)."
)
LONG_ERROR = (
    f"550 5.1.1 <{LONG_EMAIL}>: Recipient address rejected: User unknown in virtual "
    "mailbox table; https://postmaster.example.org/errors/5.1.1?reference="
    "0123456789abcdef0123456789abcdef0123456789abcdef"
)


# GET routes under /organiser that are not pages, or not pages of their own.
NOT_PAGES = {
    "exports.download_delivery": "a ZIP file",
    "exports.full_csv": "a CSV file",
    "exports.delivery_job_progress": "the progress bar's JSON",
    "organisers.sign_in": "opened signed out, with the public pages",
    "organisers.sign_in_code": "reached only after a password, with two-step sign-in on",
    "organisers.forgot_password": "opened signed out, from the sign-in page",
    "organisers.reset_password": "opened signed out, from an emailed link",
    "organisers.accept_invitation": "opened signed out, from an emailed link",
}


@dataclass
class Crowded:
    """Who signs in, and what the URLs need: ids of rows by argument name, query
    strings by endpoint, and the signed tokens of the pages a signer's email opens."""

    admin_email: str
    ids: dict[str, int | str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    public_tokens: dict[str, str] = field(default_factory=dict)


def crowd(app, organisers: dict[str, dict]) -> Crowded:
    """Fill the demo call and the site with all of the above; commits.

    In a request's context: delivering by email names the country in the request's
    language, as the back office does."""
    with app.test_request_context():
        petition, _created = seed_demo()
        db.session.commit()
        one_in_each_state(petition.id)
        # The menu names the account by its name, or else its address.
        admin = db.session.get(Organiser, organisers["admin"]["id"])
        admin.name, admin.email = "", f"admin.{LONG_EMAIL}"
        crowded = Crowded(admin_email=admin.email)
        _signers(petition, admin, crowded)
        _packages(petition, admin, crowded)
        entry_id = _moderation_and_mail(petition, admin)
        _audit_trail(petition, admin)
        crowded.ids["organiser_id"] = _accounts()
        crowded.ids["event_id"] = _event(petition, crowded)
        notable = db.session.scalars(
            select(NotableSignatory).where(NotableSignatory.petition_id == petition.id)
        ).first()
        update = db.session.scalar(select(SupporterUpdate))
        # Its French version, so that version's page and its deletion are measured too.
        update_translations.save_translation(
            update,
            "fr",
            "Ce que les gouvernements de la Suisse, du Kenya et du Mexique ont répondu jusqu’ici",
            "Trois gouvernements ont répondu.",
            admin,
        )
        crowded.ids.update(
            petition_id=petition.id,
            slug=petition.slug,
            notable_id=notable.id,
            update_id=update.id,
            target_id=db.session.scalars(
                select(GovernmentTarget.id).where(GovernmentTarget.petition_id == petition.id)
            ).first(),
            language="fr",
            entry_id=entry_id,
            publication_id=_publication(petition, admin),
        )
        db.session.commit()
        return crowded


PUBLICATION_SLUG = "what-attacks-on-hospitals-cost-patients-staff-and-the-public-in-2026"


def _publication(petition: Petition, admin: Organiser) -> int:
    """A published report with the longest title and address, a PDF in two languages
    (a small real one), related to the call; returns its id."""
    publication = publications.create(
        {
            "slug": PUBLICATION_SLUG,
            "language": "en",
            "published_on": date(2026, 11, 30),
            "petition_id": petition.id,
        },
        "What Attacks on Hospitals Cost Patients, Staff and the Public: "
        "Evidence from Forty-Two Countries, with Recommendations for Governments",
        "One paragraph.\n\n" + "https://" + LONG_DOMAIN + "/" + "a" * 120,
        admin,
    )
    for language in ("en", "ar"):
        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.cell(text="Report")
        publications.set_file(publication, language, io.BytesIO(bytes(pdf.output())), admin)
    publications.set_published(publication, True, admin)
    db.session.flush()
    return publication.id


def _signers(petition: Petition, admin: Organiser, crowded: Crowded) -> None:
    """Public signers in Switzerland and Japan (for the packages), and one of each
    state the moderators see."""
    ids = [
        add_signature(
            petition.id,
            f"{n}.{LONG_EMAIL}",
            name=f"{LONG_NAME} {n}",
            country=country,
            public=True,
            updates=True,
            ip="2001:db8:85a3:8d3:1319:8a2e:370:7348",
        )
        for n, country in enumerate(["CH", "CH", "JP", "JP", "FR"])
    ]
    add_signature(petition.id, f"suspect.{LONG_EMAIL}", name=LONG_NAME, validity="suspect")
    add_signature(petition.id, f"pending.{LONG_EMAIL}", name=LONG_NAME, confirmed=False)
    invalid = add_signature(petition.id, f"invalid.{LONG_EMAIL}", name=LONG_NAME)
    moderation.invalidate(db.session.get(Signature, invalid), admin, LONG_REASON)
    signer = db.session.get(Signature, ids[0])
    crowded.ids["signature_id"] = signer.id
    crowded.query["organisers.signatures_bulk"] = f"action=invalidate&domain={LONG_DOMAIN}"
    for purpose in (tokens.Purpose.SIGNATURE, tokens.Purpose.UNSUBSCRIBE):
        crowded.public_tokens[purpose.name] = tokens.make(purpose, signer.public_id)


def _packages(petition: Petition, admin: Organiser, crowded: Crowded) -> None:
    """A Swiss package waiting for its delivery (and the job that built it), and a
    Japanese one delivered by email."""
    add_target(petition.id, "JP", threshold=2, body="Ministry of Foreign Affairs of Japan")
    built = {}
    for country in ("CH", "JP"):
        result = build_delivery(petition, out_dir=scratch_dir(), country=country, built_by=admin)
        store_package(petition, result.zip_path)  # kept on the site, as the worker keeps it
        built[country] = db.session.scalar(
            select(DeliveryPackage).where(
                DeliveryPackage.manifest_sha256 == result.packages[0].manifest_sha256
            )
        )
    delivery = email_delivery.deliver_by_email(
        petition, built["JP"], handed_over_by=LONG_NAME, actor=admin
    )
    job = PackageJob(
        petition_id=petition.id,
        country="CH",
        language="en",
        requested_by_id=admin.id,
        status=JobStatus.DONE,
        progress_done=2,
        progress_total=2,
        zip_name=built["CH"].zip_name,
        package_ids=[built["CH"].id],
        finished_at=utcnow(),
    )
    db.session.add(job)
    db.session.flush()
    crowded.ids.update(package_id=built["CH"].id, job_id=job.id, delivery_id=delivery.id)
    crowded.query["organisers.government_delivery_new"] = "country=CH"


def _moderation_and_mail(petition: Petition, admin: Organiser) -> int:
    """Blocklist entries, a draft update, and mail refused and bounced for good; returns the
    id of the longest entry (its removal's question page is measured too)."""
    longest = add_block("email", f"blocked.{LONG_EMAIL}", petition.id, LONG_REASON, admin)
    add_block("domain", LONG_DOMAIN, None, LONG_REASON, admin)
    add_block("ip_range", "2001:db8:85a3::/48", None, LONG_REASON, admin)
    db.session.add(
        SupporterUpdate(
            petition_id=petition.id,
            subject="What the governments of Switzerland, Kenya and Mexico have answered so far",
            body_markdown="Three governments have answered.",
            created_by_id=admin.id,
        )
    )
    now = utcnow()
    for status in (OutboxStatus.FAILED, OutboxStatus.BOUNCED):
        db.session.add(
            OutboxMessage(
                message_id=new_message_id(),
                kind="confirm",
                petition_id=petition.id,
                to_address=LONG_EMAIL,
                subject="Confirm your signature",
                body_text="",
                body_html="",
                status=status,
                last_error=LONG_ERROR,
                created_at=now - timedelta(hours=1),
                bounced_at=now if status == OutboxStatus.BOUNCED else None,
                bounce_status="5.1.1" if status == OutboxStatus.BOUNCED else None,
                bounce_diagnostic=LONG_ERROR if status == OutboxStatus.BOUNCED else None,
            )
        )
    db.session.flush()
    return longest.id


def _audit_trail(petition: Petition, admin: Organiser) -> None:
    """Edits whose changes are whole paragraphs, and values with no space to wrap at."""
    before = {"body_markdown": petition.body_markdown, "summary": petition.summary}
    after = {"body_markdown": petition.body_markdown + "\n\nOne more paragraph.", "summary": ""}
    audit.record(admin, "edit_call", "petition", petition.id, audit.diff(before, after))
    unbroken = {"organisation_url": "https://" + LONG_DOMAIN + "/" + "a" * 120}
    audit.record(admin, "edit_organisation", "organisation", 1, audit.diff({}, unbroken))
    audit.record(None, "erase_signatures", "signature", "", {"ids": list(range(1000, 1100))})


def _accounts() -> int:
    """A few more accounts: long addresses, a disabled one, one with two-step sign-in, one
    invited; returns the id of the first (whose page, and disabling, are measured)."""
    db.session.add(
        Organiser(
            email=f"invited.{LONG_EMAIL}",
            name=LONG_NAME,
            role="moderator",
            password_hash="",
            invited_at=utcnow(),
        )
    )
    ids = []
    for n, (role, active) in enumerate([("editor", True), ("moderator", False), ("admin", True)]):
        organiser = Organiser(
            email=f"team.member.{n}.{LONG_EMAIL}",
            name=f"{LONG_NAME} {n}",
            role=role,
            password_hash="!",
            active=active,
            totp_secret="JBSWY3DPEHPK3PXP" if n == 2 else None,
            last_sign_in_at=utcnow(),
        )
        db.session.add(organiser)
        db.session.flush()
        ids.append(organiser.id)
    return ids[0]


def back_office_paths(app, crowded: Crowded) -> dict[str, str]:
    """Every back-office page as {endpoint: path with query}, filled in from the rows."""
    paths = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/organiser") or "GET" not in rule.methods:
            continue
        if rule.endpoint in NOT_PAGES:
            continue
        missing = sorted(rule.arguments - crowded.ids.keys())
        assert not missing, f"{rule.rule}: crowded.py makes no row for {missing}"
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(crowded.ids[m.group(1)]), rule.rule)
        query = crowded.query.get(rule.endpoint)
        paths[rule.endpoint] = f"{path}?{query}" if query else path
    return paths


def _event(petition: Petition, crowded: Crowded) -> int:
    """The demo's panel, full, with the longest name and address on its list and waiting."""
    event, _created = seed_demo_event(petition)
    for n in range(event.capacity + 2):
        registration = EventRegistration(
            public_id=new_public_id(),
            event_id=event.id,
            name=LONG_NAME,
            email=f"{n}.{LONG_EMAIL}",
            email_canonical=f"{n}.{LONG_EMAIL}",
            organisation="Internationale Gesellschaft für Cybersicherheit im Gesundheitswesen",
            country="CH",
            language="en",
            status=RegistrationStatus.PLACE if n < event.capacity else RegistrationStatus.WAITING,
            confirmed_at=utcnow(),
        )
        db.session.add(registration)
        db.session.flush()
        if n == 0:  # one with a place: its page shows the link and the calendar file
            crowded.public_tokens["EVENT_REGISTRATION"] = tokens.make(
                tokens.Purpose.EVENT_REGISTRATION, registration.public_id
            )
    return event.id


def public_paths(crowded: Crowded, slug: str) -> dict[str, str]:
    """The public pages by name: the call's, and those a signer's emails link to."""
    signer, unsubscribe = crowded.public_tokens["SIGNATURE"], crowded.public_tokens["UNSUBSCRIBE"]
    return {
        "home": "/",
        "calls": "/petitions",
        "call": f"/petitions/{slug}",
        "signatories": f"/petitions/{slug}/signatories",
        "deliveries": f"/petitions/{slug}/deliveries",
        "scoreboard": f"/petitions/{slug}/governments",
        "embed": f"/petitions/{slug}/embed",
        "privacy": "/privacy",
        "signature": f"/petitions/signature/{signer}",
        "unsubscribe": f"/petitions/unsubscribe/{unsubscribe}",
        "link-problem": "/petitions/confirm/not-a-real-token",
        "events": "/events/",
        "event": "/events/panel-playing-with-lives",
        "event-registration": "/events/registration/" + crowded.public_tokens["EVENT_REGISTRATION"],
        "not-found": "/no-such-page",
        "sign-in": "/organiser/sign-in",
        "publications": "/publications/",
        "publication": f"/publications/{PUBLICATION_SLUG}",
    }
