"""The floor of signing: the least any endpoint that stores a signature can cost on this stack.

The ceiling (bench/ceiling_app.py) says how fast this machine takes requests
before any code of ours runs; it leaves open how much of a signature's cost
is the database's and the write's, which no code of ours can take away. This
app answers that: bare Flask, Flask-SQLAlchemy, SQLAlchemy 2 and psycopg 3 on
the same gunicorn configuration and the same PostgreSQL as the app, with one
POST endpoint that parses the sign form's fields (name, email, country), does
one INSERT and redirects with a 303, as the app's sign view does. Sign and
confirm are reported as a ratio to it as well as to the ceiling: the part of
their cost above the floor is the part our code can still change.

The engine is built as the app builds it (campaign/__init__.py and
campaign/database.py): ``DATABASE_URL``, ``postgresql://`` normalised to
``postgresql+psycopg://``, Flask-SQLAlchemy's default pool, no
``pool_pre_ping``. The INSERT commits by itself (autocommit, as the app's own
writes do on PostgreSQL: ``database.each_statement_commits``), so it costs
one round trip; a BEGIN and a COMMIT around it would cost two more, which
the app does not pay and a floor must not either.

Its table, ``bench_floor_signature``, is none of the app's: it is created
here at import if it is missing (under an advisory lock, because every
gunicorn worker imports this module at once), never by the project's
migrations.
"""

import os

from flask import Flask, redirect, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Text, func, insert, text

TABLE = "bench_floor_signature"


def _database_url(url: str) -> str:
    # As campaign/__init__.py does: SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(os.environ["DATABASE_URL"])
db = SQLAlchemy(app)

signatures = Table(
    TABLE,
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("country", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
# Built once, like the app's prebuilt Core INSERTs.
_insert = insert(signatures)

with app.app_context(), db.engine.begin() as connection:
    connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": TABLE})
    signatures.create(connection, checkfirst=True)


@app.get("/")
def ok() -> str:
    return "ok"


@app.post("/sign")
def sign():
    form = request.form
    values = {"name": form["name"], "email": form["email"], "country": form["country"]}
    # No BEGIN: the one statement commits by itself, and the commit below has nothing to do.
    db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    db.session.execute(_insert, values)
    db.session.commit()
    return redirect("/", code=303)
