"""Operations: health checks for load balancers, logs that carry no personal data, and
the shipped gunicorn settings."""

from __future__ import annotations

import gc
import io
import json
import logging
import re
import runpy

import pytest

from campaign import create_app

from .helpers.app import ROOT, base_config
from .helpers.journey import links_in, local_path, send_outbox, sign
from .helpers.servers import free_port

# -- health checks ------------------------------------------------------------------


def test_readyz_reports_the_outbox_backlog_and_its_age(app, client, smtp, petition):
    assert sign(client, petition["slug"], email="waiting@example.org").status_code == 303
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json["outbox_waiting"] == 1
    assert 0 <= ready.json["outbox_oldest_seconds"] < 60
    send_outbox(app)
    assert client.get("/readyz").json["outbox_waiting"] == 0


@pytest.mark.parametrize(
    "url",
    [
        # Nothing listens on this port: the database server is down or unreachable.
        "postgresql+psycopg://campaign:campaign@127.0.0.1:{port}/campaign?connect_timeout=2",
        "sqlite:////nonexistent-folder-{port}/campaign.sqlite",
    ],
)
def test_readyz_is_503_when_the_database_is_unreachable(url):
    app = create_app(base_config(url.format(port=free_port())))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200, "the process itself is up"
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json["status"] == "unavailable"
    assert "Cache-Control" in ready.headers and ready.headers["Cache-Control"] == "no-store"


# -- structured logs ------------------------------------------------------------------


@pytest.fixture
def logged(make_app):
    """An app behind one proxy whose JSON log lines are kept in memory.

    Logging is set up per process, so the last app made owns it: tests list this
    fixture after any other that makes an app.
    """
    stream = io.StringIO()
    app = make_app(PROXY_COUNT=1, LOG_STREAM=stream)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    app.log_lines = lines  # type: ignore[attr-defined]
    app.log_text = stream.getvalue  # type: ignore[attr-defined]
    return app


def test_a_host_set_up_without_compiled_catalogues_says_so_at_start(make_app, tmp_path):
    # Found on a rehearsal: deploy.md's install had no `pybabel compile`, and /fr/ was English.
    for language in ("fr", "es"):
        folder = tmp_path / "translations" / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "messages.po").write_bytes(
            (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").read_bytes()
        )
    (tmp_path / "translations" / "es" / "LC_MESSAGES" / "messages.mo").write_bytes(b"")
    stream = io.StringIO()
    make_app(BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"), LOG_STREAM=stream)
    [line] = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert line["level"] == "error"
    assert "translations not compiled for fr: " in line["message"]  # es has its .mo, newer
    assert "pybabel compile -d translations" in line["message"]
    stream = io.StringIO()
    make_app(LOG_STREAM=stream)  # the checkout's, compiled by bin/setup
    assert "translations not compiled" not in stream.getvalue()


def test_one_json_line_per_request_with_its_id(petition, logged):
    client = logged.test_client()
    given = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c2e-0001"})
    made = client.get("/healthz", headers={"X-Request-ID": 'bad"id <script> and far too long' * 3})
    none = client.get("/petitions/call-to-governments/count.json")
    assert given.headers["X-Request-ID"] == "lb-7f3a9c2e-0001"
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{32}", none.headers["X-Request-ID"])

    requests = [line for line in logged.log_lines() if line.get("event") == "request"]
    assert [(r["method"], r["path"], r["status"]) for r in requests] == [
        ("GET", "/healthz", 200),
        ("GET", "/healthz", 200),
        ("GET", "/petitions/call-to-governments/count.json", 200),
    ]
    assert [r["request_id"] for r in requests] == [
        given.headers["X-Request-ID"],
        made.headers["X-Request-ID"],
        none.headers["X-Request-ID"],
    ]
    assert all(isinstance(r["duration_ms"], float) and r["duration_ms"] >= 0 for r in requests)


def test_logs_never_hold_an_email_address_a_full_ip_or_a_token(smtp, petition, logged):
    client = logged.test_client()
    v4 = {"X-Forwarded-For": "203.0.113.77"}
    v6 = {"X-Forwarded-For": "2001:db8:abcd:12:3456:789a:bcde:f012"}
    assert sign(client, petition["slug"], email="ada.lovelace@example.org").status_code == 303
    client.post(
        "/petitions/call-to-governments/sign",
        data={"email": "grace.hopper@example.org", "name": "Grace"},
        headers=v4,
    )
    client.get("/petitions/call-to-governments?email=alan.turing@example.org", headers=v6)
    send_outbox(logged)
    [message] = smtp.messages
    [link] = links_in(message)
    client.get(local_path(link), headers=v4)
    # An SMTP refusal quotes the address: the worker's warning must not.
    smtp.reset()
    smtp.handler.refuse_with = "550 5.1.1 <katherine.johnson@example.org>: no such user"
    assert sign(client, petition["slug"], email="katherine.johnson@example.org").status_code == 303
    assert send_outbox(logged).failed == 1

    text = logged.log_text()
    lines = logged.log_lines()
    assert any(line.get("level") == "warning" for line in lines), "the refusal was logged"
    for secret in (
        "@example.org",
        "203.0.113.77",
        "2001:db8:abcd:12:",
        local_path(link).rsplit("/", 1)[1],
    ):
        assert secret not in text
    requests = [line for line in lines if line.get("event") == "request"]
    assert {"203.0.113.0/24", "2001:db8:abcd::/48"} <= {r["ip"] for r in requests}
    assert "/petitions/confirm/[token]" in {r["path"] for r in requests}
    assert all("?" not in r["path"] for r in requests)


def test_other_libraries_lines_are_scrubbed_too(petition, logged):
    # A rate limiter names the address it limits; the development server logs each client.
    logging.getLogger("flask-limiter").warning(
        "ratelimit 5 per 1 minute (203.0.113.77) exceeded at /petitions/x/sign"
    )
    logging.getLogger("werkzeug").warning('2001:db8:abcd:12::9 - - "POST /sign" 429 -')
    text = logged.log_text()
    assert "203.0.113.77" not in text and "2001:db8:abcd:12::9" not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert {line["logger"] for line in lines} >= {"flask-limiter", "werkzeug"}
    assert any("203.0.113.0/24" in line["message"] for line in lines)


def test_the_machines_own_addresses_are_logged_as_they_are(logged):
    # Loopback and "every interface" are nobody's address, and a server that says it runs
    # on 127.0.0.0/24 misleads whoever starts it.
    logging.getLogger("werkzeug").warning(
        " * Running on http://127.0.0.1:5090 and http://[::1]:5090"
    )
    logging.getLogger("werkzeug").warning(" * Running on all addresses (0.0.0.0)")
    text = logged.log_text()
    assert "http://127.0.0.1:5090" in text and "[::1]:5090" in text and "(0.0.0.0)" in text


# -- gunicorn ----------------------------------------------------------------------


def test_gunicorn_workers_take_the_loaded_app_out_of_the_collectors_scans():
    """The shipped config freezes what a worker loaded, so full collections skip it."""
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["worker_class"] == "gthread"
    frozen_before = gc.get_freeze_count()
    try:
        config["post_worker_init"](None)
        assert gc.get_freeze_count() > frozen_before + 10_000
    finally:
        gc.unfreeze()
