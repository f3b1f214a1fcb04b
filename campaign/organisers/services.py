"""What organisers do, as plain functions: they never read the request and never commit.

Sections: accounts and sign-in, calls and their text, updates to supporters,
notable signatories, moderation and blocklists. Every change of a
signature's state goes through ``petitions.services.transition``, which keeps
the counters right.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pyotp
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import delete, func, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from .. import emails, memo, tokens
from ..database import upsert_insert
from ..extensions import db
from ..i18n import public_url
from ..mail.services import enqueue
from ..models import (
    Blocklist,
    BlocklistKind,
    Lifecycle,
    NotablePortrait,
    NotableSignatory,
    Organiser,
    OrganiserRole,
    Petition,
    PetitionState,
    PetitionTextVersion,
    PetitionTranslation,
    Signature,
    SignInThrottle,
    SupporterUpdate,
    UpdateDelivery,
    UpdateStatus,
    Validity,
    new_public_id,
    utcnow,
)
from ..petitions import services as petition_services
from . import audit
from .portraits import Portrait

# -- accounts -------------------------------------------------------------------------

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 1024


class AccountError(ValueError):
    """A request about an account that cannot be done; the message says why."""


def normalise_organiser_email(address: str) -> str:
    """Check the syntax and lower-case the whole address, so sign-in ignores case."""
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(str(error)) from None


def check_password(password: str) -> None:
    """Length is what makes a password strong; refuse short ones."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise AccountError(f"The password must have at least {PASSWORD_MIN_LENGTH} characters.")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise AccountError("The password is too long.")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def find_organiser(email: str) -> Organiser | None:
    return db.session.scalar(select(Organiser).where(Organiser.email == email.strip().lower()))


def organiser_by_session_token(token: str) -> Organiser | None:
    """The active organiser a session belongs to (Flask-Login's user loader)."""
    return db.session.scalar(
        select(Organiser).where(Organiser.session_token == token, Organiser.active)
    )


def create_organiser(email: str, role: str, password: str, name: str = "") -> Organiser:
    email = normalise_organiser_email(email)
    if role not in set(OrganiserRole):
        raise AccountError(f"The role must be one of: {', '.join(OrganiserRole)}.")
    check_password(password)
    if find_organiser(email) is not None:
        raise AccountError(f"An organiser with the address {email} already exists.")
    organiser = Organiser(
        email=email, name=name.strip(), role=role, password_hash=hash_password(password)
    )
    db.session.add(organiser)
    db.session.flush()
    return organiser


def set_password(organiser: Organiser, password: str) -> None:
    """Change the password and end the organiser's sessions everywhere."""
    check_password(password)
    organiser.password_hash = hash_password(password)
    organiser.session_token = new_public_id()
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.email == organiser.email))


def set_active(organiser: Organiser, active: bool) -> None:
    """Disable (or enable again) an account; disabling ends its sessions at once."""
    organiser.active = active
    organiser.session_token = new_public_id()


@cache
def _dummy_hash() -> str:
    return hash_password("not a password anyone has")


def authenticate(email: str, password: str) -> Organiser | None:
    """The active organiser with this email and password, or None.

    An unknown address costs the same hash as a known one, so the answer's
    timing does not tell which addresses have accounts.
    """
    organiser = find_organiser(email)
    if organiser is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(organiser.password_hash, password) or not organiser.active:
        return None
    return organiser


# -- failed sign-ins: back-off and lockout per (account, client address) ---------------


@dataclass(frozen=True)
class Throttled:
    """Sign-in attempts for this pair are refused for ``seconds`` more."""

    seconds: int
    locked: bool


def sign_in_throttled(email: str, ip: str, now: datetime | None = None) -> Throttled | None:
    """Whether attempts for this (email, address) pair must wait, and how long.

    The first ``SIGN_IN_FREE_FAILURES`` failures cost nothing; each one after
    doubles a delay from ``SIGN_IN_BACKOFF_SECONDS``; at
    ``SIGN_IN_LOCK_FAILURES`` the pair is locked for ``SIGN_IN_LOCK_MINUTES``.
    """
    now = now or utcnow()
    row = db.session.get(SignInThrottle, (email.strip().lower(), ip))
    if row is None:
        return None
    if row.locked_until is not None:
        if now < row.locked_until:
            return Throttled(int((row.locked_until - now).total_seconds()) + 1, locked=True)
        return None
    config = current_app.config
    extra = row.failures - config["SIGN_IN_FREE_FAILURES"]
    if extra < 0:
        return None
    delay = timedelta(seconds=config["SIGN_IN_BACKOFF_SECONDS"] * 2 ** min(extra, 16))
    if now < row.last_failure_at + delay:
        return Throttled(int((row.last_failure_at + delay - now).total_seconds()) + 1, False)
    return None


def record_sign_in_failure(email: str, ip: str, now: datetime | None = None) -> None:
    """Count a failed attempt for the pair, locking it when there have been too many."""
    now = now or utcnow()
    key = (email.strip().lower()[:320], ip[:45])
    # One statement, so concurrent failures from several processes all count.
    insert = upsert_insert(SignInThrottle).values(
        email=key[0], ip=key[1], failures=1, last_failure_at=now
    )
    db.session.execute(
        insert.on_conflict_do_update(
            index_elements=[SignInThrottle.email, SignInThrottle.ip],
            set_={"failures": SignInThrottle.failures + 1, "last_failure_at": now},
        )
    )
    row = db.session.get(SignInThrottle, key, populate_existing=True)
    config = current_app.config
    if row.locked_until is not None and row.locked_until <= now:
        # A lock that has run out starts the count again.
        row.failures, row.locked_until = 1, None
    elif row.failures >= config["SIGN_IN_LOCK_FAILURES"]:
        row.locked_until = now + timedelta(minutes=config["SIGN_IN_LOCK_MINUTES"])


