"""Organisers' accounts, as plain functions: they never read the request and never commit.

Accounts and passwords, the back-off and lockout after failed sign-ins, and
the second factor (TOTP). A new password or a disabled account ends the
account's sessions on every host at once (``sessions``), and its new
``session_token`` cancels a sign-in waiting for its second factor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import pyotp
import segno
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import upsert_insert
from ..extensions import db
from ..models import (
    Organiser,
    OrganiserRole,
    OrganiserSession,
    SignInThrottle,
    new_public_id,
    utcnow,
)
from . import sessions

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
    """The active organiser a half-done sign-in (awaiting its second factor) is for."""
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
    organiser.invited_at = None  # an invitation not yet accepted is answered by this
    organiser.session_token = new_public_id()
    sessions.end_all(organiser.id, sessions.Ending.CREDENTIALS)
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.email == organiser.email))


def set_active(organiser: Organiser, active: bool) -> None:
    """Disable (or enable again) an account; disabling ends its sessions at once."""
    organiser.active = active
    organiser.session_token = new_public_id()
    if not active:
        sessions.end_all(organiser.id, sessions.Ending.DISABLED)


@cache
def _dummy_hash() -> str:
    return hash_password("not a password anyone has")


def authenticate(email: str, password: str) -> Organiser | None:
    """The active organiser with this email and password, or None.

    An unknown address costs the same hash as a known one, so the answer's
    timing does not tell which addresses have accounts.
    """
    organiser = find_organiser(email)
    if organiser is None or not organiser.password_hash:
        # No account, or one invited that has no password yet (campaign/team).
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
    """The otpauth:// URI an authenticator app reads (scanned, typed or pasted)."""
    issuer = current_app.config.get("TOTP_ISSUER", "Campaign")
    return pyotp.TOTP(secret).provisioning_uri(name=organiser.email, issuer_name=issuer)


def totp_qr_code(uri: str) -> str:
    """``uri`` as a QR code for the page to show: an SVG in a ``data:`` URI, drawn on the
    server (segno), so the secret never goes to a QR service and no script is needed
    under the strict CSP (which allows ``data:`` images). Medium error correction and
    the standard quiet zone of 4 modules, which phone cameras need."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4)


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


def enable_totp(
    organiser: Organiser,
    secret: str,
    code: str,
    now: datetime | None = None,
    keep: OrganiserSession | None = None,
) -> bool:
    """Turn the second factor on once the organiser proves their app has ``secret``.

    Sessions opened with the password alone end (but ``keep``, the one asking).
    """
    step = _matching_step(secret, code, now or utcnow())
    if step is None:
        return False
    organiser.totp_secret = secret
    organiser.totp_last_step = step
    sessions.end_all(organiser.id, sessions.Ending.TWO_STEP, keep=keep)
    return True


def disable_totp(organiser: Organiser, keep: OrganiserSession | None = None) -> None:
    """Turn the second factor off (or reset it: a lost phone); the account's other
    sessions end, since whoever holds one may be why."""
    organiser.totp_secret = None
    organiser.totp_last_step = None
    sessions.end_all(organiser.id, sessions.Ending.TWO_STEP, keep=keep)
