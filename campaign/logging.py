"""Structured logs: one JSON line per request and per message, never personal data.

Every line is a JSON object, so a log shipper can index it without parsing
rules. Each request gets an id, taken from a well-formed ``X-Request-ID``
(set by the proxy or load balancer, so one id follows a request through
every hop) or made here, echoed in the response's ``X-Request-ID`` header
and added to every line logged while the request runs, so a person's report
("it failed at 10:02, id 3f2a...") leads to the exact lines.

Logs are read by more people, and kept longer, than the database, so they
hold no personal data: the client address is cut to its network (IPv4 /24,
IPv6 /48), which still shows where traffic comes from; email addresses are
replaced wherever they appear in a message (an SMTP refusal quotes the
address, for example); the query string is never logged; and path segments
that are signed tokens (confirm and withdraw links) are replaced, because a
token in a log would let anyone who reads the log use the link.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import IO, Any

from flask import Flask, has_request_context, request

# Shared with gunicorn's own log (gunicorn.conf.py), which loads it without the app.
from .scrubbing import scrub, scrub_path, truncate_ip

REQUEST_ID_ENVIRON_KEY = "campaign.request_id"
REQUEST_LOGGER = "campaign.request"

# Ids from upstream are accepted only when they cannot carry anything but an id.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


class JSONFormatter(logging.Formatter):
    """One JSON object per line; the message and any traceback scrubbed of personal data."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if fields:
            entry.update(fields)  # built by the request log from scrubbed values
        else:
            entry["message"] = scrub(record.getMessage())
            if has_request_context():
                entry["request_id"] = request.environ.get(REQUEST_ID_ENVIRON_KEY)
        if record.exc_info:
            entry["error"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


class RequestLog:
    """WSGI middleware: a request id for each request, and one log line when it is answered.

    It sits outside the app (inside ProxyFix, so it sees the client's own
    address) so that responses served from the micro-cache are logged too.
    The duration runs until the app has returned its response, which for
    this app's responses (all built in memory) is the whole of the work.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], logger: logging.Logger) -> None:
        self.app = app
        self.logger = logger

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        started = time.perf_counter()
        given = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        environ[REQUEST_ID_ENVIRON_KEY] = request_id
        status_code = [0]

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            status_code[0] = int(status[:3])
            headers.append(("X-Request-ID", request_id))
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, start)
        finally:
            if self.logger.isEnabledFor(logging.INFO):
                path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
                fields = {
                    "event": "request",
                    "method": environ.get("REQUEST_METHOD"),
                    "path": scrub_path(path),
                    "status": status_code[0] or 500,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "request_id": request_id,
                    "ip": truncate_ip(environ.get("REMOTE_ADDR")),
                }
                cache = environ.get("campaign.cache")
                if cache:
                    fields["cache"] = cache
                self.logger.info("request", extra={"fields": fields})


def init_app(app: Flask, stream: IO[str] | None = None) -> None:
    """Send every log line of the process, as JSON, to ``stream`` (standard error by default).

    The handler sits on the root logger, so the libraries' lines (a rate
    limiter naming the address it limits, the development server's access
    log) go through the same scrubbing as ours. Standard error is where
    gunicorn, systemd and container runtimes expect logs. Calling this again
    (another app in the same process, as in tests) replaces the handler
    rather than adding a second one.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "campaign_json", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or app.config.get("LOG_STREAM") or sys.stderr)
    handler.campaign_json = True  # type: ignore[attr-defined]
    handler.setFormatter(JSONFormatter())
    root.addHandler(handler)
    # Ours at LOG_LEVEL; the libraries keep the root's level (WARNING unless set).
    logging.getLogger("campaign").setLevel(str(app.config.get("LOG_LEVEL", "INFO")).upper())