def clear_sign_in_failures(email: str, ip: str) -> None:
    db.session.execute(
        delete(SignInThrottle).where(
            SignInThrottle.email == email.strip().lower(), SignInThrottle.ip == ip
        )
    )


# -- the second factor (TOTP) ----------------------------------------------------------


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(organiser: Organiser, secret: str) -> str:
    """The otpauth:// URI an authenticator app reads (typed or pasted: no QR service)."""
    issuer = current_app.config.get("TOTP_ISSUER", "Campaign")
    return pyotp.TOTP(secret).provisioning_uri(name=organiser.email, issuer_name=issuer)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is (allowing one step of clock drift), or None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    for drift in (0, -1, 1):
        moment = now + timedelta(seconds=drift * totp.interval)
        if pyotp.utils.strings_equal(totp.at(moment), code):
            return totp.timecode(moment)
    return None


def verify_totp(organiser: Organiser, code: str, now: datetime | None = None) -> bool:
    """Check a code from the organiser's app; a code already used is refused (no replay)."""
    if not organiser.totp_secret:
        return False
    step = _matching_step(organiser.totp_secret, code, now or utcnow())
    if step is None or (organiser.totp_last_step is not None and step <= organiser.totp_last_step):
        return False
    organiser.totp_last_step = step
    return True


def enable_totp(organiser: Organiser, secret: str, code: str, now: datetime | None = None) -> bool:
    """Turn the second factor on once the organiser proves their app has ``secret``."""
    step = _matching_step(secret, code, now or utcnow())
    if step is None:
        return False
    organiser.totp_secret = secret
    organiser.totp_last_step = step
    return True


def disable_totp(organiser: Organiser) -> None:
    organiser.totp_secret = None
    organiser.totp_last_step = None


# -- time zones ------------------------------------------------------------------------


def valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@cache
def timezone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def to_utc(local: datetime | None, zone: str) -> datetime | None:
    """A wall-clock time in the call's time zone (from a form) as UTC, for storing."""
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def to_local(moment: datetime | None, zone: str) -> datetime | None:
    """A stored UTC time as wall-clock time in ``zone``, without tzinfo (for a form)."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def local_time(moment: datetime | None, zone: str) -> str:
    """``2026-05-26 09:00 Europe/Zurich``: how organisers read a call's dates."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(zone) if valid_timezone(zone) else UTC)
    return f"{local:%Y-%m-%d %H:%M} {zone}"


# -- calls -------------------------------------------------------------------------------

SLUG_RULE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Words that are URLs of their own under /petitions/.
RESERVED_SLUGS = frozenset({"confirm", "withdraw", "unsubscribe"})
CONTENT_FIELDS = (
    "slug",
    "title",
    "summary",
    "body_markdown",
    "background_markdown",
    "organisation",
    "organisation_url",
    "organisation_blurb",
    "language",
    "state",
    "goal",
    "timezone",
    "opened_at",
    "closes_at",
    "featured",
)


def slug_problem(slug: str, petition_id: int | None = None) -> str | None:
    """Why ``slug`` cannot be a call's address, or None if it can."""
    if not SLUG_RULE.match(slug):
        return "rule"
    if slug in RESERVED_SLUGS:
        return "reserved"
    taken = db.session.scalar(
        select(Petition.id).where(Petition.slug == slug, Petition.id != (petition_id or -1))
    )
    return "taken" if taken is not None else None


def all_petitions() -> list[Petition]:
    return list(db.session.scalars(select(Petition).order_by(Petition.id.desc())))


def _content(petition: Petition) -> dict[str, Any]:
    return {field: getattr(petition, field) for field in CONTENT_FIELDS}


def _record_text_version(petition: Petition, actor: Organiser | None, note: str) -> None:
    db.session.add(
        PetitionTextVersion(
            petition_id=petition.id,
            version=petition.text_version,
            title=petition.title,
            body_markdown=petition.body_markdown,
            note=note,
            created_by_id=actor.id if actor else None,
        )
    )


def save_petition(
    petition: Petition | None, values: dict[str, Any], actor: Organiser | None, note: str = ""
) -> Petition:
    """Create a call (``petition`` None) or change one, versioning its text.

    A change of title or text bumps ``text_version`` (signatures record the
    version they were signed under) and keeps the new text as a version; the
    text before it is kept too if it never was (calls made before versioning).
    """
    creating = petition is None
    before: dict[str, Any] = {}
    if petition is None:
        petition = Petition(text_version=1, signature_count=0)
        db.session.add(petition)
    else:
        before = _content(petition)
    text_changed = not creating and (
        values["title"] != petition.title or values["body_markdown"] != petition.body_markdown
    )
    if text_changed:
        known = db.session.scalar(
            select(PetitionTextVersion.id).where(
                PetitionTextVersion.petition_id == petition.id,
                PetitionTextVersion.version == petition.text_version,
            )
        )
        if known is None:
            _record_text_version(petition, None, "")
    for field, value in values.items():
        setattr(petition, field, value)
    if petition.state == PetitionState.OPEN and petition.opened_at is None:
        petition.opened_at = utcnow()
    db.session.flush()
    if petition.featured:
        # One call is featured on the home page.
        db.session.execute(
            update(Petition)
            .where(Petition.id != petition.id, Petition.featured)
            .values(featured=False)
            .execution_options(synchronize_session="fetch")
        )
    if creating:
        _record_text_version(petition, actor, note)
        audit.record(actor, "create_petition", "petition", petition.id, _content(petition))
    else:
        if text_changed:
            petition.text_version += 1
            _record_text_version(petition, actor, note)
        changes = audit.diff(before, _content(petition))
        if changes:
            audit.record(actor, "edit_petition", "petition", petition.id, changes)
    return petition


