"""Where the hard rate limits are counted, and what happens when that store is down.

Flask-Limiter counts the per-address limits (signing, confirmation links, sign-in)
either in process memory (``memory://``, the default: right for one process, and
gunicorn.conf.py then runs one) or in a store that every process and host shares
(``redis://``). A shared store is one more server that can fail, and it is shared by
every host, so its failure must not stop signing: a petition that answers 500 to
every signer while a cache is down loses the very signatures it exists for.

So when the store cannot be reached, each process counts alone in its memory with the
same limits (Flask-Limiter's in-memory fallback): the limits still hold per process,
one warning is logged when a process falls back (not one per request), and the process
tries the store again after pauses that grow from 1 to 32 seconds, going back to it as
soon as it answers. A short socket timeout keeps a store that hangs, rather than
refuses, from holding requests: only the request that finds it gone, and each retry,
wait for it. ``/readyz`` names the store's state (:func:`store_state`).
"""

from __future__ import annotations

import importlib.util
from typing import Any

from flask import Flask, current_app

from .config import ConfigurationError
from .extensions import limiter

# What /readyz says of the limit store.
OFF = "off"  # RATELIMIT_ENABLED=false: nothing is counted
PER_PROCESS = "per-process"  # memory://, by configuration
SHARED = "shared"  # a shared store, answering
UNREACHABLE = "unreachable"  # a shared store that does not answer: counted per process

# The schemes served by the redis client, whose connections take the socket timeouts
# (Sentinel and Cluster URIs take other options: set RATELIMIT_STORAGE_OPTIONS for them).
_REDIS_SCHEMES = frozenset({"redis", "rediss", "redis+unix"})


def is_per_process(uri: str) -> bool:
    """The store keeps its counts in each process's memory (each counts alone)."""
    return uri.startswith("memory://")


def storage_options(config: dict[str, Any]) -> dict[str, Any]:
    """The storage options Flask-Limiter passes to the store's client: for Redis, the
    timeouts, under any RATELIMIT_STORAGE_OPTIONS set explicitly."""
    options = dict(config.get("RATELIMIT_STORAGE_OPTIONS") or {})
    scheme = config["RATELIMIT_STORAGE_URI"].partition("://")[0]
    if scheme in _REDIS_SCHEMES:
        timeout = config["RATELIMIT_STORAGE_TIMEOUT_SECONDS"]
        options.setdefault("socket_connect_timeout", timeout)
        options.setdefault("socket_timeout", timeout)
    return options


def init_app(app: Flask) -> None:
    """Bind the limiter to ``app``; refuse to start with a store whose client is missing."""
    config = app.config
    scheme = config["RATELIMIT_STORAGE_URI"].partition("://")[0]
    if (
        config["RATELIMIT_ENABLED"]
        and scheme in _REDIS_SCHEMES
        and importlib.util.find_spec("redis") is None
    ):
        # Flask-Limiter would say only "'redis' prerequisite not available".
        raise ConfigurationError(
            "RATELIMIT_STORAGE_URI names Redis but its client is not installed: "
            "pip install -e '.[redis]' (see docs/deploy.md, Redis for rate limits)."
        )
    config["RATELIMIT_STORAGE_OPTIONS"] = storage_options(config)
    limiter.init_app(app)


def store_state() -> str:
    """The limit store's state for monitoring: :data:`OFF`, :data:`PER_PROCESS`,
    :data:`SHARED` or :data:`UNREACHABLE`.

    A shared store is asked afresh (a ping, bounded by the socket timeout) rather than
    read from the limiter's own flag, which only changes when a limited request finds
    the store gone or a retry finds it back.
    """
    config = current_app.config
    if not config["RATELIMIT_ENABLED"]:
        return OFF
    if is_per_process(config["RATELIMIT_STORAGE_URI"]):
        return PER_PROCESS
    return SHARED if limiter.storage.check() else UNREACHABLE
