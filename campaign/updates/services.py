"""Updates to supporters: news about a call, emailed to confirmed signers who asked for it.

An update is written as a draft (with versions in other languages, see
``translations``), tested by sending each version to its author, then sent:
each reader gets the version in their language, or the update's own text
with a line saying it was not translated. Each batch claims a delivery row
per (update, signature) before queueing the email in the outbox, so nobody
gets an update twice, even when two processes queue at once or a batch is
repeated after a crash. Every email carries a one-click unsubscribe link
(RFC 8058). Functions never read the request and never commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update

from .. import tokens
from ..database import upsert_insert
from ..extensions import db
from ..i18n import public_url
from ..mail.services import enqueue
from ..models import (
    Organiser,
    Petition,
    Signature,
    SupporterUpdate,
    UpdateDelivery,
    UpdateStatus,
    utcnow,
)
from ..organisers import audit
from . import audience, translations
from .drafts import hold_draft, require_draft
from .translations import UpdateText


def save_update(
    update_: SupporterUpdate | None,
    petition: Petition,
    subject: str,
    body_markdown: str,
    actor: Organiser | None,
) -> SupporterUpdate:
    """Write or rewrite an update; only a draft can change."""
    if update_ is None:
        update_ = SupporterUpdate(
            petition_id=petition.id,
            subject=subject,
            body_markdown=body_markdown,
            created_by_id=actor.id if actor else None,
        )
        db.session.add(update_)
        db.session.flush()
        audit.record(actor, "create_update", "supporter_update", update_.id, {"subject": subject})
        return update_
    require_draft(update_)  # raises UpdateFrozen once sending has started
    before = {"subject": update_.subject, "body_markdown": update_.body_markdown}
    update_.subject, update_.body_markdown = subject, body_markdown
    audit.record(
        actor,
        "edit_update",
        "supporter_update",
        update_.id,
        audit.diff(before, {"subject": subject, "body_markdown": body_markdown}),
    )
    return update_


def set_audience(
    update_: SupporterUpdate,
    countries: list[str],
    languages: list[str],
    actor: Organiser | None,
) -> None:
    """Send only to signers in these countries and/or languages (empty: everyone); only a
    draft's audience changes, so what the organiser confirms is what goes out."""
    require_draft(update_)
    before = {"countries": update_.target_countries, "languages": update_.target_languages}
    update_.target_countries = sorted(countries) or None
    update_.target_languages = sorted(languages) or None
    after = {"countries": update_.target_countries, "languages": update_.target_languages}
    audit.record(actor, "target_update", "supporter_update", update_.id, audit.diff(before, after))


def recipients_left(update_: SupporterUpdate) -> int:
    return audience.count(audience.recipients(update_))


def deliveries(update_: SupporterUpdate) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(UpdateDelivery)
        .where(UpdateDelivery.update_id == update_.id)
    )


