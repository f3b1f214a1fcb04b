"""Database connection settings that depend on the engine.

SQLite is the embedded default: WAL lets readers work while one writer
writes, and the busy timeout makes several gunicorn workers queue for the
write lock instead of failing at once.

On PostgreSQL a pooled connection is checked before use only when it has
sat idle in the pool (``DATABASE_PING_AFTER_SECONDS``): SQLAlchemy's
``pool_pre_ping`` pings on every checkout, a round trip per request that
cost a busy site a tenth of its signing rate. A connection in steady use
is known to be alive; one that idled through a database restart or a
firewall's idle timeout is pinged, and replaced if the ping fails.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import ColumnElement, event, exc, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from .extensions import db


def init_app(app: Flask) -> None:
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    if uri.startswith("sqlite"):
        # sqlite3's timeout is SQLite's busy timeout: how long to wait for the write lock.
        # SQLite keeps SQLAlchemy's own pool for files: a connection per thread, no budget.
        options.setdefault("connect_args", {"timeout": app.config["SQLITE_BUSY_TIMEOUT_SECONDS"]})
    else:
        _server_options(app, options)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _server_options(app: Flask, options: dict[str, Any]) -> None:
    """The pool's budget, and what PgBouncer in transaction mode needs.

    A process opens at most pool size + overflow connections; the deploy
    guide adds them up per host ("Database connections").

    Behind PgBouncer in transaction mode each transaction may run on another
    server connection. psycopg 3 prepares a statement on the server after
    its fifth execution (``prepare_threshold``) and then runs it by name, a
    name the next server connection does not know (or knows for another
    statement): "prepared statement "_pg3_0" does not exist". ``None`` turns
    preparing off. The app needs nothing else: it sets nothing per session,
    takes no advisory locks, never LISTENs, and its server-side cursors (the
    streamed exports) live inside one transaction.
    """
    options.setdefault("pool_size", app.config["DATABASE_POOL_SIZE"])
    options.setdefault("max_overflow", app.config["DATABASE_MAX_OVERFLOW"])
    options.setdefault("pool_timeout", app.config["DATABASE_POOL_TIMEOUT"])
    if app.config["DATABASE_PGBOUNCER"]:
        options["connect_args"] = {**options.get("connect_args", {}), "prepare_threshold": None}


@event.listens_for(Pool, "connect")
def _fresh(dbapi_connection, connection_record) -> None:
    connection_record.info["idle_since"] = time.monotonic()


@event.listens_for(Pool, "checkin")
def _returned(dbapi_connection, connection_record) -> None:
    if connection_record is not None:
        connection_record.info["idle_since"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_if_idle(dbapi_connection, connection_record, connection_proxy) -> None:
    """Ping a PostgreSQL connection that has idled; a dead one makes the pool connect afresh."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    after = current_app.config["DATABASE_PING_AFTER_SECONDS"] if has_app_context() else 0
    idle_since = connection_record.info.get("idle_since", 0.0)
    if time.monotonic() - idle_since < after:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()
    except Exception as error:
        # The pool discards this connection and checks out a new one (three tries).
        raise exc.DisconnectionError(str(error)) from error


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


def each_statement_commits() -> None:
    """On PostgreSQL, run the rest of this request's statements each as its own transaction.

    For a request whose every write is a single statement, atomic by itself
    (signing: see ``petitions.signing.sign``; confirming: see
    ``petitions.counters.transition``). A confirmation bumps the call's
    counter, the hottest row of a busy day; inside a transaction its lock is
    held from the UPDATE until the client's COMMIT arrives, a round trip
    later, and every other confirmation queues behind it. Committed by the
    statement itself, the lock lasts as long as PostgreSQL takes to run it,
    and BEGIN and COMMIT cost no round trips (two of a signature's three).
    The caller's ``commit()`` then has nothing left to do. Call it before the
    request's first query; if the session has already begun a transaction,
    that transaction goes on.
    """
    session = db.session()
    if session.in_transaction() or session.get_bind().dialect.name != "postgresql":
        return
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def upsert_insert(table: Any, dialect: str | None = None) -> Any:
    """An INSERT that takes ``ON CONFLICT`` clauses, for the session's database (or ``dialect``).

    PostgreSQL and SQLite spell upserts alike, but SQLAlchemy builds them
    from each dialect's own ``insert``.
    """
    dialect = dialect or dialect_name()
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def dialect_name() -> str:
    """``"postgresql"`` or ``"sqlite"``: the database this request's session talks to."""
    return db.session.get_bind().dialect.name


def utc_date(column: Any) -> ColumnElement[str]:
    """``YYYY-MM-DD`` of a UTC timestamp, computed by the database.

    Formatting in SQL spares a million rows the cost of becoming Python
    datetimes only to be printed again. SQLite keeps UTC as naive text.
    """
    if dialect_name() == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.substr(column, 1, 10)


def email_domain(column: Any) -> ColumnElement[str]:
    """The part of an address after its ``@``, computed by the database."""
    if dialect_name() == "postgresql":
        return func.split_part(column, "@", 2)
    return func.substr(column, func.instr(column, "@") + 1)
