"""Signing, confirming and withdrawing, and the counters that follow them.

Every change of a signature's state goes through :func:`transition`, which
moves the row with a conditional UPDATE (so two requests can never both
move it) and adjusts ``signature_count`` and the per-country counts by the
difference it makes. Functions here never commit: the caller commits, so a
signature and its email land together or not at all.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, func, or_, select, text, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from .. import emails, memo, tokens
from ..database import upsert_insert
from ..extensions import db
from ..i18n import public_url
from ..mail.services import compose
from ..models import (
    CountryCount,
    Lifecycle,
    NotableSignatory,
    OutboxMessage,
    Petition,
    PetitionState,
    PetitionTranslation,
    Signature,
    Validity,
    new_public_id,
    utcnow,
)
from . import abuse

# Confirmations of a call that has just closed are still accepted for this long.
CONFIRMATION_GRACE = timedelta(days=7)


def is_counted(status: str, validity: str) -> bool:
    return status == Lifecycle.CONFIRMED and validity == Validity.OK


def get_public_petition(slug: str) -> Petition | None:
    """A call anyone may see (drafts are the organisers' only)."""
    petition = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if petition is None or not petition.is_public:
        return None
    return petition


def petition_to_sign(slug: str) -> Petition | None:
    """The call a sign form posts to, read at most once a second by each process.

    Every signature needs the call (is it open, its text version, its title
    for the email), and reading it was a fifth of the cost of a signature.
    The instance is detached from any session and shared by the process's
    threads for ``SIGN_CALL_CACHE_SECONDS``: only read its columns (no
    relationships), and load the call afresh to render a page with it. A call
    closed or edited by its organisers is seen within that time.
    """
    if not current_app.config["SIGN_CALL_CACHE_SECONDS"]:
        return get_public_petition(slug)

    def load() -> Petition | None:
        petition = get_public_petition(slug)
        if petition is not None:
            db.session.expunge(petition)  # its columns stay loaded; commits no longer expire it
        return petition

    return memo.remembered(
        "campaign.calls_to_sign", slug, current_app.config["SIGN_CALL_CACHE_SECONDS"], load
    )


def featured_petition() -> Petition | None:
    return db.session.scalar(
        select(Petition)
        .where(Petition.state != PetitionState.DRAFT)
        .order_by(
            Petition.featured.desc(), Petition.state == PetitionState.OPEN, Petition.id.desc()
        )
        .limit(1)
    )


@dataclass(frozen=True)
class CallText:
    """A call's own text in one language, and which language it really is in."""

    language: str
    title: str
    summary: str
    body_markdown: str
    background_markdown: str


def call_text(petition: Petition, language: str) -> CallText:
    """The call's text in ``language`` when organisers wrote one, else in its main language.

    Remembered for the rest of the request (or command), since a page asks
    for the title several times.
    """
    cache = g.setdefault("call_texts", {})
    key = (petition.id, language)
    if key not in cache:
        source: Petition | PetitionTranslation = petition
        if language != petition.language:
            translation = db.session.scalar(
                select(PetitionTranslation).where(
                    PetitionTranslation.petition_id == petition.id,
                    PetitionTranslation.language == language,
                )
            )
            if translation is not None:
                source = translation
        cache[key] = CallText(
            language=source.language,
            title=source.title,
            summary=source.summary,
            body_markdown=source.body_markdown,
            background_markdown=source.background_markdown,
        )
    return cache[key]


# The parts of a call written in each language (see PetitionTranslation).
TRANSLATED_FIELDS = ("title", "summary", "body_markdown", "background_markdown")


def text_digest(source: Petition | PetitionTranslation) -> str:
    """A fingerprint of a call's text in one language, all four translated parts.

    For the main text, ``text_version`` changes only with the title and the
    call's text (the parts signatures are bound to); the digest also changes
    with the summary and background, so a translation written before any of
    them changed can be shown out of date.
    """
    parts = json.dumps([getattr(source, field) or "" for field in TRANSLATED_FIELDS])
    return hashlib.sha256(parts.encode()).hexdigest()


def visible_notables(petition: Petition) -> list[NotableSignatory]:
    return list(
        db.session.scalars(
            select(NotableSignatory)
            .outerjoin(Signature, NotableSignatory.signature_id == Signature.id)
            .where(
                NotableSignatory.petition_id == petition.id,
                NotableSignatory.visible,
                # A promoted signer is shown only while their signature counts.
                or_(
                    NotableSignatory.signature_id.is_(None),
                    (Signature.status == Lifecycle.CONFIRMED) & (Signature.validity == Validity.OK),
                ),
            )
            .order_by(NotableSignatory.sort_order, NotableSignatory.id)
        )
    )


def country_counts(petition: Petition) -> list[tuple[str, int]]:
    """(country code, count) for countries with counted signatures, largest first."""
    rows = db.session.execute(
        select(CountryCount.country, CountryCount.signature_count)
        .where(CountryCount.petition_id == petition.id, CountryCount.signature_count > 0)
        .order_by(CountryCount.signature_count.desc(), CountryCount.country)
    )
    return [(country, count) for country, count in rows]


def accepts_confirmations(petition: Petition | LinkTarget) -> bool:
    """Whether the call still takes confirmations (a grace period after it closes)."""
    if petition.state not in (PetitionState.OPEN, PetitionState.CLOSED):
        return False
    if petition.closes_at is not None:
        # A call also closes by itself at its close time, still in state "open".
        return utcnow() < petition.closes_at + CONFIRMATION_GRACE
    return petition.state == PetitionState.OPEN


# -- counters -----------------------------------------------------------------


# The counters are the hottest rows of a busy day: every confirmation adds to the
# same call's count. They are bumped last, just before the commit, and on
# PostgreSQL in the very statement that moves the signature, so each transaction
# holds their row locks for as short a time as possible. Plain SQL on the tables:
# a count is not an edit of the call, so the ORM's onupdate for updated_at must
# not fire.
_CALL_SQL = "UPDATE petition SET signature_count = signature_count + :delta WHERE id = :petition_id"
_COUNTRY_INSERT = "INSERT INTO country_count (petition_id, country, signature_count)"
_COUNTRY_CONFLICT = """
    ON CONFLICT (petition_id, country)
    DO UPDATE SET signature_count = country_count.signature_count + excluded.signature_count
"""
_BUMP_CALL = text(_CALL_SQL)
_BUMP_COUNTRY = text(
    f"{_COUNTRY_INSERT} VALUES (:petition_id, :country, :delta) {_COUNTRY_CONFLICT}"
)


def adjust_counters(petition_id: int, country: str, delta: int) -> None:
    """Add ``delta`` to a call's count and to its country's count."""
    params = {"petition_id": petition_id, "country": country, "delta": delta}
    db.session.execute(_BUMP_CALL, params)
    db.session.execute(_BUMP_COUNTRY, params)


# Every transition is one UPDATE, its SET columns taken from the parameters.
_signatures = Signature.__table__
_MOVE = _signatures.update().where(
    _signatures.c.id == bindparam("_id"),
    _signatures.c.status == bindparam("_old_status"),
    _signatures.c.validity == bindparam("_old_validity"),
)


@cache
def _move_and_count(columns: tuple[str, ...]) -> Any:
    """PostgreSQL: the transition's UPDATE and both counters in one statement.

    The counters are bumped from the ``moved`` row, so when another request
    moved the signature first nothing is counted, and the statement reports
    no row. One round trip where the UPDATE and then the counters took two.
    The SET columns are the transition's own keywords, looked up on the table.
    """
    sets = ", ".join(f"{_signatures.c[name].name} = :{name}" for name in columns)
    sql = f"""
        WITH moved AS (
            UPDATE signature SET {sets}
            WHERE id = :_id AND status = :_old_status AND validity = :_old_validity
            RETURNING id
        ), bumped AS ({_CALL_SQL} AND EXISTS (SELECT FROM moved) RETURNING id)
        {_COUNTRY_INSERT} SELECT :petition_id, :country, :delta FROM moved {_COUNTRY_CONFLICT}
    """  # noqa: S608 - column names from the table, every value a parameter
    return text(sql)


def transition(
    signature: Signature,
    *,
    status: Lifecycle | None = None,
    validity: Validity | None = None,
    **values: Any,
) -> bool:
    """Move ``signature`` to a new state and keep the counters right.

    Returns False, changing nothing, when the row is no longer in the state
    this object last saw (another request moved it first).
    """
    changes = _move(signature, status=status, validity=validity, **values)
    if changes is None:
        return False
    for key, value in changes.items():
        set_committed_value(signature, key, value)
    return True


def _move(
    signature: Signature | LinkTarget,
    *,
    status: Lifecycle | None = None,
    validity: Validity | None = None,
    **values: Any,
) -> dict[str, Any] | None:
    """The write of :func:`transition`: the columns it changed, or None if it lost a race."""
    old = (signature.status, signature.validity)
    new = (status or old[0], validity or old[1])
    changes = {"status": new[0], "validity": new[1], **values}
    params = {"_id": signature.id, "_old_status": old[0], "_old_validity": old[1], **changes}
    delta = int(is_counted(*new)) - int(is_counted(*old))
    if delta and db.session.get_bind().dialect.name == "postgresql":
        counted = {"petition_id": signature.petition_id, "country": signature.country}
        statement = _move_and_count(tuple(changes))
        moved = db.session.execute(statement, {**params, **counted, "delta": delta}).rowcount == 1
    else:  # SQLite has no UPDATE inside WITH; its one writer at a time holds no row locks
        moved = db.session.execute(_MOVE, params).rowcount == 1
        if moved and delta:
            adjust_counters(signature.petition_id, signature.country, delta)
    return changes if moved else None


def reconcile_counts(petition: Petition) -> tuple[int, int]:
    """Recompute a call's counters from its rows; return (before, after).

    Drift should never happen; this is the periodic check that proves it and
    mends it if a bug or a manual edit ever causes it.
    """
    counted = (
        (Signature.petition_id == petition.id)
        & (Signature.status == Lifecycle.CONFIRMED)
        & (Signature.validity == Validity.OK)
    )
    by_country = dict(
        db.session.execute(
            select(Signature.country, func.count()).where(counted).group_by(Signature.country)
        ).all()
    )
    before = petition.signature_count
    total = sum(by_country.values())
    db.session.execute(
        update(Petition).where(Petition.id == petition.id).values(signature_count=total)
    )
    db.session.execute(delete(CountryCount).where(CountryCount.petition_id == petition.id))
    if by_country:
        db.session.execute(
            CountryCount.__table__.insert(),
            [
                {"petition_id": petition.id, "country": code, "signature_count": n}
                for code, n in by_country.items()
            ],
        )
    db.session.refresh(petition)
    return before, total


# -- signing ------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureRequest:
    """What a person submitted, already validated by the form."""

    name: str
    email: str
    country: str
    public: bool
    updates: bool
    language: str
    consent_text: str
    ip: str | None = None
    honeypot_filled: bool = False
    form_age_seconds: float | None = None


@cache
def _signature_insert(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id, built once per database kind.

    A Core statement on the table, executed with the values as parameters:
    building it (and its cache key) through the ORM on every post cost about
    as much as the round trip to the database.
    """
    insert = upsert_insert(_signatures, dialect)
    return insert.on_conflict_do_nothing(
        index_elements=["petition_id", "email_canonical"]
    ).returning(_signatures.c.id)


_outbox = OutboxMessage.__table__


@cache
def _signature_with_message_insert(
    signature_columns: tuple[str, ...], message_columns: tuple[str, ...]
) -> Any:
    """One PostgreSQL statement that writes a new signature and its confirmation email.

    The email's row is selected from the signature the first INSERT returns,
    so when the address has already signed (that INSERT does nothing) no
    email is written either. One statement is one round trip, and atomic by
    itself. Built once per set of columns (the same on every post).
    """
    # In a CTE the INSERT's columns must be named; at the top level the parameters name them.
    columns = {name: bindparam(name, type_=_signatures.c[name].type) for name in signature_columns}
    new_signature = _signature_insert("postgresql").values(columns).cte("new_signature")
    return (
        _outbox.insert()
        .from_select(
            [*message_columns, "signature_id"], _message_select(message_columns, new_signature.c.id)
        )
        .returning(_outbox.c.signature_id)
    )


# One more email for a signature, within its cap and only in the state it was read in.
_COUNT_EMAIL = (
    _signatures.update()
    .where(
        _signatures.c.id == bindparam("_id"),
        _signatures.c.status == bindparam("_status"),
        _signatures.c.emails_sent < bindparam("_cap"),
    )
    .values(emails_sent=_signatures.c.emails_sent + 1)
)


@cache
def _capped_message_insert(message_columns: tuple[str, ...]) -> Any:
    """PostgreSQL: :data:`_COUNT_EMAIL` and the email's outbox row in one statement.

    The row is selected from the signature the UPDATE returns, so an email
    over the cap is neither counted nor written.
    """
    counted = _COUNT_EMAIL.returning(_signatures.c.id).cte("counted")
    return _outbox.insert().from_select(
        [*message_columns, "signature_id"], _message_select(message_columns, counted.c.id)
    )


def _message_select(message_columns: tuple[str, ...], signature_id: Any) -> Any:
    """SELECT an outbox row's values, given as ``message_*`` parameters, with ``signature_id``."""
    return select(
        *(bindparam(f"message_{name}", type_=_outbox.c[name].type) for name in message_columns),
        signature_id,
    )


def _message_params(message: dict[str, Any]) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The columns of an outbox row bar its signature's id, and their values as parameters."""
    columns = tuple(name for name in message if name != "signature_id")
    return columns, {f"message_{name}": message[name] for name in columns}


def _insert_signature(values: dict[str, Any], message: dict[str, Any]) -> int | None:
    """Write a new signature and its email's outbox row, and return the signature's id;
    or write neither and return None when the address has already signed this call."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        columns, message_params = _message_params(message)
        statement = _signature_with_message_insert(tuple(values), columns)
        return db.session.execute(statement, {**values, **message_params}).scalar()
    signature_id = db.session.execute(_signature_insert(dialect), values).scalar()
    if signature_id is not None:
        db.session.execute(_outbox.insert(), {**message, "signature_id": signature_id})
    return signature_id


def pack_ip(ip: str | None) -> bytes | None:
    """16 bytes, IPv4 as IPv4-mapped IPv6, so a CIDR range is a byte range everywhere."""
    if not ip:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv4Address):
        address = ipaddress.IPv6Address(b"\0" * 10 + b"\xff\xff" + address.packed)
    return address.packed


def sign(petition: Petition, request: SignatureRequest) -> None:
    """Record a signature as pending and queue its confirmation email.

    A second signature with the same mailbox never creates a row: a pending
    one gets its confirmation again, a confirmed one an "already signed"
    note, each within the per-signature email cap. What happened is never
    returned, so the page cannot reveal whether an address has signed.

    On PostgreSQL each write is one statement, atomic by itself (the
    signature with its email, or the capped count with its email), so the
    sign view runs them outside a transaction (``each_statement_commits``).
    """
    canonical = emails.canonical(request.email)
    public_id = new_public_id()
    packed_ip = pack_ip(request.ip)
    reason = abuse.suspect_reason(
        petition.id,
        packed_ip,
        ip=request.ip,
        email_canonical=canonical,
        honeypot_filled=request.honeypot_filled,
        form_age_seconds=request.form_age_seconds,
    )
    values = {
        "public_id": public_id,
        "petition_id": petition.id,
        "name": request.name,
        "email": request.email,
        "email_canonical": canonical,
        "ip_address": packed_ip,
        "country": request.country,
        "public": request.public,
        "updates": request.updates,
        "language": request.language,
        "status": Lifecycle.PENDING,
        "validity": Validity.SUSPECT if reason else Validity.OK,
        "suspect_reason": reason,
        "text_version": petition.text_version,
        "privacy_version": current_app.config["PRIVACY_NOTICE_VERSION"],
        "consent_text": request.consent_text,
        "emails_sent": 1,
        "created_at": utcnow(),
    }
    # The email is written with the signature, so it is composed first; it needs
    # the signature's public id (for its links), not its row id.
    signer = _Signer(public_id, request.email, request.name, request.language)
    if _insert_signature(values, _signer_email(petition, signer, confirm=True)) is not None:
        return

    existing = db.session.execute(
        select(
            Signature.id,
            Signature.public_id,
            Signature.status,
            Signature.email,
            Signature.name,
            Signature.language,
        ).where(Signature.petition_id == petition.id, Signature.email_canonical == canonical)
    ).one_or_none()
    if existing is None or existing.status == Lifecycle.WITHDRAWN:
        return
    # Write to the address that signed first: the new submission may be someone else's typing.
    signer = _Signer(existing.public_id, existing.email, existing.name, existing.language)
    message = _signer_email(petition, signer, confirm=existing.status == Lifecycle.PENDING)
    _resend(existing.id, existing.status, message)


def _resend(signature_id: int, status: str, message: dict[str, Any]) -> None:
    """Count one more email against the signature's cap and queue it, or neither.

    The cap is checked and counted in the same statement as the email is
    queued, so concurrent resubmissions share it; and the email is the one
    for the state read (a confirmation that landed meanwhile writes nothing).
    """
    cap = current_app.config["MAX_EMAILS_PER_SIGNATURE"]
    dialect = db.session.get_bind().dialect.name
    params = {"_id": signature_id, "_status": status, "_cap": cap}
    if dialect == "postgresql":
        columns, message_params = _message_params(message)
        db.session.execute(_capped_message_insert(columns), {**params, **message_params})
        return
    if db.session.execute(_COUNT_EMAIL, params).rowcount:
        db.session.execute(_outbox.insert(), {**message, "signature_id": signature_id})


@dataclass(frozen=True)
class _Signer:
    """Who an email about a signature goes to: the address that signed first."""

    public_id: str
    address: str
    name: str
    language: str


def _signer_email(petition: Petition, signer: _Signer, *, confirm: bool) -> dict[str, Any]:
    """The confirmation request, or (``confirm=False``) the "already signed" note, as
    the values of its outbox row (all but the signature's id).

    Both carry a link to withdraw; only the first carries the link that confirms.
    """
    context = {
        "petition": petition,
        "name": signer.name,
        "withdraw_url": public_url(
            "petitions.withdraw",
            signer.language,
            token=tokens.make(tokens.Purpose.WITHDRAW, signer.public_id),
        ),
        "petition_url": public_url("petitions.show", signer.language, slug=petition.slug),
        "max_age_days": current_app.config["CONFIRM_MAX_AGE_DAYS"],
    }
    # The subject names the call as the reader's pages do: in their language when translated.
    title = call_text(petition, signer.language).title
    if confirm:
        context["confirm_url"] = public_url(
            "petitions.confirm",
            signer.language,
            token=tokens.make(tokens.Purpose.CONFIRM, signer.public_id),
        )
        kind, subject = (
            "confirm",
            _l("Please confirm your signature: %(title)s", title=title),
        )
    else:
        kind, subject = (
            "already_signed",
            _l("You have already signed: %(title)s", title=title),
        )
    return compose(
        kind=kind,
        to_address=signer.address,
        to_name=signer.name,
        template=kind,
        subject=subject,
        language=signer.language,
        context=context,
        petition_id=petition.id,
        # Rendered once per call text and language, then filled in (mail.services._fill_in).
        personal=("name", "withdraw_url", "confirm_url") if confirm else ("name", "withdraw_url"),
        shared_key=(
            petition.id,
            title,
            petition.organisation,
            context["petition_url"],
            context["max_age_days"],
        ),
    )


# -- confirming and withdrawing -------------------------------------------------


# Built once: building the query and its loader options on every confirmation
# cost a third of reading the row.
_SIGNATURE_BY_PUBLIC_ID = (
    select(Signature)
    .where(Signature.public_id == bindparam("public_id"))
    .options(joinedload(Signature.petition))
)


def signature_by_public_id(public_id: str) -> Signature | None:
    """The signature a link's token names, with its call loaded in the same query."""
    return db.session.scalar(_SIGNATURE_BY_PUBLIC_ID, {"public_id": public_id})


@dataclass(frozen=True)
class LinkTarget:
    """What a confirmation link needs of its signature and call, read as plain columns.

    Confirming is the busiest write after signing. Loading the signature and
    its call as ORM objects (some fifty columns, each described by the driver
    and set on an instance) cost a confirmation more than its UPDATE did.
    """

    id: int
    petition_id: int
    country: str
    status: str
    validity: str
    slug: str
    state: str
    closes_at: datetime | None


# Core columns of the tables, not the mapped attributes: an ORM-enabled SELECT
# pays for the ORM's compile and result machinery even when it returns rows.
_petitions = Petition.__table__
_LINK_TARGET = (
    select(
        _signatures.c.id,
        _signatures.c.petition_id,
        _signatures.c.country,
        _signatures.c.status,
        _signatures.c.validity,
        _petitions.c.slug,
        _petitions.c.state,
        _petitions.c.closes_at,
    )
    .join(_petitions, _petitions.c.id == _signatures.c.petition_id)
    .where(_signatures.c.public_id == bindparam("public_id"))
)


def link_target(public_id: str) -> LinkTarget | None:
    """The signature a confirmation link's token names, and its call, or None."""
    row = db.session.execute(_LINK_TARGET, {"public_id": public_id}).one_or_none()
    return LinkTarget(*row) if row is not None else None


def confirm(signature: Signature | LinkTarget, now: datetime | None = None) -> bool:
    """Confirm a pending signature. Confirming twice is harmless (returns False).

    An ORM ``signature`` is updated in place; a :class:`LinkTarget` is read once.
    """
    if signature.status != Lifecycle.PENDING:
        return False
    confirmed_at = now or utcnow()
    if isinstance(signature, LinkTarget):
        return _move(signature, status=Lifecycle.CONFIRMED, confirmed_at=confirmed_at) is not None
    return transition(signature, status=Lifecycle.CONFIRMED, confirmed_at=confirmed_at)


def withdraw(signature: Signature, now: datetime | None = None) -> bool:
    """Take a signature back and erase the person's data, keeping the row for honest counts.

    Country, dates and state stay; name, email and address go, and so does
    any mail still waiting for them.
    """
    if signature.status == Lifecycle.WITHDRAWN:
        return False
    moved = transition(
        signature,
        status=Lifecycle.WITHDRAWN,
        withdrawn_at=now or utcnow(),
        name=None,
        email=None,
        email_canonical=None,
        ip_address=None,
        public=False,
        updates=False,
    )
    if moved:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.signature_id == signature.id))
        # A signer promoted to the notables leaves them too (their portrait goes by cascade).
        db.session.execute(
            delete(NotableSignatory).where(NotableSignatory.signature_id == signature.id)
        )
    return moved
