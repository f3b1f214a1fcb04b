"""The app under test: where the checkout is, and the settings every test app starts from."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from campaign.extensions import db

ROOT = Path(__file__).resolve().parent.parent.parent
# Screenshots and other files the tests leave for people to look at (one folder per
# database run when bin/test runs them side by side).
ARTIFACTS = ROOT / os.environ.get("TEST_ARTIFACTS_DIR", "tests/artifacts")
SECRET_KEY = "test-secret-key-not-for-production"


def drop_everything(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            for table in reversed(inspect(connection).get_table_names()):
                connection.execute(text(f'DROP TABLE IF EXISTS "{table}"'))
    engine.dispose()


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
