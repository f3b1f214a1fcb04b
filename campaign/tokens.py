"""Signed tokens for links in emails and for the stateless sign form.

Each purpose has its own salt, so a token made for one purpose is worthless
for another. Tokens carry a signature's random public id, never an email
address. ``SECRET_KEY_FALLBACKS`` lets the key rotate without breaking links
already sent.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class Purpose(enum.StrEnum):
    CONFIRM = "campaign.confirm"
    # The signer's own page (see, change, withdraw). Its salt is the one withdraw links
    # were made with, so links already in people's mailboxes open it.
    SIGNATURE = "campaign.withdraw"
    # The "check your email" page, which repeats the address just typed.
    CHECK_EMAIL = "campaign.check-email"
    UNSUBSCRIBE = "campaign.unsubscribe"
    # Stops news of what the signer's government does with a call (governments.news).
    GOVERNMENT_NEWS_UNSUBSCRIBE = "campaign.unsubscribe-government-news"
    SIGN_FORM = "campaign.sign-form"
    # An event registration: the link that confirms it, and the registrant's own page
    # (the online link, the calendar file, cancelling), both naming its public id.
    EVENT_CONFIRM = "campaign.event-confirm"
    EVENT_REGISTRATION = "campaign.event-registration"
    # The link a government's office downloads its delivery package by (governments.links).
    DELIVERY_PACKAGE = "campaign.delivery-package"
    # An administrator's invitation to set a password (team.invitations), and the link a
    # forgotten password is reset by (team.resets): both carry an account's row id and a
    # fingerprint of its credentials, so a new password or invitation kills them.
    INVITATION = "campaign.organiser-invitation"
    PASSWORD_RESET = "campaign.organiser-password-reset"  # noqa: S105 (a salt, no password)


class TokenInvalid(Exception):
    """The token was tampered with, made for another purpose, or signed with an unknown key."""


class TokenExpired(TokenInvalid):
    """The token is genuine but older than its purpose allows.

    ``payload`` is what it carries: genuine, so a page may still use it to
    offer a fresh link by email, never to act on.
    """

    def __init__(self, message: str, payload: Any = None) -> None:
        super().__init__(message)
        self.payload = payload


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    config = current_app.config
    keys = (*config.get("SECRET_KEY_FALLBACKS", []), config["SECRET_KEY"])
    return _serializer_for(keys, purpose.value)


@lru_cache(maxsize=32)
def _serializer_for(keys: tuple[str, ...], salt: str) -> URLSafeTimedSerializer:
    # Built once per keys and purpose: a signature makes two tokens and reads one.
    # itsdangerous signs with the last key and accepts any of them.
    return URLSafeTimedSerializer(list(keys), salt=salt)


def make(purpose: Purpose, payload: Any) -> str:
    return _serializer(purpose).dumps(payload)


def read(purpose: Purpose, token: str, max_age_seconds: int | None) -> Any:
    """Return the payload of a genuine, unexpired token, or raise.

    ``max_age_seconds=None``: a genuine token of any age.
    """
    serializer = _serializer(purpose)
    try:
        return serializer.loads(token, max_age=max_age_seconds)
    except SignatureExpired as error:
        payload = None
        if error.payload is not None:
            try:
                payload = serializer.load_payload(error.payload)
            except BadSignature:
                payload = None
        raise TokenExpired(str(error), payload) from None
    except BadSignature as error:
        raise TokenInvalid(str(error)) from None


def read_with_age(purpose: Purpose, token: str, max_age_seconds: int) -> tuple[Any, float]:
    """Like :func:`read`, also returning the token's age in seconds."""
    try:
        payload, signed_at = _serializer(purpose).loads(
            token, max_age=max_age_seconds, return_timestamp=True
        )
    except SignatureExpired as error:
        raise TokenExpired(str(error)) from None
    except BadSignature as error:
        raise TokenInvalid(str(error)) from None
    return payload, (datetime.now(UTC) - signed_at).total_seconds()
