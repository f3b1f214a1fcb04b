"""Backups: bin/backup, a wiped database, bin/restore, and the data is back.

Runs on whichever database the test run uses: the SQLite pass tests the
online backup, the PostgreSQL pass tests pg_dump and pg_restore.
"""

from __future__ import annotations

import os
import subprocess

import flask_migrate
from sqlalchemy import create_engine, func, inspect, select

from campaign import create_app
from campaign.extensions import db
from campaign.models import Lifecycle, Petition, Signature

from .helpers.app import ROOT, base_config, drop_everything
from .helpers.journey import links_in, local_path, send_outbox, sign


def run(script: str, path, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "bin" / script), str(path)],
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def wipe(database_url: str) -> None:
    """Lose everything: the file for SQLite (a lost disk), the schema for PostgreSQL."""
    if database_url.startswith("sqlite"):
        path = database_url.split(":///", 1)[1]
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    else:
        drop_everything(database_url)


def state(database_url: str) -> tuple[int, int, list[str]]:
    """(signature_count, confirmed rows, emails) as a fresh app reads them."""
    app = create_app(base_config(database_url))
    with app.app_context():
        try:
            call = db.session.scalar(select(Petition))
            confirmed = db.session.scalar(
                select(func.count()).where(Signature.status == Lifecycle.CONFIRMED)
            )
            emails = sorted(db.session.scalars(select(Signature.email)))
            return call.signature_count, confirmed, emails
        finally:
            db.session.remove()
            db.engine.dispose()


def test_backup_wipe_restore(app, client, smtp, petition, migrated_database, tmp_path):
    for email in ("ada@example.org", "grace@example.org"):
        assert sign(client, petition["slug"], email=email).status_code == 303
    send_outbox(app)
    [link] = links_in(smtp.messages[0])
    page = client.get(local_path(link))
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
    client.post(local_path(link), data={"csrf_token": token.split('"')[0]})
    before = state(migrated_database)
    assert before == (1, 1, ["ada@example.org", "grace@example.org"])
    with app.app_context():
        db.engine.dispose()  # the app holds no connection while the database is replaced

    backup = tmp_path / "campaign.backup"
    made = run("backup", backup, migrated_database)
    assert made.returncode == 0, made.stderr
    assert backup.stat().st_size > 0

    wipe(migrated_database)
    engine = create_engine(migrated_database)
    assert inspect(engine).get_table_names() == [], "the database is empty"
    engine.dispose()

    restored = run("restore", backup, migrated_database)
    assert restored.returncode == 0, restored.stderr
    try:
        assert state(migrated_database) == before
        # The restored database is fully usable: the schema is at the latest migration.
        again = create_app(base_config(migrated_database, MAIL_PORT=smtp.port))
        with again.app_context():
            flask_migrate.upgrade()
        assert (
            sign(again.test_client(), petition["slug"], email="alan@example.org").status_code == 303
        )
        assert len(state(migrated_database)[2]) == 3
    finally:
        # Whatever happened, leave the schema for the tests that follow.
        repair = create_app(base_config(migrated_database))
        with repair.app_context():
            flask_migrate.upgrade()
            db.engine.dispose()


def test_restore_refuses_a_missing_file(migrated_database, tmp_path):
    result = run("restore", tmp_path / "nothing-here", migrated_database)
    assert result.returncode != 0
    assert "no such file" in result.stderr
