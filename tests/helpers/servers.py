"""Real servers for the tests: an SMTP server (aiosmtpd) and the app over HTTP on loopback."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.policy import EmailPolicy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from werkzeug.serving import make_server

from .app import SECRET_KEY


class _RFC6532Policy(EmailPolicy):
    """Reads headers as UTF-8 (RFC 6532): the bytes parser would keep non-ASCII bytes
    as surrogate escapes, and ``To`` would not read as the address that was sent."""

    def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
        name, value = super().header_source_parse(sourcelines)
        return name, value.encode("ascii", "surrogateescape").decode("utf-8")


RFC6532 = _RFC6532Policy(utf8=True)


class RecordingHandler:
    """An aiosmtpd handler that keeps what it receives, or refuses as told."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        # (MAIL FROM, RCPT TO addresses) of each message received, in the same order.
        self.envelopes: list[tuple[str, list[str]]] = []
        # The MAIL FROM parameters of each (upper case), e.g. ["SIZE=1234", "SMTPUTF8"].
        self.mail_options: list[list[str]] = []
        self.refuse_with: str | None = (
            None  # e.g. "451 4.3.0 try later" or "550 5.1.1 no such user"
        )
        self.delay_seconds = 0.0  # before answering DATA
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        options = [option.upper() for option in envelope.mail_options]
        # Only mail sent with SMTPUTF8 may carry UTF-8 in its headers (RFC 6532).
        reading = RFC6532 if "SMTPUTF8" in options else policy.default
        message = message_from_bytes(envelope.content, policy=reading)
        with self.lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.mail_options.append(options)
        return "250 Message accepted for delivery"


class SMTPServer:
    """A real SMTP server on loopback that a test can stop and start again on the same port.

    It offers SMTPUTF8 (RFC 6531), as the servers MAIL_SMTPUTF8 is for do, unless made
    with ``smtputf8=False``.
    """

    def __init__(self, smtputf8: bool = True) -> None:
        self.handler = RecordingHandler()
        self.port = free_port()
        self.smtputf8 = smtputf8
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=self.smtputf8
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    @property
    def envelopes(self) -> list[tuple[str, list[str]]]:
        return self.handler.envelopes

    @property
    def mail_options(self) -> list[list[str]]:
        return self.handler.mail_options

    def reset(self) -> None:
        self.handler.messages.clear()
        self.handler.envelopes.clear()
        self.handler.mail_options.clear()
        self.handler.refuse_with = None
        self.handler.delay_seconds = 0.0
        if self.controller is None:
            self.start()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(make_app, **overrides) -> Iterator:
    """An app made with ``overrides`` and served over real HTTP on loopback, in a thread."""
    port = free_port()
    app = make_app(BASE_URL=f"http://127.0.0.1:{port}", **overrides)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.app = app  # type: ignore[attr-defined]
    server.url = f"http://127.0.0.1:{port}"  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=5)


class StaticSite:
    """Another site for browser tests: fixed HTML pages served on loopback, on a port of its own.

    ``pages`` maps a path ("partner.html") to its HTML, and may be filled after the
    server starts. Its origin is ``http://localhost:<port>``: "localhost" against the
    app's "127.0.0.1" makes it another site, not only another port. The same pages at
    ``http://127.0.0.1:<port>`` (``foreign_url``) are a third origin, neither the app's
    nor this site's.
    """

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.lstrip("/").split("?")[0]
                if path == "favicon.ico":  # asked for by the browser; a 404 logs an error
                    self.send_response(204)
                    self.end_headers()
                    return
                html = pages.get(path)
                body = (html or "Not found").encode()
                self.send_response(200 if html is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.port = free_port()
        self.origin = f"http://localhost:{self.port}"
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path}"

    def foreign_url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def __enter__(self) -> StaticSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def worker_command_env(database_url: str, smtp: SMTPServer, **settings: str) -> dict[str, str]:
    """The environment of a production-like `flask outbox` process for these tests."""
    return {
        **os.environ,
        "CAMPAIGN_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        **settings,
    }
