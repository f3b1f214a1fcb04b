"""A worker renews its batch's lease while it sends: a live one keeps it however slow the
server, a dead one's mail goes to another worker within one lease, and nothing is sent twice.

Real worker processes (``flask outbox work``) against a real SMTP server (aiosmtpd),
with a lease of a few seconds so that the tests take seconds, not minutes.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select, update

from campaign.extensions import db
from campaign.mail import leases
from campaign.mail.batch_lease import BatchLease
from campaign.models import OutboxMessage, OutboxStatus, utcnow

from ..helpers.app import ROOT
from ..helpers.journey import queue_test_messages
from ..helpers.servers import worker_command_env

LEASE_SECONDS = 3


def _worker(env: dict[str, str], *options: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "work", *options]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> float:
    """Poll until ``condition`` holds; return when it did (time.monotonic)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)
    return time.monotonic()


def _stop(worker: subprocess.Popen) -> str:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
    output, _ = worker.communicate(timeout=30)
    return output.decode(errors="replace")


def _statuses(app) -> Counter:
    with app.app_context():
        return Counter(row.status for row in db.session.scalars(select(OutboxMessage)))


def test_a_killed_workers_mail_is_taken_over_within_a_lease(app, smtp, petition, database_url):
    total = 80
    queue_test_messages(app, petition, total)
    smtp.handler.delay_seconds = 0.1  # the batch takes 8 s: well over a lease
    env = worker_command_env(database_url, smtp, OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS))
    victim = _worker(env, "--until-empty")
    _wait_for(lambda: len(smtp.messages) >= 1, 30, "the first worker to start sending")
    survivor = _worker(env, "--stop-after", "60")
    try:
        # Past a whole lease into the batch: the victim has had to renew its lease to get here.
        _wait_for(lambda: len(smtp.messages) >= 45, 30, "the first worker's 45th message")
        victim.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        victim.wait()
        time.sleep(0.3)  # the message in flight at the kill, if any, lands
        before = len(smtp.messages)
        assert before < total, "the batch should have been cut short"
        taken_over_at = _wait_for(
            lambda: len(smtp.messages) > before, LEASE_SECONDS + 10, "another worker"
        )
        _wait_for(
            lambda: len({m["Message-ID"] for m in smtp.messages}) == total, 20, "every message"
        )
    finally:
        output = _stop(survivor)
    # Free within one lease of the last renewal (plus the survivor's one-second idle poll).
    assert taken_over_at - killed_at < LEASE_SECONDS + 1.5, output
    received = Counter(m["Message-ID"] for m in smtp.messages)
    assert len(received) == total
    # At most the one the server accepted as the worker died, before its mark.
    assert sum(n - 1 for n in received.values()) <= 1, received.most_common(3)
    assert _statuses(app) == {OutboxStatus.SENT: total}


def test_a_live_slow_worker_keeps_its_lease_and_nothing_is_sent_twice(
    app, smtp, petition, database_url
):
    total = 24
    queue_test_messages(app, petition, total)
    smtp.handler.delay_seconds = 0.25  # 6 s for the batch: two leases of 3 s
    env = worker_command_env(database_url, smtp, OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS))
    slow = _worker(env, "--until-empty")
    _wait_for(lambda: len(smtp.messages) >= 1, 30, "the first worker to start sending")
    other = _worker(env, "--stop-after", "30")  # polls every second for mail due
    try:
        slow_output, _ = slow.communicate(timeout=60)
        assert slow.returncode == 0, slow_output.decode(errors="replace")
    finally:
        other_output = _stop(other)
    received = Counter(m["Message-ID"] for m in smtp.messages)
    assert len(received) == total, other_output
    assert set(received.values()) == {1}, received.most_common(3)
    assert _statuses(app) == {OutboxStatus.SENT: total}


def test_a_worker_whose_batch_was_taken_over_sends_none_of_it(app, smtp, petition):
    """The statement behind the heartbeat: a lease that ran out and was taken is not renewed,
    and the worker that lost it holds none of its messages any more."""
    queue_test_messages(app, petition, 3)
    with app.app_context():
        ids = leases.claim("stalled", 10, LEASE_SECONDS)
        assert len(ids) == 3
        with BatchLease(ids, "stalled", LEASE_SECONDS) as lease:
            assert all(lease.holds(i) for i in ids)
            db.session.execute(
                update(OutboxMessage).values(lease_until=utcnow() - timedelta(seconds=1))
            )
            db.session.commit()
            assert leases.claim("another", 10, LEASE_SECONDS) == ids
            _wait_for(lambda: not lease.held, LEASE_SECONDS + 2, "the next renewal")
            assert not any(lease.holds(i) for i in ids)
        with leases.autocommit() as connection:
            assert leases.renew(connection, ids, "another", LEASE_SECONDS) == set(ids)
            assert leases.mark_sent(ids, "stalled", connection) == 0
            assert leases.mark_sent(ids, "another", connection) == 3
