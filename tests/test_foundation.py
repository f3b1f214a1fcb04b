"""Foundation: migrations match the models, configuration guards, error pages, seeding."""

from __future__ import annotations

import os
import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from campaign import create_app
from campaign.config import ConfigurationError
from campaign.extensions import db
from campaign.models import NotableSignatory, OutboxMessage, Petition

from .helpers.browser import browser_errors
from .helpers.journey import sign
from .helpers.servers import serving


def test_migrations_match_the_models(app):
    """The schema the migrations built is exactly what the models describe."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("CAMPAIGN_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app()


def test_production_refuses_to_start_without_a_mail_server(monkeypatch):
    monkeypatch.setenv("CAMPAIGN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    with pytest.raises(ConfigurationError, match="MAIL_SERVER"):
        create_app()


def test_importing_the_package_needs_no_environment():
    """``import campaign`` in a bare environment: no variable read, nothing started."""
    import subprocess
    import sys

    from .helpers.app import ROOT

    bare = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/")}
    result = subprocess.run(
        [sys.executable, "-c", "import campaign; print(callable(campaign.create_app))"],
        cwd=ROOT,
        env=bare,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_environment_configures_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("CAMPAIGN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    monkeypatch.setenv("BASE_URL", "https://sign.example.org/")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example.org/campaign")
    monkeypatch.setenv("CONFIRM_MAX_AGE_DAYS", "14")
    app = create_app()
    assert app.config["MAIL_PORT"] == 2525 and app.config["MAIL_USE_TLS"] is True
    assert app.config["BASE_URL"] == "https://sign.example.org"
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert app.config["CONFIRM_MAX_AGE_DAYS"] == 14
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert "dev_mailbox" not in app.blueprints


def test_bad_number_in_environment_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("MAIL_PORT", "twenty-five")
    with pytest.raises(ConfigurationError, match="MAIL_PORT must be a whole number"):
        create_app({"TESTING": True})


@pytest.mark.sqlite_only
def test_sqlite_settings_for_concurrent_workers(app):
    """SQLite: WAL, and a busy timeout so workers queue for the write lock."""
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def _kill_other_connections(app) -> int:
    """What a database restart does to the pool: every other session is cut off."""
    url = app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://")
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        killed = connection.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    return killed[0]


@pytest.mark.postgres_only
@pytest.mark.parametrize("ping_after", [0, 3600])
def test_a_restarted_database_costs_at_most_one_503(make_app, petition, ping_after):
    """Idle pooled connections are pinged and replaced; busy ones fail once, with a 503 page.

    ``DATABASE_PING_AFTER_SECONDS`` decides which: 0 pings every checkout, an
    hour never does within this test.
    """
    app = make_app(DATABASE_PING_AFTER_SECONDS=ping_after)
    client = app.test_client()
    page = f"/petitions/{petition['slug']}"
    assert client.get(page).status_code == 200  # a connection now waits in the pool
    assert _kill_other_connections(app) >= 1

    first = client.get(page)
    if ping_after == 0:
        assert first.status_code == 200  # the ping found it dead; a new one served the page
    else:
        assert first.status_code == 503
        assert "try again" in first.get_data(as_text=True).lower()
    assert client.get(page).status_code == 200  # either way the pool has recovered


def test_development_mailbox_shows_queued_mail(make_app, petition):
    app = make_app(CAMPAIGN_ENV="development", TESTING=False, MAIL_SERVER=None, DEV_MAILBOX=True)
    client = app.test_client()
    sign(client, petition["slug"])
    from campaign.mail.worker import send_batch

    with app.app_context():
        assert send_batch().sent == 1  # "sent" into the local mailbox, no SMTP involved
    index = client.get("/dev/mailbox/")
    assert index.status_code == 200
    html = index.get_data(as_text=True)
    assert "ada@example.org" in html and "Please confirm your signature" in html
    with app.app_context():
        message_id = db.session.scalars(select(OutboxMessage.id)).one()
    message = client.get(f"/dev/mailbox/{message_id}")
    assert "/petitions/confirm/" in message.get_data(as_text=True)
    framed = client.get(f"/dev/mailbox/{message_id}/html")
    assert "sandbox" in framed.headers["Content-Security-Policy"]


def test_development_mailbox_offers_an_events_calendar_file(make_app):
    """The demo's mail is tried to the end in the browser: the place's email carries the
    calendar file, and the mailbox offers it as the recipient's mail app would."""
    import icalendar

    from campaign.mail.worker import send_batch
    from tests.helpers.events import make_event, press, register

    app = make_app(CAMPAIGN_ENV="development", TESTING=False, MAIL_SERVER=None, DEV_MAILBOX=True)
    client = app.test_client()
    make_event(app)
    register(client, "launch")
    with app.app_context():
        send_batch()
        text = db.session.scalars(select(OutboxMessage.body_text)).one()
    confirm = re.search(r"http://localhost(/events/confirm/\S+)", text).group(1)
    assert press(client, confirm).status_code == 303
    with app.app_context():
        send_batch()
        message_id = db.session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.attachments.is_not(None))
        ).first()
    page = client.get(f"/dev/mailbox/{message_id}").get_data(as_text=True)
    assert "launch.ics" in page
    ics = client.get(f"/dev/mailbox/{message_id}/attachments/0")
    assert ics.mimetype == "text/calendar"
    assert "attachment" in ics.headers["Content-Disposition"]
    assert icalendar.Calendar.from_ical(ics.data).walk("VEVENT")
    assert client.get(f"/dev/mailbox/{message_id}/attachments/1").status_code == 404


