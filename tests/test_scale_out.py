"""Scale-out: two web processes and two outbox workers share one PostgreSQL.

Nothing in a web process may be state that the others lack: a form token
made by one is accepted by the other, a confirmation page opened on one is
confirmed on the other, concurrent duplicates on both make one signature,
and two workers send every email exactly once. Real gunicorn, real HTTP,
real SMTP. PostgreSQL only: it is what several hosts share (SQLite is for
one machine), and bin/test runs this file in its PostgreSQL pass.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from campaign import emails
from campaign.extensions import db
from campaign.models import (
    CountryCount,
    Lifecycle,
    OutboxMessage,
    OutboxStatus,
    Petition,
    Signature,
    Validity,
)

from .helpers.app import ROOT, SECRET_KEY
from .helpers.journey import CSRF, FORM_TOKEN
from .helpers.servers import free_port

pytestmark = pytest.mark.postgres_only

CONFIRM_PATH = re.compile(r"https?://[^/\s]+(/petitions/confirm/[A-Za-z0-9_.\-]+)")
COUNTRIES = ["CH", "FR", "DE", "KE", "BR"]


@pytest.fixture
def postgresql(database_url):
    return database_url


class Cluster:
    """Two gunicorn servers and two outbox workers, stopped however the test ends."""

    def __init__(self, database_url: str, smtp_port: int) -> None:
        self.ports = [free_port(), free_port()]
        self.env = {
            **os.environ,
            "CAMPAIGN_ENV": "production",
            "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": database_url,
            "BASE_URL": f"http://127.0.0.1:{self.ports[0]}",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(smtp_port),
            "OUTBOX_BATCH_SIZE": "7",  # small batches, so both workers take part
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "4",
            # The abuse protections read these: many signatures from one address are the test.
            "RATELIMIT_ENABLED": "false",
            "SIGN_MIN_SECONDS": "0",
        }
        self.processes: list[subprocess.Popen] = []

    def spawn(self, *argv: str) -> None:
        self.processes.append(
            subprocess.Popen(
                argv,
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        )

    def start(self) -> None:
        for port in self.ports:
            self.spawn(
                sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                "--bind", f"127.0.0.1:{port}", "wsgi:app",
            )  # fmt: skip
        for _ in range(2):
            self.spawn(sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "work")
        deadline = time.monotonic() + 20
        for port in self.ports:
            while True:
                try:
                    if request(port, "GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn on port {port} did not start: {self.errors()}")
                time.sleep(0.1)

    def errors(self) -> str:
        self.stop()
        return "\n".join(p.stderr.read().decode()[-2000:] for p in self.processes if p.stderr)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def request(port: int, method: str, path: str, body=None, cookie: str | None = None):
    """(status, headers, text) of one HTTP request to 127.0.0.1:port."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    headers = {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urlencode(body)
    if cookie:
        headers["Cookie"] = cookie
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def sign_over_http(port: int, slug: str, email: str, country: str) -> int:
    status, _, page = request(port, "GET", f"/petitions/{slug}")
    assert status == 200
    token = FORM_TOKEN.search(page).group(1)
    fields = {"name": "Scale Out", "email": email, "country": country, "consent": "y"}
    status, _, _ = request(port, "POST", f"/petitions/{slug}/sign", {**fields, "form_token": token})
    return status


def confirm_over_http(open_on: int, press_on: int, path: str) -> int | str:
    """Open the link on one process and press the button on the other."""
    status, headers, page = request(open_on, "GET", path)
    if "already confirmed" in page:  # by a concurrent press
        return "already confirmed"
    assert status == 200, page[:300]
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    csrf = CSRF.search(page).group(1)
    status, _, page = request(press_on, "POST", path, {"csrf_token": csrf}, cookie)
    return "already confirmed" if "already confirmed" in page else status


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def test_two_processes_and_two_workers_count_and_send_everything_once(
    postgresql, app, smtp, petition
):
    cluster = Cluster(postgresql, smtp.port)
    try:
        cluster.start()
        slug = petition["slug"]
        a, b = cluster.ports

        # 50 people sign, alternating between the processes; 10 of them sign again
        # at the same moment on the other process, with their address spelled another way.
        people = [f"person.{n}@gmail.com" for n in range(50)]
        submissions = [
            (a if n % 2 else b, email, COUNTRIES[n % len(COUNTRIES)])
            for n, email in enumerate(people)
        ]
        for n in range(0, 50, 5):
            local = people[n].split("@")[0]
            again = f"{local.replace('.', '').upper()}+again@GMail.com"
            submissions.insert(n + 1, (b if n % 2 else a, again, COUNTRIES[n % len(COUNTRIES)]))
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda s: sign_over_http(s[0], slug, s[1], s[2]), submissions))
        assert statuses == [303] * 60

        # Every submission causes one email (a repeat is a submission of its own).
        wait_for(lambda: len(smtp.messages) >= 60, 20, "60 emails")
        time.sleep(1.5)  # a second worker idling for a second would have sent any extra by now

        # Confirm 30 people, each opened on one process and pressed on the other;
        # 5 of them press twice at the same moment, once through each process.
        links: dict[str, str] = {}  # one submission's link per mailbox
        for message in smtp.messages:
            text = message.get_body(("plain",)).get_content()
            match = CONFIRM_PATH.search(text)
            assert match, text
            links.setdefault(emails.canonical(message["To"].addresses[0].addr_spec), match.group(1))
        chosen = sorted(links)[:30]
        presses = [(a, b, links[e]) for e in chosen] + [(b, a, links[e]) for e in chosen[:5]]
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda p: confirm_over_http(*p), presses))
        assert set(results) <= {303, "already confirmed"} and results.count(303) >= 30
    finally:
        cluster.stop()

    ids = Counter(m["Message-ID"] for m in smtp.messages)
    assert len(smtp.messages) == 60, "one email per submission, none lost"
    assert max(ids.values()) == 1, "no email sent twice"
    # Confirming one of a mailbox's two submissions discarded the other, and its mail.
    discarded = len({emails.canonical(person) for person in people[::5]} & set(chosen))

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Signature)) == 60 - discarded
        counted = (Signature.status == Lifecycle.CONFIRMED) & (Signature.validity == Validity.OK)
        recount = db.session.scalar(select(func.count()).where(counted))
        by_country = dict(
            db.session.execute(
                select(Signature.country, func.count()).where(counted).group_by(Signature.country)
            ).all()
        )
        call = db.session.get(Petition, petition["id"])
        assert call.signature_count == recount == 30
        counters = dict(
            db.session.execute(
                select(CountryCount.country, CountryCount.signature_count).where(
                    CountryCount.petition_id == call.id, CountryCount.signature_count > 0
                )
            ).all()
        )
        assert counters == by_country
        statuses = Counter(db.session.scalars(select(OutboxMessage.status)))
        assert statuses == {OutboxStatus.SENT: 60 - discarded}
