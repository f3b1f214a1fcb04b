"""Exports: the public signatory list, press downloads and delivery packages for governments.

The blueprint is defined here, not in a views module, because the public
pages (``views``) and the organisers' pages (``backoffice``) share one set
of endpoint names, ``exports.*``, that templates and tests use. Each of
those modules adds its routes to ``bp``; the application factory imports
both before it registers the blueprint.

Packages asked for in the back office are built by a worker, ``flask export
work`` (``job_worker``), from a queued row (``jobs``); the command line
builds them in the foreground.
"""

from __future__ import annotations

from flask import Blueprint

DEFAULTS = {
    # How long a package worker's claim on a job lasts without news from it; past it,
    # another worker takes the job over and starts it again (the first one died).
    "PACKAGE_JOB_LEASE_SECONDS": 120,
    # A building worker writes its progress (and renews its lease) at most this often.
    "PACKAGE_JOB_PROGRESS_SECONDS": 1.0,
    # A job whose worker died this many times is given up, with a message.
    "PACKAGE_JOB_MAX_ATTEMPTS": 3,
    # How long an idle worker waits before looking for a job again.
    "PACKAGE_JOB_IDLE_SECONDS": 1.0,
}

bp = Blueprint("exports", __name__)
