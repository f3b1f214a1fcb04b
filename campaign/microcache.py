"""A one-second cache of public responses inside each web process.

On a viral day most requests are the same few public URLs: the call's page
and its ``count.json``. A CDN in front absorbs them (they are
``Cache-Control: public``), but without one every request would render the
page and read the database again, although the answer changes at most a
few times a second. This WSGI middleware keeps each public response for
``PUBLIC_RESPONSE_CACHE_SECONDS`` (1 s by default), so a process renders a
page at most once a second however many people read it.

It caches only what a CDN may cache, decided by the app's own headers: a
``200`` to a ``GET`` whose ``Cache-Control`` is ``public``, with no
``Set-Cookie`` and no ``Vary`` (Flask adds ``Vary: Cookie`` whenever the
session was read). Requests that carry a cookie, credentials or a query
string always reach the app, so a person with a session never gets a copy
made for someone else, and nobody can fill the cache with made-up URLs.
The key includes the scheme and host, so absolute links in a cached body
are never served under another host name. A second's delay is well within
the rule that the origin reflects a confirmation within 5 seconds; the
thank-you page, which shows the count right after confirming, is never
cached.

A response with no ``Content-Length`` (streamed) or a longer one than
:data:`MAX_BODY_BYTES` passes through untouched: the press downloads stream a
snapshot of tens of megabytes a chunk at a time, and joining it here would
hold all of it in memory (twice) and delay its first byte until its last.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

CACHE_STATUS_ENVIRON_KEY = "campaign.cache"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_Entry = tuple[float, str, list[tuple[str, str]], bytes]
# The largest body kept: a page is tens of kilobytes; a download is not a page.
MAX_BODY_BYTES = 1 << 20


class MicroCache:
    """Serve a recent copy of public GET responses; see the module docstring for the rules."""

    def __init__(self, app: WSGIApp, seconds: float, max_entries: int = 512) -> None:
        self.app = app
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: dict[tuple[str, ...], _Entry] = {}
        # Reads need no lock (a dict lookup is atomic); only pruning does.
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("QUERY_STRING")
            or "HTTP_COOKIE" in environ
            or "HTTP_AUTHORIZATION" in environ
        ):
            return self.app(environ, start_response)
        key = (
            environ.get("wsgi.url_scheme", "http"),
            environ.get("HTTP_HOST", ""),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
        )
        entry = self._entries.get(key)
        if entry is not None and entry[0] > time.monotonic():
            environ[CACHE_STATUS_ENVIRON_KEY] = "hit"
            start_response(entry[1], list(entry[2]))
            return [entry[3]]

        captured: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            captured[:] = [status, headers, exc_info]
            return lambda data: None  # the legacy write() callable; Flask never uses it

        result = self.app(environ, capture)
        if captured and not _cacheable(captured[0], captured[1]):
            start_response(*captured)
            return result  # as the app made it: streamed if it streams
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        status, headers, exc_info = captured
        if _cacheable(status, headers):
            environ[CACHE_STATUS_ENVIRON_KEY] = "miss"
            self._store(key, (time.monotonic() + self.seconds, status, list(headers), body))
        start_response(status, headers, exc_info)
        return [body]

    def _store(self, key: tuple[str, ...], entry: _Entry) -> None:
        with self._lock:
            if len(self._entries) >= self.max_entries:
                now = time.monotonic()
                for old in [k for k, e in self._entries.items() if e[0] <= now]:
                    del self._entries[old]
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()
            self._entries[key] = entry


def _cacheable(status: str, headers: list[tuple[str, str]]) -> bool:
    if not status.startswith("200"):
        return False
    public = False
    length = None
    for name, value in headers:
        lower = name.lower()
        if lower in ("set-cookie", "vary"):
            return False
        if lower == "content-length":
            length = int(value) if value.isdigit() else None
        if lower == "cache-control":
            directives = {d.strip().split("=", 1)[0] for d in value.lower().split(",")}
            public = "public" in directives and not directives & {"no-store", "private"}
    return public and length is not None and length <= MAX_BODY_BYTES
