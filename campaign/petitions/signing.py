"""Signing: a submission of its own, and one email to its mailbox, written together.

Every submission is its own pending row with exactly what was typed, so the
link its email carries confirms that submission and no other: nobody's
typing changes what another person confirms (``lifecycle.confirm`` keeps one
confirmed signature per mailbox). The email is the confirmation request, or,
when the mailbox has already confirmed a signature on this call, a note with
the link to that signature's own page. Both paths run the same statements,
so neither the page nor its timing tells whether an address has signed.
Nothing here commits: the caller does, so a submission and its email land
together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, select

from .. import emails
from ..database import dialect_name
from ..extensions import db
from ..ip_addresses import pack_ip
from ..models import Lifecycle, OutboxMessage, Petition, Signature, Validity, new_public_id, utcnow
from . import abuse, allowance
from .partners import partner_name
from .signer_mail import Signer, already_signed_note, confirmation_request
from .sources import source_slug

_signatures = Signature.__table__
_outbox = OutboxMessage.__table__


@dataclass(frozen=True)
class SignatureRequest:
    """What a person submitted, already validated by the form."""

    name: str
    email: str
    country: str
    public: bool
    updates: bool
    language: str
    # The consent as shown and, when chosen, the government-news choice (forms.stored_consent).
    consent_text: str
    ip: str | None = None
    honeypot_filled: bool = False
    form_age_seconds: float | None = None
    # "Tell me what my government does with this call" (governments.news).
    government_news: bool = False
    # Where the form was posted from: the link's source (sources) and the embed's partner
    # (partners), each None for none.
    ref: str | None = None
    partner: str | None = None


def sign(petition: Petition, request: SignatureRequest) -> str:
    """Record a submission as pending and queue its mailbox's email; return its public id.

    On PostgreSQL the submission and its email are one statement, atomic by
    itself, so the sign view runs outside a transaction
    (``each_statement_commits``). The allowance's counters are taken before
    it, each by a statement atomic by itself: should the write then fail,
    one email of the day's allowance is spent unused, never more.
    """
    canonical = emails.canonical(request.email)
    values = _new_submission(petition, request, canonical)
    confirmed = _confirmed_signer(petition.id, canonical)
    allowed = allowance.take(petition.id, canonical, values["ip_address"], values["created_at"])
    values["emails_sent"] = int(allowed)
    message = None
    if allowed:
        if confirmed is None:
            submitter = Signer(values["public_id"], request.email, request.name, request.language)
            message = confirmation_request(petition, submitter)
        else:
            message = already_signed_note(petition, confirmed)
    _insert(values, message)
    return values["public_id"]


def _new_submission(
    petition: Petition, request: SignatureRequest, canonical: str
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
        "public_id": new_public_id(),
        "petition_id": petition.id,
        "name": request.name,
        "email": request.email,
        "email_canonical": canonical,
        "ip_address": packed_ip,
        "country": request.country,
        "public": request.public,
        "updates": request.updates,
        "government_news": request.government_news,
        "language": request.language,
        "status": Lifecycle.PENDING,
        "validity": Validity.SUSPECT if reason else Validity.OK,
        "suspect_reason": reason,
        "text_version": petition.text_version,
        "privacy_version": current_app.config["PRIVACY_NOTICE_VERSION"],
        "consent_text": request.consent_text,
        # Checked again here, whoever built the request: a source never refuses a signature.
        "ref": source_slug(request.ref),
        "partner": partner_name(request.partner),
        "created_at": utcnow(),
    }


# Built once: every post reads it, whatever the address.
_CONFIRMED_SIGNER = select(
    Signature.public_id, Signature.email, Signature.name, Signature.language
).where(
    Signature.petition_id == bindparam("petition_id"),
    Signature.email_canonical == bindparam("canonical"),
    Signature.status == Lifecycle.CONFIRMED,
)


def _confirmed_signer(petition_id: int, canonical: str) -> Signer | None:
    """The mailbox's confirmed signature on this call, as the one to write to, or None."""
    row = db.session.execute(
        _CONFIRMED_SIGNER, {"petition_id": petition_id, "canonical": canonical}
    ).one_or_none()
    return Signer(*row) if row is not None else None


def _insert(values: dict[str, Any], message: dict[str, Any] | None) -> None:
    """Write the submission and, when there is one, its email's outbox row."""
    if message is None:
        db.session.execute(_signatures.insert(), values)
        return
    if dialect_name() == "postgresql":
        columns = tuple(name for name in message if name != "signature_id")
        params = {f"message_{name}": message[name] for name in columns}
        db.session.execute(_submission_with_message(tuple(values), columns), {**values, **params})
        return
    signature_id = db.session.execute(
        _signatures.insert().returning(_signatures.c.id), values
    ).scalar_one()
    db.session.execute(_outbox.insert(), {**message, "signature_id": signature_id})


@cache
def _submission_with_message(
    signature_columns: tuple[str, ...], message_columns: tuple[str, ...]
) -> Any:
    """One PostgreSQL statement that writes a submission and its email.

    The email's row is selected from the id the first INSERT returns: one
    statement is one round trip, and atomic by itself. Built once per set of
    columns (the same on every post).
    """
    # In a CTE the INSERT's columns must be named; at the top level the parameters name them.
    columns = {name: bindparam(name, type_=_signatures.c[name].type) for name in signature_columns}
    new_submission = (
        _signatures.insert().values(columns).returning(_signatures.c.id).cte("new_submission")
    )
    message_values = (
        bindparam(f"message_{name}", type_=_outbox.c[name].type) for name in message_columns
    )
    return _outbox.insert().from_select(
        [*message_columns, "signature_id"], select(*message_values, new_submission.c.id)
    )
