"""Database connection settings that depend on the engine.

SQLite is the embedded default: WAL lets readers work while one writer
writes, and the busy timeout makes several gunicorn workers queue for the
write lock instead of failing at once.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db


def init_app(app: Flask) -> None:
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    if uri.startswith("sqlite"):
        # sqlite3's timeout is SQLite's busy timeout: how long to wait for the write lock.
        options.setdefault("connect_args", {"timeout": app.config["SQLITE_BUSY_TIMEOUT_SECONDS"]})
    else:
        options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"