def text_versions(petition: Petition) -> list[PetitionTextVersion]:
    return list(
        db.session.scalars(
            select(PetitionTextVersion)
            .where(PetitionTextVersion.petition_id == petition.id)
            .order_by(PetitionTextVersion.version.desc())
        )
    )


def text_history(petition: Petition) -> list[PetitionTextVersion]:
    """Changes to the text since the call opened (the public page's short history)."""
    if petition.opened_at is None or petition.text_version <= 1:
        return []
    return list(
        db.session.scalars(
            select(PetitionTextVersion)
            .where(
                PetitionTextVersion.petition_id == petition.id,
                PetitionTextVersion.created_at > petition.opened_at,
            )
            .order_by(PetitionTextVersion.version.desc())
            .limit(10)
        )
    )


# -- the call's text in other languages -------------------------------------------------

TRANSLATED_FIELDS = petition_services.TRANSLATED_FIELDS


class TranslationStatus(StrEnum):
    MISSING = "missing"  # none: pages in the language show the main text
    CURRENT = "current"  # written against the main text as it stands
    OUTDATED = "outdated"  # the main text changed since it was last saved
    UNCHECKED = "unchecked"  # saved before what it was written against was recorded


@dataclass(frozen=True)
class TranslationRow:
    language: str
    translation: PetitionTranslation | None
    status: TranslationStatus


def translation_languages(petition: Petition) -> list[str]:
    """The site's languages a call can be translated into: all but its main language."""
    return [code for code in current_app.config["LANGUAGES"] if code != petition.language]


def translation_of(petition: Petition, language: str) -> PetitionTranslation | None:
    return db.session.scalar(
        select(PetitionTranslation).where(
            PetitionTranslation.petition_id == petition.id,
            PetitionTranslation.language == language,
        )
    )


def translation_status(
    petition: Petition, translation: PetitionTranslation | None
) -> TranslationStatus:
    if translation is None:
        return TranslationStatus.MISSING
    if not translation.source_digest:
        return TranslationStatus.UNCHECKED
    if translation.source_digest != petition_services.text_digest(petition):
        return TranslationStatus.OUTDATED
    return TranslationStatus.CURRENT


def translation_rows(petition: Petition) -> list[TranslationRow]:
    """One row per language the call can be translated into, in the site's order."""
    stored = {
        t.language: t
        for t in db.session.scalars(
            select(PetitionTranslation).where(PetitionTranslation.petition_id == petition.id)
        )
    }
    return [
        TranslationRow(code, stored.get(code), translation_status(petition, stored.get(code)))
        for code in translation_languages(petition)
    ]


def _translation_content(translation: PetitionTranslation | None) -> dict[str, Any]:
    fields = (*TRANSLATED_FIELDS, "source_version")
    return {field: getattr(translation, field) for field in fields} if translation else {}


def save_translation(
    petition: Petition, language: str, values: dict[str, str], actor: Organiser | None
) -> PetitionTranslation:
    """Add or change the call's text in ``language``, as written against its main text now.

    Saving, even unchanged, records that the translation was checked against
    the current main text: that is how an organiser clears "out of date".
    """
    translation = translation_of(petition, language)
    creating = translation is None
    before = _translation_content(translation)
    if translation is None:
        translation = PetitionTranslation(petition_id=petition.id, language=language)
        db.session.add(translation)
    for field in TRANSLATED_FIELDS:
        setattr(translation, field, values[field])
    translation.source_version = petition.text_version
    translation.source_digest = petition_services.text_digest(petition)
    if not creating and not db.session.is_modified(translation):
        return translation
    db.session.flush()
    changes = audit.diff(before, _translation_content(translation))
    audit.record(
        actor,
        "add_translation" if creating else "edit_translation",
        "petition",
        petition.id,
        {"language": language, **changes},
    )
    return translation


def delete_translation(translation: PetitionTranslation, actor: Organiser | None) -> None:
    """Remove a translation: pages in its language fall back to the main text."""
    before = _translation_content(translation)
    audit.record(
        actor,
        "delete_translation",
        "petition",
        translation.petition_id,
        {"language": translation.language, **audit.diff(before, dict.fromkeys(before))},
    )
    db.session.delete(translation)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "same" or "gap"
    text: str