def test_development_mailbox_shows_the_email_as_styled(make_app, petition, page):
    """The framed HTML part keeps its inline styles (mail clients need them), in a browser."""
    from campaign.mail.worker import send_batch

    dev_mailbox = {"CAMPAIGN_ENV": "development", "TESTING": False, "MAIL_SERVER": None}
    with serving(make_app, DEV_MAILBOX=True, **dev_mailbox) as server:
        sign(server.app.test_client(), petition["slug"])
        with server.app.app_context():
            assert send_batch().sent == 1
            message_id = db.session.scalars(select(OutboxMessage.id)).one()
        errors = browser_errors(page)
        page.goto(f"{server.url}/dev/mailbox/{message_id}")
        styled = page.frame_locator("iframe.mail-html").locator("[style]").first
        styled.wait_for()
        assert styled.evaluate("element => element.style.length") > 0, "inline style blocked"
        assert errors == []


def test_no_mailbox_outside_development(client):
    assert client.get("/dev/mailbox/").status_code == 404


def test_error_pages_in_html_and_json(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "Page not found" in page.get_data(as_text=True)
    assert page.mimetype == "text/html"
    as_json = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert as_json.status_code == 404
    assert as_json.json == {
        "error": {
            "status": 404,
            "title": "Page not found",
            "message": "There is no page at this address. It may have moved.",
        }
    }
    method = client.delete("/privacy")
    assert method.status_code == 405


def test_a_server_error_gets_the_styled_page(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert "RuntimeError" not in response.get_data(as_text=True)


def test_oversized_request_gets_413(client, petition):
    response = client.post(f"/petitions/{petition['slug']}/sign", data={"name": "x" * 100_000})
    assert response.status_code == 413


def test_security_headers(client, petition):
    response = client.get(f"/petitions/{petition['slug']}")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    html = response.get_data(as_text=True)
    assert "<script>" not in html and " onclick=" not in html and "style=" not in html


def test_seed_demo_is_idempotent(app, runner):
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == second.exit_code == 0
    assert "created" in first.output and "already present" in second.output
    with app.app_context():
        [call] = db.session.scalars(select(Petition)).all()
        assert call.slug == "call-to-governments" and call.state == "open" and call.goal > 0
        assert call.opened_at.isoformat().startswith("2020-05-26")
        notables = db.session.scalars(select(NotableSignatory)).all()
        assert len(notables) >= 15
        assert all(n.name and n.title and n.country and n.category for n in notables)
        assert {"Desmond Tutu", "Ban Ki-moon", "Lech Wałęsa"} <= {n.name for n in notables}


def test_home_page_leads_to_the_featured_call(client, petition):
    home = client.get("/")
    assert home.status_code == 200
    assert f'href="/petitions/{petition["slug"]}"' in home.get_data(as_text=True)
    french = client.get("/", headers={"Accept-Language": "fr-CH,fr;q=0.9,en;q=0.5"})
    assert french.status_code == 302 and french.headers["Location"] == "/fr/"
    # Other pages never vary by header: the URL decides.
    page = client.get(f"/petitions/{petition['slug']}", headers={"Accept-Language": "fr"})
    assert '<html lang="en">' in page.get_data(as_text=True)


def test_privacy_notice_is_a_real_page(client):
    response = client.get("/privacy")
    assert response.status_code == 200
    assert "Privacy notice" in response.get_data(as_text=True)


def test_counts_reconcile_command_mends_drift(app, runner, petition):
    with app.app_context():
        db.session.get(Petition, petition["id"]).signature_count = 42
        db.session.commit()
    result = runner.invoke(args=["counts", "reconcile"])
    assert "call-to-governments: 0 (corrected from 42)" in result.output
    with app.app_context():
        assert db.session.get(Petition, petition["id"]).signature_count == 0


def test_health_checks(client):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json["status"] == "ok" and ready.json["outbox_waiting"] == 0
