"""The app through PgBouncer in transaction mode, and each process's connection budget.

In transaction mode PgBouncer hands each transaction whichever server
connection is free, so anything a client leaves on one server connection
(a prepared statement, a session setting, a cursor held past COMMIT) is
missing from the next. psycopg 3 prepares a statement after its fifth
execution; ``DATABASE_PGBOUNCER`` turns that off (campaign/database.py).
The journey below repeats every statement well past five times, through a
real PgBouncer that deals its server connections round robin: without the
setting it fails with 'prepared statement "_pg3_0" does not exist'.
PostgreSQL only: bin/test runs this file in its PostgreSQL pass.
"""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from campaign import config, create_app
from campaign.extensions import db
from campaign.models import OutboxMessage, OutboxStatus, Petition

from .helpers.app import base_config
from .helpers.journey import links_in, local_path, press_button, send_outbox, sign
from .helpers.pgbouncer import PgBouncer

SIGNERS = 12  # each statement of signing and confirming runs twice psycopg's threshold


@pytest.fixture
def pgbouncer(database_url):
    with PgBouncer(database_url) as bouncer:
        yield bouncer


@pytest.mark.postgres_only
def test_sign_confirm_export_and_send_through_pgbouncer_in_transaction_mode(
    pgbouncer, make_app, smtp, petition, tmp_path
):
    app = make_app(SQLALCHEMY_DATABASE_URI=pgbouncer.url, DATABASE_PGBOUNCER=True)
    client = app.test_client()
    slug = petition["slug"]

    for n in range(SIGNERS):
        response = sign(client, slug, name=f"Bouncer {n}", email=f"b{n}@example.org", public="y")
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
    send_outbox(app)  # the outbox worker's batch: claim, send, mark (autocommit)
    assert len(smtp.messages) == SIGNERS

    for message in smtp.messages:
        [link] = links_in(message)
        assert press_button(client, local_path(link)).status_code == 303

    # The press download, streamed through a server-side cursor (inside a transaction).
    download = client.get(f"/petitions/{slug}/signatories.csv")
    assert download.status_code == 200
    names = {row["name"] for row in csv.DictReader(io.StringIO(download.get_data(as_text=True)))}
    assert {f"Bouncer {n}" for n in range(SIGNERS)} <= names
    out = tmp_path / "press.csv"
    result = app.test_cli_runner().invoke(args=["export", "press", slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == download.get_data()

    with app.app_context():
        assert db.session.get(Petition, petition["id"]).signature_count == SIGNERS
        sent = db.session.scalar(
            select(func.count()).where(OutboxMessage.status == OutboxStatus.SENT)
        )
        assert sent == SIGNERS
    assert "ERROR" not in pgbouncer.log()


def test_the_pool_budget_and_pgbouncer_come_from_the_environment():
    settings = config.from_environment(
        {
            "DATABASE_POOL_SIZE": "3",
            "DATABASE_MAX_OVERFLOW": "1",
            "DATABASE_POOL_TIMEOUT": "7",
            "DATABASE_PGBOUNCER": "1",
        }
    )
    # No connection is opened: the engine's options are all this looks at.
    app = create_app(base_config("postgresql+psycopg://campaign@127.0.0.1:1/campaign", **settings))
    with app.app_context():
        pool = db.engine.pool
        assert (pool.size(), pool.timeout()) == (3, 7)
        assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["max_overflow"] == 1
        assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {
            "prepare_threshold": None
        }
    # Without the setting psycopg keeps preparing; SQLite keeps its own settings.
    app = create_app(base_config("postgresql+psycopg://campaign@127.0.0.1:1/campaign"))
    assert "connect_args" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    app = create_app(base_config("sqlite://", **settings))
    assert "pool_size" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]
