"""Configuration read from the environment.

Nothing here runs at import time: :func:`from_environment` is called by the
application factory, so ``import campaign`` never needs any variable set.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from typing import Any

ENVIRONMENTS = ("development", "production")


class ConfigurationError(RuntimeError):
    """Raised when the process must not start with the configuration given."""


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}") from None


def _float(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number, not {value!r}") from None


# Variables read from the environment, with their parser.
_VARIABLES: dict[str, Any] = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "BASE_URL": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": bool,
    "MAIL_USE_SSL": bool,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_DEFAULT_SENDER": str,
    "MAIL_BOUNCE_ADDRESS": str,
    "MAIL_SMTPUTF8": bool,
    "CONFIRM_MAX_AGE_DAYS": int,
    "SIGNATURE_LINK_MAX_AGE_DAYS": int,
    "DELIVERY_LINK_MAX_AGE_DAYS": int,
    "RECEIPT_SIGNING_KEY": str,
    "SIGNING_EMAILS_PER_DAY": int,
    "SIGNING_EMAILS_PER_SOURCE_PER_DAY": int,
    "SIGNING_ALLOWANCE_SECONDS": int,
    "OUTBOX_BATCH_SIZE": int,
    "OUTBOX_LEASE_SECONDS": int,
    "OUTBOX_MARK_EVERY": int,
    "JOB_LOCK_SECONDS": int,
    "PROXY_COUNT": int,
    "RATELIMIT_ENABLED": bool,
    "RATELIMIT_STORAGE_URI": str,
    "RATELIMIT_STORAGE_TIMEOUT_SECONDS": float,
    "SIGN_RATE_LIMIT": str,
    "CONFIRM_RATE_LIMIT": str,
    # Events (campaign.events.DEFAULTS has their defaults).
    "EVENT_RETENTION_DAYS": int,
    "EVENT_REGISTER_RATE_LIMIT": str,
    "EVENT_CONFIRM_MAX_AGE_DAYS": int,
    "SIGNIN_RATE_LIMIT": str,
    "INVITATION_DAYS": int,
    "PASSWORD_RESET_MINUTES": int,
    "PASSWORD_RESET_RATE_LIMIT": str,
    "PASSWORD_RESET_EMAIL_RATE_LIMIT": str,
    "SESSION_IDLE_MINUTES": int,
    "SESSION_MAX_HOURS": int,
    "SIGN_SOFT_LIMITS": str,
    "SIGN_MIN_SECONDS": float,
    "BLOCKLIST_CACHE_SECONDS": float,
    "SIGN_CALL_CACHE_SECONDS": float,
    "DATABASE_PING_AFTER_SECONDS": float,
    "DATABASE_POOL_SIZE": int,
    "DATABASE_MAX_OVERFLOW": int,
    "DATABASE_POOL_TIMEOUT": int,
    "DATABASE_PGBOUNCER": bool,
    "OUTBOX_RATE_PER_SECOND": int,
    "EXPORT_DIR": str,
    "EXPORT_SNAPSHOT_SECONDS": int,
    "EXPORT_SNAPSHOT_KEEP_SECONDS": int,
    "PACKAGE_JOB_LEASE_SECONDS": int,
    "PACKAGE_JOB_PROGRESS_SECONDS": float,
    "PACKAGE_JOB_MAX_ATTEMPTS": int,
    "EMBED_FRAME_ANCESTORS": str,
    "PUBLIC_RESPONSE_CACHE_SECONDS": int,
    "LOG_LEVEL": str,
}


# Settings that hold unless the environment or a test overrides them (and each feature's
# own, in its package: see FEATURE_DEFAULTS in campaign/__init__.py).
DEFAULTS: dict[str, Any] = {
    "CAMPAIGN_ENV": "production",
    "SECRET_KEY": None,
    "SECRET_KEY_FALLBACKS": [],
    "BASE_URL": "http://127.0.0.1:5000",
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "Campaign <campaign@localhost>",
    # The envelope sender (Return-Path) for VERP: with "bounces@example.org" each message
    # goes out from "bounces+<tag>@example.org", the tag naming its outbox row, and
    # bounces piped to `flask outbox bounce` are matched to it. None: the From address.
    "MAIL_BOUNCE_ADDRESS": None,
    # The SMTP server offers SMTPUTF8 (RFC 6531), so the sign form may accept addresses
    # with non-ASCII letters before the @ (jösé@example.net). Requests never contact the
    # server, so the operator says so; off, such addresses get a form error, not a
    # "check your email" for a message that could never be sent.
    "MAIL_SMTPUTF8": False,
    # Flask-Mail would otherwise swallow mail whenever TESTING is on; tests use a real server.
    "MAIL_SUPPRESS_SEND": False,
    "MAIL_TIMEOUT_SECONDS": 30,
    # How long a confirmation link stays valid; pending signatures are kept at least as long.
    "CONFIRM_MAX_AGE_DAYS": 30,
    # A sign form older than this is refused with a fresh form (the person keeps their input).
    "SIGN_FORM_MAX_AGE_SECONDS": 24 * 3600,
    # How long the link to a signer's own page (see, change, withdraw) works. 0: as long
    # as we hold their data; past the limit, the page offers a fresh link by email.
    "SIGNATURE_LINK_MAX_AGE_DAYS": 0,
    # Signing emails one mailbox may receive per call in any day, so the form cannot be
    # used to mail-bomb anyone; and the share of them one client address may ask for,
    # so a stranger typing someone's address cannot spend the owner's allowance.
    "SIGNING_EMAILS_PER_DAY": 10,
    "SIGNING_EMAILS_PER_SOURCE_PER_DAY": 3,
    # The period those allowances are counted over, and renew after (see petitions.allowance).
    "SIGNING_ALLOWANCE_SECONDS": 24 * 3600,
    "OUTBOX_BATCH_SIZE": 200,
    # A live worker renews its lease every third of this (mail.batch_lease); a dead
    # one's unsent mail goes to another worker this long after its last renewal.
    "OUTBOX_LEASE_SECONDS": 30,
    # A periodic job's lock (job_locks): renewed every third of this while the job runs,
    # taken by another host this long after its holder died.
    "JOB_LOCK_SECONDS": 60,
    # Sent messages marked per commit: a crash may send at most this many twice. 1 keeps
    # the promise that a killed worker resends at most one message; larger groups
    # roughly double throughput (see README, Benchmarks) for more duplicates after a crash.
    "OUTBOX_MARK_EVERY": 1,
    "OUTBOX_IDLE_SECONDS": 1.0,
    "OUTBOX_RETRY_FIRST_SECONDS": 30,
    # Messages a worker may send per second (0: as fast as the server takes them).
    "OUTBOX_RATE_PER_SECOND": 0,
    "PROXY_COUNT": 0,
    # Hard limits per client address (Flask-Limiter): over them, a 429 page.
    # In-process storage by default (gunicorn.conf.py then runs one process);
    # RATELIMIT_STORAGE_URI=redis://... when several processes or hosts serve the site,
    # so they share the counts (pip install -e '.[redis]'). See campaign/ratelimits.py.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    # A shared store that does not answer within this is taken as down for the request.
    "RATELIMIT_STORAGE_TIMEOUT_SECONDS": 0.5,
    # A shared store that is down must not stop signing: each process counts alone
    # meanwhile, and returns to the store when it answers again (Flask-Limiter's option).
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    # Requests already asking the store when another finds it gone would otherwise be
    # answered 500: they pass uncounted instead, each with a logged error (a few at most).
    "RATELIMIT_SWALLOW_ERRORS": True,
    "RATELIMIT_HEADERS_ENABLED": True,
    "SIGN_RATE_LIMIT": "10 per minute; 60 per hour",
    "CONFIRM_RATE_LIMIT": "30 per minute; 300 per hour",
    "SIGNIN_RATE_LIMIT": "10 per minute; 60 per hour",
    # Soft limits per address per call, computed from stored signatures so they hold
    # across processes: "at most N in S seconds"; over them a signature is suspect.
    "SIGN_SOFT_LIMITS": "1/60, 5/300",
    # A form sent sooner than this after it was served is marked suspect (0: off).
    "SIGN_MIN_SECONDS": 2,
    # Each process rereads the blocklists at most this often: a new entry applies to
    # the other processes within this time (and at once to the one that added it).
    "BLOCKLIST_CACHE_SECONDS": 5,
    # Each process reads the call a sign form posts to at most this often (a call closed
    # or edited is seen within it). None means 1 s, or 0 (off) under TESTING.
    "SIGN_CALL_CACHE_SECONDS": None,
    "SQLITE_BUSY_TIMEOUT_SECONDS": 10,
    # A pooled PostgreSQL connection idle this long is pinged before use (0: always).
    "DATABASE_PING_AFTER_SECONDS": 5,
    # Each process's pool on PostgreSQL: connections it keeps, the extra ones it may open
    # at a peak (closed when returned), and how long a request waits for one before it
    # fails. SQLAlchemy's own numbers; the deploy guide budgets them per host.
    "DATABASE_POOL_SIZE": 5,
    "DATABASE_MAX_OVERFLOW": 10,
    "DATABASE_POOL_TIMEOUT": 30,
    # PostgreSQL is reached through PgBouncer in transaction mode: no prepared statements,
    # since the next transaction may run on another server connection (campaign/database.py).
    "DATABASE_PGBOUNCER": False,
    # A package worker's local scratch folder (default: instance/exports): it builds a
    # ZIP there, then copies it into the database. Need not be shared between hosts.
    "EXPORT_DIR": None,
    # A press download is regenerated at most this often.
    "EXPORT_SNAPSHOT_SECONDS": 300,
    # A snapshot replaced by a newer one is kept this long for downloads still reading it.
    "EXPORT_SNAPSHOT_KEEP_SECONDS": 900,
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "PUBLIC_CACHE_SECONDS": 5,
    # Sites that may show the embed widget in a frame (CSP frame-ancestors sources):
    # "*" for any partner, or e.g. "https://partner.example.org https://other.example".
    "EMBED_FRAME_ANCESTORS": "*",
    # JSON lines on standard error (campaign/logging.py); one per request at INFO.
    "LOG_LEVEL": "INFO",
    # Each web process keeps public responses this long (campaign/microcache.py);
    # None means 1 s, or 0 (off) under TESTING so tests see every change at once.
    "PUBLIC_RESPONSE_CACHE_SECONDS": None,
    # The six official languages of the United Nations; English is the unprefixed default.
    "LANGUAGES": ["en", "fr", "es", "ar", "zh", "ru"],
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_DEFAULT_TIMEZONE": "UTC",
    "PRIVACY_NOTICE_VERSION": "2026-11-01",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": True,
    "WTF_CSRF_TIME_LIMIT": None,
}


def defaults(instance_path: str) -> dict[str, Any]:
    """:data:`DEFAULTS` (a copy: apps must not share its lists), and the database file in the
    instance folder (SQLite, for development)."""
    return {
        **copy.deepcopy(DEFAULTS),
        "DATABASE_URL": "sqlite:///" + os.path.join(instance_path, "campaign.sqlite"),
    }


def normalise_database_url(url: str) -> str:
    """Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Return the settings given by environment variables, parsed."""
    settings: dict[str, Any] = {}
    env = environ.get("CAMPAIGN_ENV")
    if env:
        if env not in ENVIRONMENTS:
            raise ConfigurationError(f"CAMPAIGN_ENV must be one of {ENVIRONMENTS}, not {env!r}")
        settings["CAMPAIGN_ENV"] = env
    for name, kind in _VARIABLES.items():
        raw = environ.get(name)
        if raw is None or raw == "":
            continue
        if kind is int:
            settings[name] = _int(name, raw)
        elif kind is float:
            settings[name] = _float(name, raw)
        elif kind is bool:
            settings[name] = _bool(raw)
        else:
            settings[name] = raw
    fallbacks = environ.get("SECRET_KEY_FALLBACKS")
    if fallbacks:
        settings["SECRET_KEY_FALLBACKS"] = [k for k in fallbacks.split(",") if k]
    return settings


def check(config: Mapping[str, Any]) -> None:
    """Refuse to start a production process that would be unsafe or lose mail."""
    bounce_address = config.get("MAIL_BOUNCE_ADDRESS")
    if bounce_address:
        local, at, domain = bounce_address.rpartition("@")
        if not (at and local and domain) or "+" in local or not bounce_address.isascii():
            raise ConfigurationError(
                "MAIL_BOUNCE_ADDRESS must be a plain ASCII address such as "
                "bounces@example.org, with no '+' (each message adds '+<tag>')."
            )
    if config.get("TESTING") or config["CAMPAIGN_ENV"] == "development":
        return
    if not config.get("SECRET_KEY"):
        raise ConfigurationError(
            "SECRET_KEY is not set. Set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(48))'), "
            "or set CAMPAIGN_ENV=development on a development machine."
        )
    if not config.get("MAIL_SERVER"):
        raise ConfigurationError(
            "MAIL_SERVER is not set: outside development, mail must go to a real SMTP server."
        )