def text_changes_since(petition: Petition, version: int) -> list[DiffLine] | None:
    """What changed in the main title and text since ``version``, line by line.

    None when there is nothing to compare: the same version, or an old version
    whose text was never kept. The summary and background are not versioned.
    """
    if version < 1 or version >= petition.text_version:
        return None
    old = db.session.scalar(
        select(PetitionTextVersion).where(
            PetitionTextVersion.petition_id == petition.id,
            PetitionTextVersion.version == version,
        )
    )
    if old is None:
        return None
    before = [old.title, "", *old.body_markdown.splitlines()]
    after = [petition.title, "", *petition.body_markdown.splitlines()]
    lines: list[DiffLine] = []
    for line in difflib.unified_diff(before, after, lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("gap", "…"))
        elif line.startswith("+"):
            lines.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("removed", line[1:]))
        else:
            lines.append(DiffLine("same", line[1:]))
    return lines


# -- updates to supporters ---------------------------------------------------------------


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
    if update_.status != UpdateStatus.DRAFT:
        raise ValueError("an update that is being sent cannot change")
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


def _recipients(update_: SupporterUpdate):
    """Confirmed, valid signers of the call who asked for news and have not had this one."""
    delivered = select(UpdateDelivery.signature_id).where(
        UpdateDelivery.update_id == update_.id, UpdateDelivery.signature_id == Signature.id
    )
    return select(Signature).where(
        Signature.petition_id == update_.petition_id,
        Signature.status == Lifecycle.CONFIRMED,
        Signature.validity == Validity.OK,
        Signature.updates,
        Signature.email.is_not(None),
        ~delivered.exists(),
    )


def recipients_left(update_: SupporterUpdate) -> int:
    return db.session.scalar(select(func.count()).select_from(_recipients(update_).subquery()))


def deliveries(update_: SupporterUpdate) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(UpdateDelivery)
        .where(UpdateDelivery.update_id == update_.id)
    )


