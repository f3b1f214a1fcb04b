"""Organisers' sessions as rows the server can end: plain functions that never read the
request and never commit.

A sign-in adds an :class:`~campaign.models.OrganiserSession` and hands back a random
key for the cookie; the database keeps only the key's SHA-256. Every back-office
request resolves the key (:func:`resolve`): a session that was ended, has been idle
longer than ``SESSION_IDLE_MINUTES`` or is older than ``SESSION_MAX_HOURS`` opens
nothing, on any host, whatever the cookie says.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import contains_eager
from sqlalchemy.sql.elements import ColumnElement

from ..extensions import db
from ..models import Organiser, OrganiserSession, utcnow

# ``last_seen_at`` moves at most this often: a write a minute per session, not per request.
SEEN_EVERY = timedelta(minutes=1)


class Ending(enum.StrEnum):
    """Why a session was ended (stored in ``end_reason``)."""

    SIGNED_OUT = "signed_out"
    EVERYWHERE = "everywhere"  # the organiser's "sign out everywhere"
    ADMINISTRATOR = "administrator"  # an administrator ended the account's sessions
    CREDENTIALS = "credentials"  # a new password
    TWO_STEP = "two_step"  # two-step sign-in turned on, off or reset
    DISABLED = "disabled"  # the account was disabled


class Refusal(enum.StrEnum):
    """Why a session key opens nothing (said to the organiser on the sign-in page)."""

    ENDED = "ended"
    IDLE = "idle"
    TOO_OLD = "too_old"


def idle_limit() -> timedelta:
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def age_limit() -> timedelta:
    return timedelta(hours=current_app.config["SESSION_MAX_HOURS"])


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(organiser: Organiser, user_agent: str, now: datetime | None = None) -> str:
    """Record a new sign-in for ``organiser``; returns the key the cookie must carry."""
    now = now or utcnow()
    key = secrets.token_urlsafe(32)
    db.session.add(
        OrganiserSession(
            key_hash=hash_key(key),
            organiser_id=organiser.id,
            created_at=now,
            last_seen_at=now,
            user_agent=describe_user_agent(user_agent),
        )
    )
    db.session.flush()
    return key


def resolve(
    key: str, now: datetime | None = None
) -> tuple[OrganiserSession | None, Refusal | None]:
    """The live session ``key`` opens, or None and why not."""
    now = now or utcnow()
    row = db.session.scalar(
        select(OrganiserSession)
        .join(OrganiserSession.organiser)
        .options(contains_eager(OrganiserSession.organiser))
        .where(OrganiserSession.key_hash == hash_key(key), Organiser.active)
    )
    if row is None or row.ended_at is not None:
        return None, Refusal.ENDED
    if now - row.created_at > age_limit():
        return None, Refusal.TOO_OLD
    if now - row.last_seen_at > idle_limit():
        return None, Refusal.IDLE
    return row, None


def touch(row: OrganiserSession, now: datetime | None = None) -> bool:
    """Note that ``row`` is in use, at most once per :data:`SEEN_EVERY`; True if written.

    The condition is in the statement, so requests arriving together on several
    hosts write once between them.
    """
    now = now or utcnow()
    if now - row.last_seen_at < SEEN_EVERY:
        return False
    written = db.session.execute(
        update(OrganiserSession)
        .where(OrganiserSession.id == row.id, OrganiserSession.last_seen_at < now - SEEN_EVERY)
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    row.last_seen_at = now
    return bool(written)


def live(now: datetime) -> ColumnElement[bool]:
    """SQL: the session can still be used."""
    return and_(
        OrganiserSession.ended_at.is_(None),
        OrganiserSession.last_seen_at >= now - idle_limit(),
        OrganiserSession.created_at >= now - age_limit(),
    )


def end(row: OrganiserSession, reason: Ending, now: datetime | None = None) -> None:
    if row.ended_at is None:
        row.ended_at, row.end_reason = now or utcnow(), reason


def end_all(
    organiser_id: int,
    reason: Ending,
    keep: OrganiserSession | None = None,
    now: datetime | None = None,
) -> int:
    """End every session of the account (but ``keep``); returns how many were live."""
    now = now or utcnow()
    condition = and_(OrganiserSession.organiser_id == organiser_id, live(now))
    if keep is not None:
        condition = and_(condition, OrganiserSession.id != keep.id)
    return db.session.execute(
        update(OrganiserSession)
        .where(condition)
        .values(ended_at=now, end_reason=reason)
        .execution_options(synchronize_session="fetch")
    ).rowcount


def sessions_of(organiser_id: int, now: datetime | None = None) -> list[OrganiserSession]:
    """The account's live sessions, the most recently used first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(OrganiserSession)
            .where(OrganiserSession.organiser_id == organiser_id, live(now))
            .order_by(OrganiserSession.last_seen_at.desc(), OrganiserSession.id.desc())
        )
    )


def live_counts(now: datetime | None = None) -> dict[int, int]:
    """``{organiser id: live sessions}`` for the accounts that have any."""
    now = now or utcnow()
    rows = db.session.execute(
        select(OrganiserSession.organiser_id, func.count())
        .where(live(now))
        .group_by(OrganiserSession.organiser_id)
    )
    return {organiser_id: count for organiser_id, count in rows}


def prune(keep_days: int, now: datetime | None = None) -> int:
    """Delete sessions that ended or ran out over ``keep_days`` days ago; returns how many.

    Kept that long so an account's recent sign-ins can be looked at after an incident.
    """
    now = now or utcnow()
    cutoff = now - timedelta(days=keep_days)
    over = or_(
        OrganiserSession.ended_at < cutoff,
        OrganiserSession.last_seen_at < cutoff - idle_limit(),
        OrganiserSession.created_at < cutoff - age_limit(),
    )
    return db.session.execute(
        delete(OrganiserSession).where(over).execution_options(synchronize_session=False)
    ).rowcount


# Checked in order: Edge and Opera say "Chrome" too, Chrome says "Safari".
_BROWSERS = (
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_user_agent(user_agent: str) -> str:
    """A summary such as "Firefox, Linux": enough to tell one's browsers apart, no
    version to fingerprint, names that need no translation; "" if none is recognised."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    return ", ".join(part for part in (browser, system) if part)
