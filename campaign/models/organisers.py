"""The team's accounts, their failed sign-ins and the audit log of what they changed."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, new_public_id, one_of, utcnow


class OrganiserRole(enum.StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    MODERATOR = "moderator"


class Organiser(db.Model):
    """A member of the team running the calls, signing in to ``/organiser/``.

    Flask-Login knows an organiser by the key of one of their sign-ins
    (:class:`OrganiserSession`), never by the row id. ``session_token`` names the
    account in a sign-in that is half done (the password given, the second factor
    awaited): a new token (new password, disabled account) cancels those.
    """

    __tablename__ = "organiser"
    __table_args__ = (CheckConstraint(one_of("role", OrganiserRole), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last TOTP time step used, so a code cannot be replayed within its window.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    session_token: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set while the account is invited and has no password yet (``password_hash`` is
    # empty): when the last invitation was sent, which its link's age is counted from.
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def invited(self) -> bool:
        return self.invited_at is not None

    # Flask-Login's user interface, without tying the model to the extension.
    is_authenticated = True
    is_anonymous = False
    # The key of the sign-in this request runs under: set by the user loader and at
    # sign-in, never stored (the database keeps only its hash).
    session_key = None

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str | None:
        return self.session_key


class OrganiserSession(db.Model):
    """One sign-in, on one browser, until it is ended or runs out.

    The session cookie carries a random key; only its SHA-256 is stored, so a copy
    of the database opens no session. Every back-office request looks the row up,
    so ending it (signing out, "sign out everywhere", an administrator, a new
    password) refuses the cookie on every host at once, however it was copied.
    """

    __tablename__ = "organiser_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    organiser_id: Mapped[int] = mapped_column(
        ForeignKey("organiser.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moved forward at most once a minute (organisers/sessions.py), not on every request.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why it ended (organisers/sessions.py, Ending); idle and too old are computed.
    end_reason: Mapped[str | None] = mapped_column(String(20))
    # "Firefox, Linux": enough to recognise one's own browsers, no version, no IP.
    user_agent: Mapped[str] = mapped_column(String(80), default="")

    organiser: Mapped[Organiser] = relationship()


class SignInThrottle(db.Model):
    """Failed sign-ins for one (email typed, client address) pair.

    Kept in the database so the back-off holds across processes, and per
    pair, so a stranger elsewhere cannot lock an organiser out.
    """

    __tablename__ = "sign_in_throttle"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    ip: Mapped[str] = mapped_column(String(45), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEntry(db.Model):
    """One organiser action that changed data: who, what, when, and the change.

    ``changes`` holds before and after for campaign content, and only ids and
    field names where personal data is concerned.
    """

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # None: done from the command line.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(64), default="")
    changes: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[Organiser | None] = relationship()