def _queue_update_email(
    text: UpdateText,
    petition: Petition,
    to_address: str,
    to_name: str,
    language: str,
    unsubscribe_url: str,
    signature_id: int | None,
) -> int:
    """Queue ``text`` for a reader of ``language``: greeting, note and links in their
    language; when ``text`` is in another, a line at the top says so."""
    return enqueue(
        kind="update",
        to_address=to_address,
        to_name=to_name,
        template="update",
        subject=text.subject,
        language=language,
        context={
            "petition": petition,
            "text": text,
            "untranslated": text.language != language,
            "name": to_name,
            "unsubscribe_url": unsubscribe_url,
            "petition_url": public_url("petitions.show", language, slug=petition.slug),
        },
        signature_id=signature_id,
        petition_id=petition.id,
        headers={
            # RFC 8058: mail apps offer a one-click unsubscribe that POSTs to this URL.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def version_for(versions: dict[str, UpdateText], main_language: str, language: str) -> UpdateText:
    """The version a reader of ``language`` gets: theirs if written, else the main text."""
    return versions.get(language) or versions[main_language]


def send_test_update(update_: SupporterUpdate, organiser: Organiser) -> list[str]:
    """Send every written version to the organiser alone, each as its readers will get it;
    no signer is marked as having had it. Returns the languages sent.

    Every version rather than one the organiser picks: there are at most as many
    as the site has languages, one press checks them all, and a version nobody
    has seen in a mail app is the one that goes out broken. The fallback is the
    main text with a line from the catalogues, so it needs no copy of its own.
    """
    petition = db.session.get(Petition, update_.petition_id)
    versions = translations.versions(update_, petition)
    for language, text in versions.items():
        _queue_update_email(
            text,
            petition,
            organiser.email,
            organiser.name,
            language,
            # A link that works for nobody: the organiser sees where it goes, unsubscribes no one.
            public_url("updates.unsubscribe", language, token="test"),  # noqa: S106
            None,
        )
    audit.record(
        organiser, "test_send_update", "supporter_update", update_.id, {"languages": list(versions)}
    )
    return list(versions)


def start_sending(
    update_: SupporterUpdate,
    actor: Organiser | None,
    confirmed: int | None = None,
    scheduled_for: datetime | None = None,
) -> list[str]:
    """Freeze the update and let the batches begin (see :func:`queue_update_batch`), now
    or, with ``scheduled_for``, once the periodic job finds it due. ``confirmed`` is the
    number of recipients the organiser typed to confirm it.

    Refused while a translation is out of date: once sending starts nothing can
    change, and a version written against an older text could tell its readers
    something the update no longer says. Returns those languages (then nothing
    starts); an empty list when sending started or had already.
    """
    if update_.status != UpdateStatus.DRAFT:
        return []
    petition = db.session.get(Petition, update_.petition_id)
    # Hold the draft first, so no edit slips in between the check and the start.
    if not hold_draft(update_):
        db.session.refresh(update_)  # another press started it meanwhile: carry on with it
        return []
    outdated = translations.outdated_languages(update_, petition)
    if outdated:
        return outdated
    update_.confirmed_recipients = confirmed
    if scheduled_for is not None:
        update_.status = UpdateStatus.SCHEDULED
        update_.scheduled_for = scheduled_for
    else:
        update_.status = UpdateStatus.SENDING
        update_.sending_started_at = utcnow()
    audit.record(
        actor,
        "schedule_update" if scheduled_for is not None else "send_update",
        "supporter_update",
        update_.id,
        {"recipients": confirmed, "scheduled_for": scheduled_for and scheduled_for.isoformat()},
    )
    return []


def queue_update_batch(update_: SupporterUpdate, limit: int) -> int:
    """Put the update in the outbox for up to ``limit`` more signers; return how many.

    A delivery row per (update, signature) is written first: its key makes a
    second copy impossible, even when two processes queue at once or a batch
    is repeated after a crash. When nobody is left, ``queued_all_at`` says so;
    the update is sent once the outbox has dealt with its messages (see
    :func:`campaign.updates.progress.finish_if_done`).
    """
    if update_.status != UpdateStatus.SENDING:
        return 0
    petition = db.session.get(Petition, update_.petition_id)
    versions = translations.versions(update_, petition)
    signatures = db.session.scalars(
        audience.recipients(update_).order_by(Signature.id).limit(limit)
    ).all()
    queued = 0
    for signature in signatures:
        claimed = db.session.execute(
            upsert_insert(UpdateDelivery)
            .values(update_id=update_.id, signature_id=signature.id, queued_at=utcnow())
            .on_conflict_do_nothing()
            .returning(UpdateDelivery.signature_id)
        ).scalar()
        if claimed is None:
            continue  # another process queued this one
        token = tokens.make(tokens.Purpose.UNSUBSCRIBE, signature.public_id)
        message_id = _queue_update_email(
            version_for(versions, petition.language, signature.language),
            petition,
            signature.email,
            signature.name or "",
            signature.language,
            public_url("updates.unsubscribe", signature.language, token=token),
            signature.id,
        )
        db.session.execute(
            update(UpdateDelivery)
            .where(
                UpdateDelivery.update_id == update_.id,
                UpdateDelivery.signature_id == signature.id,
            )
            .values(outbox_message_id=message_id)
        )
        queued += 1
    if len(signatures) < limit and update_.queued_all_at is None:
        update_.queued_all_at = utcnow()
    return queued


def updates_being_sent() -> list[SupporterUpdate]:
    return list(
        db.session.scalars(
            select(SupporterUpdate)
            .where(SupporterUpdate.status == UpdateStatus.SENDING)
            .order_by(SupporterUpdate.id)
        )
    )


def subscriber(public_id: str) -> Signature | None:
    """The signature an unsubscribe link's token names."""
    return db.session.scalar(select(Signature).where(Signature.public_id == public_id))


def unsubscribe(signature: Signature) -> bool:
    """Stop updates to this signer; returns False if they were already off."""
    if not signature.updates:
        return False
    signature.updates = False
    return True
