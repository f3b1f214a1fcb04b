"""Faults: slow SMTP, a locked database, concurrent duplicates, a worker killed mid-batch."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from http.client import HTTPConnection
from urllib.parse import urlencode

from sqlalchemy import create_engine, select, text

from campaign.extensions import db
from campaign.models import OutboxMessage, OutboxStatus, Signature

from .helpers.app import ROOT
from .helpers.journey import FORM_TOKEN, form_token, queue_test_messages, send_outbox, sign
from .helpers.servers import worker_command_env


def test_slow_smtp_server_times_out_and_the_mail_waits(make_app, smtp, petition):
    app = make_app(MAIL_TIMEOUT_SECONDS=0.5)
    client = app.test_client()
    smtp.handler.delay_seconds = 2
    sign(client, petition["slug"])
    started = time.monotonic()
    result = send_outbox(app)
    assert time.monotonic() - started < 5  # the worker is not held by a stalled server
    assert result.sent == 0 and result.retried == 1
    smtp.handler.delay_seconds = 0
    time.sleep(2)  # the slow server may still take the first copy: at most one extra
    assert send_outbox(app).sent == 1
    with app.app_context():
        [row] = db.session.scalars(select(OutboxMessage)).all()
        assert row.status == OutboxStatus.SENT
    assert 1 <= len(smtp.messages) <= 2


def test_locked_database_gets_a_503_page_and_stores_nothing(make_app, petition, database_url):
    postgres = database_url.startswith("postgresql")
    options = {"connect_args": {"options": "-c lock_timeout=300"}} if postgres else {}
    app = make_app(SQLITE_BUSY_TIMEOUT_SECONDS=0.3, SQLALCHEMY_ENGINE_OPTIONS=options)
    client = app.test_client()
    token = form_token(client, petition["slug"])
    engine = create_engine(database_url)
    with engine.connect() as blocker:
        if postgres:
            blocker.execute(text("BEGIN"))
            blocker.execute(text("LOCK TABLE signature IN ACCESS EXCLUSIVE MODE"))
        else:
            blocker.exec_driver_sql("BEGIN IMMEDIATE")
            blocker.exec_driver_sql("DELETE FROM signature WHERE id = -1")
        response = sign(client, petition["slug"], form_token=token)
        blocker.rollback()
    engine.dispose()
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Temporarily unavailable" in html and "Nothing you sent was half-saved" in html
    with app.app_context():
        assert db.session.scalars(select(Signature)).all() == []
        assert db.session.scalars(select(OutboxMessage)).all() == []
    # Once the lock is gone the same form goes through.
    assert sign(client, petition["slug"], form_token=token).status_code == 303


def test_one_mailbox_posted_many_times_at_once_gets_its_allowance_exactly(live_server, petition):
    """Twelve simultaneous posts: twelve submissions, and exactly one client's share of
    emails (the allowance is counted by upserts that cannot pass their cap together)."""
    host, port = live_server.url.removeprefix("http://").split(":")
    path = f"/petitions/{petition['slug']}"
    connection = HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", path)
    html = connection.getresponse().read().decode()
    token = FORM_TOKEN.search(html).group(1)
    body = urlencode(
        {
            "name": "Ada",
            "email": "same@example.org",
            "country": "CH",
            "consent": "y",
            "form_token": token,
        }
    )
    statuses: list[int] = []
    start = threading.Barrier(12)

    def post() -> None:
        start.wait()
        sender = HTTPConnection(host, int(port), timeout=30)
        sender.request(
            "POST",
            f"{path}/sign",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        statuses.append(sender.getresponse().status)

    threads = [threading.Thread(target=post) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303] * 12
    with live_server.app.app_context():
        submissions = db.session.scalars(select(Signature)).all()
        assert len(submissions) == 12
        assert sorted(s.emails_sent for s in submissions) == [0] * 9 + [1] * 3
        assert len(db.session.scalars(select(OutboxMessage)).all()) == 3


def test_a_worker_killed_mid_batch_loses_nothing(app, smtp, petition, database_url):
    total = 40
    queue_test_messages(app, petition, total)
    smtp.handler.delay_seconds = 0.05
    env = worker_command_env(database_url, smtp, OUTBOX_LEASE_SECONDS="2")
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "work", "--until-empty"]
    victim = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 20
    while len(smtp.messages) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    delivered_before = len(smtp.messages)
    assert 5 <= delivered_before < total  # killed in the middle of its batch

    smtp.handler.delay_seconds = 0
    time.sleep(2.2)  # the dead worker's lease runs out
    survivor = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=60)
    assert survivor.returncode == 0, survivor.stdout + survivor.stderr
    received = Counter(m["Message-ID"] for m in smtp.messages)
    assert len(received) == total
    assert sum(n - 1 for n in received.values()) <= 1  # at most the one in flight, twice
    with app.app_context():
        statuses = {row.status for row in db.session.scalars(select(OutboxMessage))}
        assert statuses == {OutboxStatus.SENT}
