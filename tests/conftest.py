"""Shared fixtures: the app on a real database, a real SMTP server, a live server, a browser.

The database is SQLite (a file in a temporary folder) unless ``TEST_DATABASE_URL``
names another, as ``bin/test`` does for its PostgreSQL run. The schema is built
once per session by the Alembic migrations, and every test starts from empty
tables.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import create_engine, inspect, text
from werkzeug.serving import make_server

from campaign import create_app
from campaign.extensions import db

ROOT = Path(__file__).resolve().parent.parent
# Screenshots and other files the tests leave for people to look at (one folder per
# database run when bin/test runs them side by side).
ARTIFACTS = ROOT / os.environ.get("TEST_ARTIFACTS_DIR", "tests/artifacts")
SECRET_KEY = "test-secret-key-not-for-production"


# -- SMTP ---------------------------------------------------------------------------


class RecordingHandler:
    """An aiosmtpd handler that keeps what it receives, or refuses as told."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        # (MAIL FROM, RCPT TO addresses) of each message received, in the same order.
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse_with: str | None = (
            None  # e.g. "451 4.3.0 try later" or "550 5.1.1 no such user"
        )
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SMTPServer:
    """A real SMTP server on loopback that a test can stop and start again on the same port."""

    def __init__(self) -> None:
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
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

    def reset(self) -> None:
        self.handler.messages.clear()
        self.handler.envelopes.clear()
        self.handler.refuse_with = None
        self.handler.delay_seconds = 0.0
        if self.controller is None:
            self.start()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def _smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(_smtp_server: SMTPServer) -> SMTPServer:
    """The SMTP server, emptied and accepting mail."""
    _smtp_server.reset()
    return _smtp_server


# -- database and app -----------------------------------------------------------------


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "campaign-test.sqlite")


def _drop_everything(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            for table in reversed(inspect(connection).get_table_names()):
                connection.execute(text(f'DROP TABLE IF EXISTS "{table}"'))
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_database(database_url: str) -> str:
    """Build the schema with the migrations, as production does."""
    import flask_migrate

    _drop_everything(database_url)
    app = create_app(base_config(database_url))
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    return database_url


def base_config(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "BASE_URL": "http://localhost",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": 1,
        "MAIL_DEFAULT_SENDER": "Call to Governments <campaign@example.org>",
        "DEV_MAILBOX": False,
        "OUTBOX_RETRY_FIRST_SECONDS": 0,
        "MAIL_TIMEOUT_SECONDS": 5,
        # Tests that are not about abuse limits switch them off; those that are switch them on.
        "RATELIMIT_ENABLED": False,
        "SIGN_MIN_SECONDS": 0,
    }
    config.update(overrides)
    return config


def empty_tables() -> None:
    # DELETE beats TRUNCATE on tables this small (TRUNCATE costs ~0.5 s a test on
    # PostgreSQL); ids keep growing, so tests look rows up rather than assume ids.
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(text(f'DELETE FROM "{table.name}"'))
    db.session.commit()


@pytest.fixture
def make_app(migrated_database: str, smtp: SMTPServer, tmp_path: Path):
    """Build an app on the test database; tables are emptied once per test."""
    created: list[Flask] = []

    def factory(**overrides) -> Flask:
        # Export snapshots and packages of one test must never be served to the next.
        overrides.setdefault("EXPORT_DIR", str(tmp_path / "exports"))
        app = create_app(base_config(migrated_database, **{"MAIL_PORT": smtp.port, **overrides}))
        if not created:
            with app.app_context():
                empty_tables()
        created.append(app)
        return app

    yield factory
    for app in created:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask):
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def petition(app: Flask):
    """The demo call, open, with its notable signatories."""
    from campaign.petitions.cli import seed_demo

    with app.app_context():
        call, _created = seed_demo()
        db.session.commit()
        return {"id": call.id, "slug": call.slug}


# -- helpers for the signing journey ------------------------------------------------


FORM_TOKEN = re.compile(r'name="form_token" type="hidden" value="([^"]+)"')


def form_token(client, slug: str, prefix: str = "") -> str:
    page = client.get(f"{prefix}/petitions/{slug}")
    assert page.status_code == 200
    match = FORM_TOKEN.search(page.get_data(as_text=True))
    assert match, "the petition page has no form token"
    return match.group(1)


def sign(client, slug: str, prefix: str = "", **fields):
    data = {"name": "Ada Lovelace", "email": "ada@example.org", "country": "CH", "consent": "y"}
    if "form_token" not in fields:
        data["form_token"] = form_token(client, slug, prefix)
    data.update(fields)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(f"{prefix}/petitions/{slug}/sign", data=data)


def send_outbox(app: Flask):
    from campaign.mail.worker import send_batch

    with app.app_context():
        return send_batch()


LINK = re.compile(r"http://localhost(?:/[a-z]{2})?/petitions/(confirm|withdraw)/[A-Za-z0-9_.\-]+")


def links_in(message: EmailMessage, kind: str = "confirm") -> list[str]:
    text_part = message.get_body(("plain",)).get_content()
    return [m.group(0) for m in LINK.finditer(text_part) if m.group(1) == kind]


def local_path(url: str) -> str:
    return url.removeprefix("http://localhost")


# -- live server and browser -------------------------------------------------------


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


@pytest.fixture
def live_server(make_app):
    """The app served over real HTTP on loopback, in a thread."""
    with serving(make_app) as server:
        yield server


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        pytest.fail("chromium is not installed: bin/system-deps installs Debian's chromium")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def browser_errors(page) -> list[str]:
    """The list the page's script errors and console errors are collected into, as they come."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def aged_token(purpose, payload, age_seconds: int, key: str = SECRET_KEY) -> str:
    """A genuine token signed ``age_seconds`` ago (to test expiry without waiting)."""
    import time

    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    class PastSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age_seconds

    return URLSafeTimedSerializer(key, salt=purpose.value, signer=PastSigner).dumps(payload)


def queue_test_messages(app: Flask, petition: dict, total: int, prefix: str = "reader") -> None:
    """Put ``total`` rendered messages in the outbox, as signing would."""
    from campaign.mail.services import enqueue
    from campaign.models import Petition

    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        for n in range(total):
            enqueue(
                kind="test",
                to_address=f"{prefix}{n}@example.org",
                to_name="",
                template="confirm",
                subject=f"message {n}",
                language="en",
                context={
                    "petition": call,
                    "name": f"Reader {n}",
                    "confirm_url": f"http://localhost/petitions/confirm/x{n}",
                    "withdraw_url": f"http://localhost/petitions/withdraw/x{n}",
                    "petition_url": "http://localhost/",
                    "max_age_days": 30,
                },
            )
        db.session.commit()


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