def _queue_update_email(
    update_: SupporterUpdate,
    petition: Petition,
    to_address: str,
    to_name: str,
    language: str,
    unsubscribe_url: str,
    signature_id: int | None,
) -> None:
    enqueue(
        kind="update",
        to_address=to_address,
        to_name=to_name,
        template="update",
        subject=update_.subject,
        language=language,
        context={
            "petition": petition,
            "update": update_,
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


def send_test_update(update_: SupporterUpdate, organiser: Organiser) -> None:
    """Send the update to the organiser alone; no signer is marked as having had it."""
    petition = db.session.get(Petition, update_.petition_id)
    _queue_update_email(
        update_,
        petition,
        organiser.email,
        organiser.name,
        petition.language,
        # A link that works for nobody: the organiser sees where it goes, unsubscribes no one.
        public_url("organisers_public.unsubscribe", petition.language, token="test"),  # noqa: S106
        None,
    )
    audit.record(organiser, "test_send_update", "supporter_update", update_.id)


def start_sending(update_: SupporterUpdate, actor: Organiser | None) -> None:
    """Freeze the update and let the batches begin (see :func:`queue_update_batch`)."""
    if update_.status == UpdateStatus.DRAFT:
        update_.status = UpdateStatus.SENDING
        update_.sending_started_at = utcnow()
        audit.record(actor, "send_update", "supporter_update", update_.id)


def queue_update_batch(update_: SupporterUpdate, limit: int) -> int:
    """Put the update in the outbox for up to ``limit`` more signers; return how many.

    A delivery row per (update, signature) is written first: its key makes a
    second copy impossible, even when two processes queue at once or a batch
    is repeated after a crash. When nobody is left, the update is sent.
    """
    if update_.status != UpdateStatus.SENDING:
        return 0
    petition = db.session.get(Petition, update_.petition_id)
    signatures = db.session.scalars(_recipients(update_).order_by(Signature.id).limit(limit)).all()
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
        _queue_update_email(
            update_,
            petition,
            signature.email,
            signature.name or "",
            signature.language,
            public_url("organisers_public.unsubscribe", signature.language, token=token),
            signature.id,
        )
        queued += 1
    if not signatures:
        update_.status = UpdateStatus.SENT
        update_.sent_at = utcnow()
    return queued


def updates_being_sent() -> list[SupporterUpdate]:
    return list(
        db.session.scalars(
            select(SupporterUpdate)
            .where(SupporterUpdate.status == UpdateStatus.SENDING)
            .order_by(SupporterUpdate.id)
        )
    )


def unsubscribe(signature: Signature) -> bool:
    """Stop updates to this signer; returns False if they were already off."""
    if not signature.updates:
        return False
    signature.updates = False
    return True


# -- the dashboard ---------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One day of the chart, with its geometry already worked out (SVG user units)."""

    day: str
    count: int
    x: float
    y: float
    width: float
    height: float


CHART_WIDTH, CHART_HEIGHT, CHART_DAYS = 600, 160, 30


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _day_of(column):
    if _dialect() == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.date(column)  # SQLite keeps UTC as naive text


def _domain_of(column):
    if _dialect() == "postgresql":
        return func.split_part(column, "@", 2)
    return func.substr(column, func.instr(column, "@") + 1)


def unpack_ip(packed: bytes | None) -> str:
    """The address as people write it (IPv4 without its IPv6 mapping)."""
    if not packed:
        return ""
    address = ipaddress.IPv6Address(packed)
    return str(address.ipv4_mapped or address)


def totals(petition: Petition) -> dict[str, int]:
    rows = db.session.execute(
        select(Signature.status, Signature.validity, func.count())
        .where(Signature.petition_id == petition.id)
        .group_by(Signature.status, Signature.validity)
    ).all()
    result = dict.fromkeys(("confirmed", "pending", "invalidated", "suspect", "withdrawn"), 0)
    for status, validity, count in rows:
        if status == Lifecycle.WITHDRAWN:
            result["withdrawn"] += count
        elif validity == Validity.INVALIDATED:
            result["invalidated"] += count
        elif validity == Validity.SUSPECT:
            result["suspect"] += count
        elif status == Lifecycle.CONFIRMED:
            result["confirmed"] += count
        else:
            result["pending"] += count
    return result


def signatures_per_day(petition: Petition, now: datetime | None = None) -> list[Bar]:
    """Signatures received on each of the last 30 days (UTC), as bars of a chart."""
    now = now or utcnow()
    first = (now - timedelta(days=CHART_DAYS - 1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    day = _day_of(Signature.created_at)
    counts = dict(
        db.session.execute(
            select(day, func.count())
            .where(Signature.petition_id == petition.id, Signature.created_at >= first)
            .group_by(day)
        ).all()
    )
    days = [(first + timedelta(days=n)).strftime("%Y-%m-%d") for n in range(CHART_DAYS)]
    highest = max([counts.get(d, 0) for d in days] + [1])
    slot = CHART_WIDTH / CHART_DAYS
    bars = []
    for n, label in enumerate(days):
        count = counts.get(label, 0)
        height = round(CHART_HEIGHT * count / highest, 1)
        bars.append(
            Bar(label, count, round(n * slot + 1, 1), CHART_HEIGHT - height, slot - 2, height)
        )
    return bars


def busiest_addresses(petition: Petition, now: datetime | None = None) -> list[tuple[str, int]]:
    """The last hour's IP addresses with the most signatures: a wave of fraud shows here."""
    since = (now or utcnow()) - timedelta(hours=1)
    rows = db.session.execute(
        select(Signature.ip_address, func.count().label("n"))
        .where(
            Signature.petition_id == petition.id,
            Signature.created_at >= since,
            Signature.ip_address.is_not(None),
        )
        .group_by(Signature.ip_address)
        .order_by(func.count().desc())
        .limit(10)
    ).all()
    return [(unpack_ip(ip), n) for ip, n in rows]


def busiest_domains(petition: Petition, now: datetime | None = None) -> list[tuple[str, int]]:
    """The last hour's email domains with the most signatures."""
    since = (now or utcnow()) - timedelta(hours=1)
    domain = _domain_of(Signature.email_canonical)
    rows = db.session.execute(
        select(domain, func.count())
        .where(
            Signature.petition_id == petition.id,
            Signature.created_at >= since,
            Signature.email_canonical.is_not(None),
        )
        .group_by(domain)
        .order_by(func.count().desc())
        .limit(10)
    ).all()
    return [(d, n) for d, n in rows]


# -- notable signatories ---------------------------------------------------------------

NOTABLE_FIELDS = (
    "name",
    "title",
    "organisation",
    "country",
    "category",
    "url",
    "visible",
    "consent_note",
)


def notables_of(petition: Petition) -> list[NotableSignatory]:
    return list(
        db.session.scalars(
            select(NotableSignatory)
            .where(NotableSignatory.petition_id == petition.id)
            .order_by(NotableSignatory.sort_order, NotableSignatory.id)
        )
    )


def _renumber(ordered: list[NotableSignatory]) -> None:
    for position, notable in enumerate(ordered):
        notable.sort_order = position


def _placed(ordered: list[NotableSignatory], notable: NotableSignatory) -> list[NotableSignatory]:
    """``ordered`` with ``notable`` at the end of its category, so categories stay together
    (the public page shows one heading per run of a category)."""
    others = [n for n in ordered if n is not notable]
    last = max((i for i, n in enumerate(others) if n.category == notable.category), default=None)
    position = len(others) if last is None else last + 1
    return [*others[:position], notable, *others[position:]]


def _notable_changes(notable: NotableSignatory, before: dict[str, Any]) -> dict[str, Any]:
    """Before and after for curated content; field names only for a promoted signer."""
    after = {field: getattr(notable, field) for field in NOTABLE_FIELDS}
    changes = audit.diff(before, after)
    if notable.signature_id is not None:
        return {"fields": sorted(changes), "signature_id": notable.signature_id}
    return changes


def add_notable(
    petition: Petition,
    values: dict[str, Any],
    actor: Organiser | None,
    signature: Signature | None = None,
) -> NotableSignatory:
    notable = NotableSignatory(
        petition_id=petition.id, signature_id=signature.id if signature else None, **values
    )
    db.session.add(notable)
    ordered = notables_of(petition)
    db.session.flush()
    _renumber(_placed(ordered, notable))
    action = "promote_signature" if signature else "add_notable"
    audit.record(actor, action, "notable", notable.id, _notable_changes(notable, {}))
    return notable


def edit_notable(
    notable: NotableSignatory, values: dict[str, Any], actor: Organiser | None
) -> None:
    before = {field: getattr(notable, field) for field in NOTABLE_FIELDS}
    category_changed = values.get("category", notable.category) != notable.category
    for field, value in values.items():
        setattr(notable, field, value)
    if category_changed:
        _renumber(_placed(notables_of(notable.petition), notable))
    changes = _notable_changes(notable, before)
    if changes:
        audit.record(actor, "edit_notable", "notable", notable.id, changes)


def move_notable(notable: NotableSignatory, up: bool, actor: Organiser | None) -> bool:
    """Swap with the neighbour in the same category; False at the category's edge."""
    ordered = notables_of(notable.petition)
    index = ordered.index(notable)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered) or ordered[other].category != notable.category:
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber(ordered)
    audit.record(
        actor, "move_notable", "notable", notable.id, {"direction": "up" if up else "down"}
    )
    return True


def move_category(petition: Petition, category: str, up: bool, actor: Organiser | None) -> bool:
    """Move a whole category before the previous one (or after the next)."""
    blocks: list[list[NotableSignatory]] = []
    for notable in notables_of(petition):
        if blocks and blocks[-1][0].category == notable.category:
            blocks[-1].append(notable)
        else:
            blocks.append([notable])
    names = [block[0].category for block in blocks]
    if category not in names:
        return False
    index = names.index(category)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(blocks):
        return False
    blocks[index], blocks[other] = blocks[other], blocks[index]
    _renumber([n for block in blocks for n in block])
    audit.record(
        actor,
        "move_category",
        "petition",
        petition.id,
        {"category": category, "direction": "up" if up else "down"},
    )
    return True


def set_notable_visible(notable: NotableSignatory, visible: bool, actor: Organiser | None) -> None:
    if notable.visible != visible:
        notable.visible = visible
        audit.record(actor, "show_notable" if visible else "hide_notable", "notable", notable.id)


def remove_notable(notable: NotableSignatory, actor: Organiser | None) -> None:
    """Remove a notable (and their portrait). A promoted signer's signature stays, and counts."""
    db.session.execute(delete(NotablePortrait).where(NotablePortrait.notable_id == notable.id))
    audit.record(
        actor,
        "remove_notable",
        "notable",
        notable.id,
        {"signature_id": notable.signature_id} if notable.signature_id else {"name": notable.name},
    )
    db.session.delete(notable)


def set_portrait(notable: NotableSignatory, image: Portrait, actor: Organiser | None) -> None:
    """Store the re-encoded portrait in the database, where every web process can read it."""
    row = db.session.get(NotablePortrait, notable.id)
    if row is None:
        row = NotablePortrait(notable_id=notable.id)
        db.session.add(row)
    row.data, row.content_type, row.sha256 = image.data, image.content_type, image.sha256
    row.width, row.height, row.created_at = image.width, image.height, utcnow()
    notable.portrait_hash = image.sha256
    audit.record(
        actor,
        "set_portrait",
        "notable",
        notable.id,
        {"sha256": image.sha256, "bytes": len(image.data), "type": image.content_type},
    )


def remove_portrait(notable: NotableSignatory, actor: Organiser | None) -> None:
    db.session.execute(delete(NotablePortrait).where(NotablePortrait.notable_id == notable.id))
    notable.portrait_hash = None
    audit.record(actor, "remove_portrait", "notable", notable.id)


def portrait_of(notable_id: int) -> NotablePortrait | None:
    return db.session.get(NotablePortrait, notable_id)


def _promotable(petition: Petition):
    promoted = select(NotableSignatory.id).where(NotableSignatory.signature_id == Signature.id)
    return select(Signature).where(
        Signature.petition_id == petition.id,
        Signature.status == Lifecycle.CONFIRMED,
        Signature.validity == Validity.OK,
        Signature.public,
        Signature.name.is_not(None),
        ~promoted.exists(),
    )


def promotable_signatures(
    petition: Petition, name: str, page: int, per_page: int = 25
) -> tuple[list[Signature], int]:
    """Confirmed, valid signatures whose signers chose to be shown, not yet notable."""
    query = _promotable(petition)
    if name:
        query = query.where(func.lower(Signature.name).contains(name.lower(), autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(Signature.confirmed_at.desc(), Signature.id.desc())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return list(rows), total


def promotable_signature(petition: Petition, signature_id: int) -> Signature | None:
    return db.session.scalar(_promotable(petition).where(Signature.id == signature_id))


def promote(
    petition: Petition, signature: Signature, values: dict[str, Any], actor: Organiser | None
) -> NotableSignatory:
    """Feature a signer among the notables, linked to their signature.

    The signature already counts; the link is what keeps the person from
    being counted twice (notables are not signatures).
    """
    return add_notable(petition, values, actor, signature=signature)


# -- moderation ------------------------------------------------------------------------


def ip_range(text: str) -> tuple[bytes, bytes]:
    """The first and last 16-byte address of an IP or CIDR range (``ValueError`` if bad).

    Addresses are stored IPv4-mapped (see ``petitions.services.pack_ip``), so
    a range is a byte range: ``BETWEEN`` works on SQLite and PostgreSQL alike.
    """
    network = ipaddress.ip_network(text.strip(), strict=False)
    low = petition_services.pack_ip(str(network.network_address))
    high = petition_services.pack_ip(str(network.broadcast_address))
    assert low is not None and high is not None
    return low, high


_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


def normalise_domain(text: str) -> str:
    """A domain as canonical addresses spell it (lower case, IDNA, provider aliases)."""
    domain = text.strip().lower().lstrip("@").rstrip(".")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(domain) from None
    if not _DOMAIN.match(domain):
        raise ValueError(domain)
    return emails.canonical(f"x@{domain}").partition("@")[2]


@dataclass(frozen=True)
class SignatureFilter:
    """What moderators search by; empty fields do not filter. Times are UTC."""

    name: str = ""
    email: str = ""
    domain: str = ""
    ip: str = ""
    country: str = ""
    status: str = ""
    validity: str = ""
    since: datetime | None = None
    until: datetime | None = None

    # The fields that single out a group of signatures (a rule needs one of them).
    RULE_FIELDS = ("name", "email", "domain", "ip", "since", "until")

    def rule_fields(self) -> list[str]:
        return [field for field in self.RULE_FIELDS if getattr(self, field)]


def _filtered(petition: Petition, rule: SignatureFilter):
    query = select(Signature).where(Signature.petition_id == petition.id)
    if rule.name:
        query = query.where(func.lower(Signature.name).contains(rule.name.lower(), autoescape=True))
    if rule.email:
        text = rule.email.strip().lower()
        query = query.where(
            or_(
                func.lower(Signature.email).contains(text, autoescape=True),
                Signature.email_canonical == emails.canonical(text),
            )
        )
    if rule.domain:
        domain = normalise_domain(rule.domain)
        # The domain itself and its subdomains.
        query = query.where(
            or_(
                Signature.email_canonical.endswith("@" + domain, autoescape=True),
                Signature.email_canonical.endswith("." + domain, autoescape=True),
            )
        )
    if rule.ip:
        low, high = ip_range(rule.ip)
        query = query.where(Signature.ip_address.between(low, high))
    if rule.country:
        query = query.where(Signature.country == rule.country.upper())
    if rule.status:
        query = query.where(Signature.status == rule.status)
    if rule.validity:
        query = query.where(Signature.validity == rule.validity)
    if rule.since:
        query = query.where(Signature.created_at >= rule.since)
    if rule.until:
        query = query.where(Signature.created_at < rule.until)
    return query


def search_signatures(
    petition: Petition, rule: SignatureFilter, page: int, per_page: int = 50
) -> tuple[list[Signature], int]:
    query = _filtered(petition, rule)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.order_by(Signature.created_at.desc(), Signature.id.desc())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return list(rows), total


BULK_ACTIONS = ("invalidate", "restore")


def _bulk_candidates(petition: Petition, rule: SignatureFilter, action: str):
    query = _filtered(petition, rule).where(Signature.status != Lifecycle.WITHDRAWN)
    if action == "invalidate":
        return query.where(Signature.validity != Validity.INVALIDATED)
    return query.where(Signature.validity == Validity.INVALIDATED)


@dataclass(frozen=True)
class RulePreview:
    """How many signatures a rule would change, how many of them count now, and the
    newest id seen, so applying it touches exactly what was previewed."""

    matches: int
    counted: int
    up_to_id: int


def preview_rule(petition: Petition, rule: SignatureFilter, action: str) -> RulePreview:
    query = _bulk_candidates(petition, rule, action).subquery()
    matches, counted, up_to = db.session.execute(
        select(
            func.count(),
            func.count().filter(
                (query.c.status == Lifecycle.CONFIRMED) & (query.c.validity == Validity.OK)
            ),
            func.max(query.c.id),
        )
    ).one()
    return RulePreview(matches, counted or 0, up_to or 0)


def invalidate(
    signature: Signature, actor: Organiser | None, reason: str, now: datetime | None = None
) -> bool:
    """An organiser's verdict: the signature stops counting, with who, when and why."""
    if signature.status == Lifecycle.WITHDRAWN or signature.validity == Validity.INVALIDATED:
        return False
    return petition_services.transition(
        signature,
        validity=Validity.INVALIDATED,
        invalidated_at=now or utcnow(),
        invalidated_by_id=actor.id if actor else None,
        invalidation_reason=reason[:500],
    )


def restore(signature: Signature) -> bool:
    """Undo an invalidation: back to ok (and counted again if confirmed)."""
    if signature.validity != Validity.INVALIDATED:
        return False
    return petition_services.transition(
        signature,
        validity=Validity.OK,
        invalidated_at=None,
        invalidated_by_id=None,
        invalidation_reason=None,
    )


def release(signature: Signature) -> bool:
    """A suspect signature is genuine after all: back to ok."""
    if signature.validity != Validity.SUSPECT:
        return False
    return petition_services.transition(signature, validity=Validity.OK)


def moderate(signature: Signature, action: str, actor: Organiser | None, reason: str = "") -> bool:
    """Invalidate, restore or release one signature, and write it to the audit log."""
    if action == "invalidate":
        changed = invalidate(signature, actor, reason)
    elif action == "restore":
        changed = restore(signature)
    elif action == "release":
        changed = release(signature)
    else:
        raise ValueError(action)
    if changed:
        audit.record(
            actor,
            f"{action}_signature",
            "signature",
            signature.id,
            {"fields": ["validity"] + (["invalidation_reason"] if reason else [])},
        )
    return changed


def apply_rule(
    petition: Petition,
    rule: SignatureFilter,
    action: str,
    up_to_id: int,
    actor: Organiser | None,
    reason: str = "",
) -> int:
    """Invalidate (or restore) every signature the rule matches, up to the previewed id.

    Each one goes through ``transition``, so the counters follow; one audit
    entry records the rule's field names, the count and the ids.
    """
    if not rule.rule_fields():
        raise ValueError("a rule needs a name, email, domain, IP range or time window")
    signatures = db.session.scalars(
        _bulk_candidates(petition, rule, action)
        .where(Signature.id <= up_to_id)
        .order_by(Signature.id)
    ).all()
    now = utcnow()
    changed = []
    for signature in signatures:
        done = (
            invalidate(signature, actor, reason, now)
            if action == "invalidate"
            else restore(signature)
        )
        if done:
            changed.append(signature.id)
    audit.record(
        actor,
        f"{action}_by_rule",
        "petition",
        petition.id,
        {"rule": rule.rule_fields(), "count": len(changed), "signature_ids": changed[:1000]},
    )
    return len(changed)


def suspects(petition: Petition, page: int, per_page: int = 50) -> tuple[list[Signature], int]:
    """The review queue: suspect signatures still standing, oldest first."""
    query = select(Signature).where(
        Signature.petition_id == petition.id,
        Signature.validity == Validity.SUSPECT,
        Signature.status != Lifecycle.WITHDRAWN,
    )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.order_by(Signature.created_at, Signature.id)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return list(rows), total


# -- blocklists ------------------------------------------------------------------------


def normalise_block(kind: str, value: str) -> tuple[str, bytes | None, bytes | None]:
    """(value as stored, low, high) for a blocklist entry; ``ValueError`` if unusable."""
    if kind == BlocklistKind.IP_RANGE:
        network = ipaddress.ip_network(value.strip(), strict=False)
        low, high = ip_range(str(network))
        return str(network), low, high
    if kind == BlocklistKind.DOMAIN:
        return normalise_domain(value), None, None
    if kind == BlocklistKind.EMAIL:
        try:
            address = emails.normalise(value)
        except ValueError:
            raise ValueError(value) from None
        return emails.canonical(address), None, None
    raise ValueError(kind)


def add_block(
    kind: str, value: str, petition_id: int | None, reason: str, actor: Organiser | None
) -> Blocklist:
    stored, low, high = normalise_block(kind, value)
    entry = Blocklist(
        petition_id=petition_id,
        kind=kind,
        value=stored,
        ip_low=low,
        ip_high=high,
        reason=reason,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(entry)
    db.session.flush()
    _forget_blocklist()
    # The value may be personal data (an address): the log keeps the kind and scope only.
    audit.record(
        actor, "add_block", "blocklist", entry.id, {"kind": kind, "petition_id": petition_id}
    )
    return entry


def remove_block(entry: Blocklist, actor: Organiser | None) -> None:
    audit.record(actor, "remove_block", "blocklist", entry.id, {"kind": entry.kind})
    db.session.delete(entry)
    _forget_blocklist()


def blocklist_entries() -> list[Blocklist]:
    return list(db.session.scalars(select(Blocklist).order_by(Blocklist.id.desc())))


def _parent_domains(domain: str) -> list[str]:
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


@dataclass(frozen=True)
class _BlockRules:
    """One scope's blocklist (a call's, or every call's under ``None``), ready to match."""

    emails: frozenset[str]
    domains: frozenset[str]
    ip_ranges: tuple[tuple[bytes, bytes], ...]


_BLOCKLIST_STORE = "campaign.blocklist"


def _blocklist_rules() -> dict[int | None, _BlockRules]:
    """Every blocklist entry, by scope, read at most once per ``BLOCKLIST_CACHE_SECONDS``.

    Signing checks the blocklists on every post; one query per signature for
    a table that changes a few times a day cost more than the insert itself.
    Each process keeps the rules for a few seconds: a new entry applies to
    this process at once and to the others within that time.
    """
    return memo.remembered(
        _BLOCKLIST_STORE, None, current_app.config["BLOCKLIST_CACHE_SECONDS"], _read_blocklists
    )


def _read_blocklists() -> dict[int | None, _BlockRules]:
    scopes: dict[int | None, tuple[set[str], set[str], list[tuple[bytes, bytes]]]] = {}
    rows = db.session.execute(
        select(
            Blocklist.petition_id,
            Blocklist.kind,
            Blocklist.value,
            Blocklist.ip_low,
            Blocklist.ip_high,
        )
    )
    for petition_id, kind, value, low, high in rows:
        emails_, domains, ranges = scopes.setdefault(petition_id, (set(), set(), []))
        if kind == BlocklistKind.EMAIL:
            emails_.add(value)
        elif kind == BlocklistKind.DOMAIN:
            domains.add(value)
        elif kind == BlocklistKind.IP_RANGE and low is not None and high is not None:
            ranges.append((bytes(low), bytes(high)))
    return {
        scope: _BlockRules(frozenset(e), frozenset(d), tuple(r))
        for scope, (e, d, r) in scopes.items()
    }


def _forget_blocklist() -> None:
    memo.forget(_BLOCKLIST_STORE)


def blocklisted(petition_id: int, ip: str | None, email_canonical: str) -> bool:
    """Whether a new signature matches a blocklist (this call's or every call's).

    Called by ``petitions.services.sign``; a match is stored as suspect. An
    address matches its own entry, its domain's and every parent domain's
    (``spamwave.org`` blocks ``a@sub.spamwave.org``).
    """
    rules = _blocklist_rules()
    domain = email_canonical.rpartition("@")[2]
    domains = (_parent_domains(domain) or [domain]) if domain else []
    packed = petition_services.pack_ip(ip)
    for scope in (None, petition_id):
        scoped = rules.get(scope)
        if scoped is None:
            continue
        if email_canonical in scoped.emails or any(d in scoped.domains for d in domains):
            return True
        if packed is not None and any(low <= packed <= high for low, high in scoped.ip_ranges):
            return True
    return False
