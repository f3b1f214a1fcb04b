"""Back up and restore the database: ``bin/backup FILE`` and ``bin/restore FILE``.

The database is the one the app would use: ``DATABASE_URL``, or the default
SQLite file in ``instance/``, resolved by the same code as the app's.

- SQLite: the online backup API copies a consistent snapshot while the app
  keeps reading and writing (WAL mode); the copy is checked with
  ``PRAGMA integrity_check`` before it replaces FILE.
- PostgreSQL: ``pg_dump`` in its custom format (``-Fc``: compressed, and
  ``pg_restore`` can restore it selectively). The password goes through the
  environment, never the command line, where any user could read it.

Restoring replaces everything in the target database with the backup's
contents (schema version included), in one transaction on PostgreSQL. Stop
the web processes and outbox workers first.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Mapping

from psycopg.conninfo import conninfo_to_dict

from . import config as config_module

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def database_url(environ: Mapping[str, str] = os.environ) -> str:
    """The URL the app would use, without needing the rest of its configuration."""
    settings = config_module.defaults(os.path.join(ROOT, "instance"))
    settings.update(config_module.from_environment(environ))
    return config_module.normalise_database_url(settings["DATABASE_URL"])


def _sqlite_path(url: str) -> str:
    path = url.split(":///", 1)[1]
    if not path or path == ":memory:":
        raise SystemExit("backup: an in-memory SQLite database has nothing to back up")
    return path


def _pg_tool(name: str) -> str:
    """The newest installed client: pg_dump must be at least as new as the server."""
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise SystemExit(f"backup: {name} not found (install the PostgreSQL client)")
    return found


def _pg_environment(url: str) -> dict[str, str]:
    """libpq variables for ``url``, so no password appears in the process list."""
    params = conninfo_to_dict(url.replace("postgresql+psycopg://", "postgresql://", 1))
    names = {
        "host": "PGHOST",
        "port": "PGPORT",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "dbname": "PGDATABASE",
        "sslmode": "PGSSLMODE",
    }
    env = dict(os.environ)
    for key, value in params.items():
        if key in names and value is not None:
            env[names[key]] = str(value)
    return env


def backup(url: str, path: str) -> None:
    """Write a backup of the database at ``url`` to ``path`` (replaced only when complete)."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, partial = tempfile.mkstemp(dir=folder, prefix=".backup-")
    os.close(fd)
    try:
        if url.startswith("sqlite"):
            source = sqlite3.connect(f"file:{_sqlite_path(url)}?mode=ro", uri=True)
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
                (check,) = target.execute("PRAGMA integrity_check").fetchone()
                if check != "ok":
                    raise SystemExit(f"backup: the copy failed its integrity check: {check}")
            finally:
                target.close()
                source.close()
        elif url.startswith("postgresql"):
            subprocess.run(  # noqa: S603 - a fixed argument list, no shell
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", partial],
                env=_pg_environment(url),
                check=True,
            )
        else:
            raise SystemExit(f"backup: unsupported database URL {url.split(':', 1)[0]}:...")
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def restore(path: str, url: str) -> None:
    """Replace the contents of the database at ``url`` with the backup at ``path``."""
    if not os.path.isfile(path):
        raise SystemExit(f"restore: no such file: {path}")
    if url.startswith("sqlite"):
        source = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_path(url), timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    elif url.startswith("postgresql"):
        subprocess.run(  # noqa: S603 - a fixed argument list, no shell
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                _pg_environment(url)["PGDATABASE"],
                path,
            ],
            env=_pg_environment(url),
            check=True,
        )
    else:
        raise SystemExit(f"restore: unsupported database URL {url.split(':', 1)[0]}:...")


def main(argv: list[str]) -> None:
    if len(argv) != 2 or argv[0] not in ("create", "restore"):
        raise SystemExit("usage: python -m campaign.backup create|restore FILE")
    command, path = argv
    url = database_url()
    if command == "create":
        backup(url, path)
        print(f"backup written to {path}")
    else:
        restore(path, url)
        print(f"database restored from {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
