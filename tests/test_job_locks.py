"""Periodic jobs scheduled on every host: one run at a time, the others say who holds it.

The lock is a row in ``job_lock``; a holder on "another host" is a real process
(``python -c`` on the same database), killed with SIGKILL to prove that a dead
holder's lock lapses.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from campaign.extensions import db
from campaign.job_locks import holding, release, try_take
from campaign.models import JobLock, Petition, utcnow

from .helpers.app import ROOT, SECRET_KEY

LOCK_SECONDS = 2

# Another host: takes the job's lock and holds it (its heartbeat renewing it) until killed.
HOLDER = """
import sys, time
from wsgi import app
from campaign.job_locks import holding
with app.app_context(), holding(sys.argv[1]) as lock:
    print("held" if lock.held else "not held", flush=True)
    time.sleep(600)
"""


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "CAMPAIGN_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "JOB_LOCK_SECONDS": str(LOCK_SECONDS),
    }


def _reconcile(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "counts", "reconcile"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _drift(app, petition: dict) -> None:
    with app.app_context():
        db.session.execute(
            update(Petition).where(Petition.id == petition["id"]).values(signature_count=99)
        )
        db.session.commit()


def test_a_run_while_another_host_holds_the_job_says_so_and_a_dead_holder_lets_go(
    app, petition, database_url
):
    _drift(app, petition)
    env = _env(database_url)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, "counts reconcile"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        # Longer than the lock itself: the live holder's heartbeat keeps it.
        time.sleep(LOCK_SECONDS + 1)
        output = _reconcile(env)
        assert "counts reconcile: not run, another host holds it" in output
        assert "corrected" not in output
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    killed_at = time.monotonic()
    # Dead, it renews nothing: its lock lapses within LOCK_SECONDS and the next run works.
    while "not run" in (output := _reconcile(env)):
        assert time.monotonic() - killed_at < LOCK_SECONDS + 5, output
        time.sleep(0.2)
    assert f"{petition['slug']}: 0 (corrected from 99)" in output


def test_of_many_hosts_taking_a_lock_at_once_exactly_one_gets_it(app):
    with app.app_context():
        engine = db.engine
    for round_ in range(5):
        name = f"race {round_}"
        start = threading.Barrier(4)
        won: list[str] = []

        def take(
            who: str, name: str = name, start: threading.Barrier = start, won: list = won
        ) -> None:
            with engine.connect() as connection:
                autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
                start.wait()
                if try_take(autocommit, name, who, 60):
                    won.append(who)

        threads = [threading.Thread(target=take, args=(f"host {n}",)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(won) == 1, (name, won)


def test_an_expired_lock_is_taken_over_and_a_given_back_one_at_once(app):
    with app.app_context():
        engine = db.engine
    with engine.connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        assert try_take(autocommit, "retention run", "host a", 60)
        assert not try_take(autocommit, "retention run", "host b", 60)
        autocommit.execute(
            update(JobLock).values(expires_at=utcnow() - timedelta(seconds=1))
        )  # host a died a while ago
        assert try_take(autocommit, "retention run", "host b", 60)
        holder = autocommit.scalar(select(JobLock.holder).where(JobLock.name == "retention run"))
        assert holder == "host b"
        release(autocommit, "retention run", "host a")  # too late: host a no longer has it
        assert not try_take(autocommit, "retention run", "host c", 60)
        release(autocommit, "retention run", "host b")
        assert try_take(autocommit, "retention run", "host c", 60)


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["counts", "reconcile"], "counts reconcile"),
        (["retention", "run"], "retention run"),
        (["organiser", "send-updates"], "organiser send-updates"),
        (["governments-news", "send"], "governments-news send"),
    ],
)
def test_every_periodic_command_runs_one_host_at_a_time(app, command, name):
    runner = app.test_cli_runner()
    with app.app_context(), holding(name) as lock:
        assert lock.held
        held = runner.invoke(args=command)
    assert held.exit_code == 0, held.output
    assert held.output.startswith(f"{name}: not run, another host holds it ({lock.holder}, ")
    ran = runner.invoke(args=command)  # given back at the end of the block
    assert ran.exit_code == 0, ran.output
    assert "not run" not in ran.output
