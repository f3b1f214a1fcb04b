"""gunicorn settings for production and for the benchmark.

gunicorn reads ``./gunicorn.conf.py`` by itself when started from the
checkout (``gunicorn wsgi:app``); the benchmark passes this same file, so
its figures are for the configuration that ships. Each setting can be
changed by an environment variable without editing the file.

Why gthread: the sync worker closes the connection after every response,
so a client (or a proxy without upstream keep-alive) pays a TCP handshake
per request, and a worker waiting on PostgreSQL does nothing else. A few
threads per process overlap that waiting; the GIL makes more threads than
that useless for the rendering work. Measured on a 2-core machine with
bench/load: see "Benchmarks" in the README.

Why one process unless the rate limits are shared: the per-address limits
(``SIGN_RATE_LIMIT``...) are counted where ``RATELIMIT_STORAGE_URI`` says. With
the default ``memory://`` each process counts alone, so N processes accept N
times the documented limit from one address (measured: 37 of 60 sign posts in
a minute taken by 4 processes against a limit of 10). One process with more
threads keeps the limits as documented on a machine with no Redis, at the cost
of using one core for Python; with a shared store (``redis://``) the limits
hold across processes and hosts, and ``WEB_CONCURRENCY`` processes run. With
``RATELIMIT_ENABLED=false`` (load tests, the benchmark) nothing is counted, so
nothing holds the processes back either. The environment is read here directly,
not through ``campaign.config``: importing the package into gunicorn's master
would hand every worker forked after a reload (HUP) the old code.
"""

from __future__ import annotations

import gc
import importlib.util
import logging
import os
from pathlib import Path

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


# Loopback by default: a reverse proxy (or the CDN's origin pull) sits in front.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")


def _limits_per_process() -> bool:
    """Rate limits are on and counted in each process's memory (campaign/config.py has
    the same defaults and the same reading of a boolean)."""
    enabled = (os.environ.get("RATELIMIT_ENABLED") or "true").strip().lower()
    store = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
    return enabled in {"1", "true", "yes", "on"} and store.startswith("memory://")


_cores = os.cpu_count() or 1
limits_per_process = _limits_per_process()

# Two processes per core with two threads each: a thread waiting on PostgreSQL
# leaves the core to another, and few threads per process keep the GIL
# uncontended. On the 2-core benchmark machine this (4 x 2) signed with a p99
# of 124 to 157 ms, against 160 to 270 ms for 3 x 4 and 170 to 350 ms for
# 6 x 1, at similar rates (README, Benchmarks). With per-process limits, one
# process with as many threads as those processes had in all (see the docstring).
if limits_per_process:
    workers = 1
    threads = _int("GUNICORN_THREADS", 2 * 2 * _cores)
else:
    workers = _int("WEB_CONCURRENCY", 2 * _cores)
    threads = _int("GUNICORN_THREADS", 2)
worker_class = "gthread"

# Keep-alive connections from the proxy or the load balancer, briefly.
keepalive = 5
timeout = 30
graceful_timeout = 20

# The app writes one JSON line per request (campaign/logging.py): no second access log.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")


def on_starting(server) -> None:
    """Say why there is one process, in the log an operator reads when it starts: as a
    warning when WEB_CONCURRENCY asked for more."""
    if not limits_per_process:
        return
    asked = os.environ.get("WEB_CONCURRENCY")
    log = server.log.warning if asked else server.log.info
    log(
        "One process with %d threads%s: rate limits are counted in process memory "
        "(RATELIMIT_STORAGE_URI=memory://), where each process would allow the whole "
        "limit again. Set RATELIMIT_STORAGE_URI=redis://... to run several "
        "(docs/deploy.md, Redis for rate limits).",
        threads,
        f" (WEB_CONCURRENCY={asked} is ignored)" if asked else "",
    )


def _load_scrubbing():
    """campaign/scrubbing.py, loaded by its path (its docstring says why not by import)."""
    path = Path(__file__).resolve().parent / "campaign" / "scrubbing.py"
    spec = importlib.util.spec_from_file_location("campaign_gunicorn_scrubbing", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# scrub_path: a URI in a line ("Error handling request /petitions/confirm/<token>") too.
_scrub = _load_scrubbing().scrub_path


def _scrub_record(record: logging.LogRecord) -> bool:
    """Cut addresses (and email addresses) out of a line before any handler writes it."""
    record.msg = _scrub(record.getMessage())
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = _scrub(logging.Formatter().formatException(record.exc_info))
    return True


class ScrubbingLogger(Logger):
    """gunicorn's own lines with no full IP address, cut as the app cuts its own.

    gunicorn names the client in some lines of its error log ("Invalid
    request from ip=203.0.113.7: ..." for a malformed request), and in its
    access log should one be turned on. The filter sits on gunicorn's two
    loggers, so it holds for every handler gunicorn gives them (file,
    stream, syslog), and across reloads, which replace the handlers only.
    """

    def __init__(self, cfg) -> None:
        super().__init__(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(_scrub_record)


logger_class = ScrubbingLogger


def post_worker_init(worker) -> None:
    """Move everything the app loaded into the collector's permanent generation.

    The app and its libraries are some 130,000 objects that live as long as
    the process; without this, each full collection walks them all again.
    Measured in process: the collector's share of a signature's time fell
    from about 3 % to 1 %.
    """
    gc.freeze()
