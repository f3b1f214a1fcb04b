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
"""

from __future__ import annotations

import gc
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


# Loopback by default: a reverse proxy (or the CDN's origin pull) sits in front.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Two processes per core with two threads each: a thread waiting on PostgreSQL
# leaves the core to another, and few threads per process keep the GIL
# uncontended. On the 2-core benchmark machine this (4 x 2) signed with a p99
# of 124 to 157 ms, against 160 to 270 ms for 3 x 4 and 170 to 350 ms for
# 6 x 1, at similar rates (README, Benchmarks).
workers = _int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 2)

# Keep-alive connections from the proxy or the load balancer, briefly.
keepalive = 5
timeout = 30
graceful_timeout = 20

# The app writes one JSON line per request (campaign/logging.py): no second access log.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")


def post_worker_init(worker) -> None:
    """Move everything the app loaded into the collector's permanent generation.

    The app and its libraries are some 130,000 objects that live as long as
    the process; without this, each full collection walks them all again.
    Measured in process: the collector's share of a signature's time fell
    from about 3 % to 1 %.
    """
    gc.freeze()
