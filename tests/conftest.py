"""Fixtures: the app on a real database, a real SMTP server, a real Redis, a live server, a
browser, and an organiser account per role.

The database is SQLite (a file in a temporary folder) unless ``TEST_DATABASE_URL``
names another, as ``bin/test`` does for its PostgreSQL run. The schema is built
once per session by the Alembic migrations, and every test starts from empty
tables. Helpers that are not fixtures live in ``tests/helpers/``; tests import
them from there, never from this file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.security import generate_password_hash

from campaign import create_app
from campaign.extensions import db
from campaign.models import Organiser

from .helpers.app import ARTIFACTS, base_config, drop_everything, empty_tables
from .helpers.backoffice import PASSWORD, ROLES, signed_in
from .helpers.browser import chromium_path
from .helpers.redis_server import RedisServer
from .helpers.servers import SMTPServer, serving

# -- SMTP ---------------------------------------------------------------------------


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


# -- Redis ------------------------------------------------------------------------------


@pytest.fixture
def redis_server(tmp_path_factory) -> Iterator[RedisServer]:
    """A throwaway Redis (Debian's redis-server) on a free loopback port, started."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


# -- database and app -----------------------------------------------------------------


def pytest_collection_modifyitems(config, items) -> None:
    """Leave out, as deselected rather than skipped, what belongs to the other database's
    pass: bin/test runs the suite once on SQLite and once on PostgreSQL, so each such
    test runs in exactly one of them, and a skip always means something is missing."""
    on_postgresql = (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql")
    other = "sqlite_only" if on_postgresql else "postgres_only"
    left_out = [item for item in items if item.get_closest_marker(other)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker(other)]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "campaign-test.sqlite")


@pytest.fixture(scope="session")
def migrated_database(database_url: str) -> str:
    """Build the schema with the migrations, as production does."""
    import flask_migrate

    drop_everything(database_url)
    app = create_app(base_config(database_url))
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    return database_url


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


# -- live server and browser -------------------------------------------------------


@pytest.fixture
def live_server(make_app):
    """The app served over real HTTP on loopback, in a thread."""
    with serving(make_app) as server:
        yield server


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


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# -- the organisers' back office ----------------------------------------------------
# Accounts are written with a password hash computed once per run, with few PBKDF2
# rounds: scrypt is slow on purpose, and the lockout tests check dozens of passwords
# (accounts made by the CLI, tested in organisers/test_accounts.py, use scrypt). Test
# clients are signed in by putting the account's session token where Flask-Login looks
# for it (helpers.backoffice.signed_in); the sign-in form itself is tested too.


@pytest.fixture(scope="session")
def password_hash() -> str:
    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


@pytest.fixture
def organisers(app, password_hash) -> dict[str, dict]:
    """An active account per role: {role: {"id", "email", "token"}}."""
    accounts = {}
    with app.app_context():
        for role in ROLES:
            organiser = Organiser(
                email=f"{role}@example.org",
                name=role.title(),
                role=role,
                password_hash=password_hash,
            )
            db.session.add(organiser)
            db.session.flush()
            accounts[role] = {
                "id": organiser.id,
                "email": organiser.email,
                "token": organiser.session_token,
            }
        db.session.commit()
    return accounts


@pytest.fixture
def as_role(app, organisers):
    """A new test client signed in with the given role (or anonymous for None)."""

    def make(role: str | None):
        client = app.test_client()
        return signed_in(client, organisers[role]) if role else client

    return make
