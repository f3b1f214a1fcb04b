"""Signing: a new pending signature and its confirmation email, written together.

A second signature with the same mailbox never creates a row: the earlier
one gets its confirmation again, or an "already signed" note, within a cap
per signature. What happened is never returned, so the page cannot reveal
whether an address has signed. Nothing here commits: the caller does, so a
signature and its email land together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from .. import emails, tokens
from ..database import dialect_name, upsert_insert
from ..extensions import db
from ..i18n import public_url
from ..ip_addresses import pack_ip
from ..mail.services import compose
from ..models import (
    Lifecycle,
    OutboxMessage,
    Petition,
    Signature,
    Validity,
    new_public_id,
    utcnow,
)
from . import abuse
from .services import call_text

_signatures = Signature.__table__


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
    dialect = dialect_name()
    if dialect == "postgresql":
        columns, message_params = _message_params(message)
        statement = _signature_with_message_insert(tuple(values), columns)
        return db.session.execute(statement, {**values, **message_params}).scalar()
    signature_id = db.session.execute(_signature_insert(dialect), values).scalar()
    if signature_id is not None:
        db.session.execute(_outbox.insert(), {**message, "signature_id": signature_id})
    return signature_id


def sign(petition: Petition, request: SignatureRequest) -> None:
    """Record a signature as pending and queue its confirmation email.

    A second signature with the same mailbox never creates a row: a pending
    one gets its confirmation again, a confirmed one an "already signed"
    note, each within the per-signature email cap (:func:`_write_to_earlier`).

    On PostgreSQL each write is one statement, atomic by itself (the
    signature with its email, or the capped count with its email), so the
    sign view runs them outside a transaction (``each_statement_commits``).
    """
    canonical = emails.canonical(request.email)
    public_id = new_public_id()
    values = _new_signature(petition, request, public_id, canonical)
    # The email is written with the signature, so it is composed first; it needs
    # the signature's public id (for its links), not its row id.
    signer = _Signer(public_id, request.email, request.name, request.language)
    if _insert_signature(values, _signer_email(petition, signer, confirm=True)) is None:
        _write_to_earlier(petition, canonical)


def _new_signature(
    petition: Petition, request: SignatureRequest, public_id: str, canonical: str
) -> dict[str, Any]:
    """The new row's values, held back as suspect when the abuse checks say so."""
    packed_ip = pack_ip(request.ip)
    reason = abuse.suspect_reason(
        petition.id,
        packed_ip,
        ip=request.ip,
        email_canonical=canonical,
        honeypot_filled=request.honeypot_filled,
        form_age_seconds=request.form_age_seconds,
    )
    return {
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


def _write_to_earlier(petition: Petition, canonical: str) -> None:
    """The address has signed this call: email the signature already there, if it stands."""
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
    dialect = dialect_name()
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
