"""Several hosts for real: what one host does, the other sees, and nothing rests on one of them.

Two app hosts behind the deploy guide's nginx, PostgreSQL through PgBouncer
(transaction mode), Redis for the limits, two outbox workers and a package
worker (tests/helpers/hosts.py), with the limits on as in production. One
walk, in the order an operator would check: sign on one host and confirm on
the other; the limit per address holds across hosts; the same press CSV from
both; a package built through one downloads from the other; signing out on one
ends the session on the other; a worker killed mid-batch loses nothing and
sends nothing twice; with Redis stopped, signing is still answered.
PostgreSQL only, like test_scale_out.py: bin/test runs it in its PostgreSQL pass.
"""

from __future__ import annotations

import http.client
import json
import re
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import OutboxMessage

from .helpers.hosts import Client, Hosts
from .helpers.nginx import Nginx
from .helpers.pgbouncer import PgBouncer

pytestmark = pytest.mark.postgres_only

CONFIRM_PATH = re.compile(r"https?://[^/\s]+(/petitions/confirm/[A-Za-z0-9_.\-]+)")
PASSWORD = "a long enough password for the hosts test"


@pytest.fixture
def hosts(database_url, redis_server, smtp, petition, tmp_path):
    with PgBouncer(database_url) as bouncer:
        cluster = Hosts(tmp_path, bouncer.url, redis_server.url, smtp.port)
        try:
            cluster.start()
            with Nginx(cluster.ports) as proxy:
                cluster.proxy = proxy
                yield cluster
        finally:
            cluster.stop()


def wait_for(condition, seconds: float, what: str) -> float:
    """Seconds it took for ``condition`` to hold; fails after ``seconds``."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            pytest.fail(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.2)
    return time.monotonic() - started


def confirm_link(smtp, email: str) -> str:
    for message in smtp.messages:
        if message["To"].addresses[0].addr_spec == email:
            text = message.get_body(("plain",)).get_content()
            return CONFIRM_PATH.search(text).group(1)
    raise AssertionError(f"no email to {email}")


def held_by(app, worker: str) -> int:
    """Messages leased to ``worker`` and not yet sent."""
    with app.app_context():
        rows = db.session.scalars(
            select(OutboxMessage.id).where(
                OutboxMessage.lease_owner == worker, OutboxMessage.status != "sent"
            )
        ).all()
        db.session.remove()
    return len(rows)


def through_proxy(proxy, path: str) -> bytes:
    connection = http.client.HTTPSConnection(
        "127.0.0.1", proxy.port, context=proxy.tls(), timeout=30
    )
    try:
        connection.request("GET", path, headers={"Host": "localhost"})
        response = connection.getresponse()
        assert response.status == 200, (path, response.status)
        return response.read()
    finally:
        connection.close()


def test_two_hosts_share_everything_that_matters(app, hosts, smtp, petition, redis_server):
    a, b = hosts.ports
    slug = petition["slug"]

    # Signed on one host, confirmed on the other.
    signer = Client("198.51.100.1")
    assert signer.sign(a, slug, "ines@example.org") == 303
    wait_for(lambda: len(smtp.messages) == 1, 20, "the confirmation email")
    path = confirm_link(smtp, "ines@example.org")
    assert signer.post_form(b, path, {})[0] == 303
    assert json.loads(signer.page(b, f"/petitions/{slug}/count.json"))["signature_count"] == 1

    # The limit per address (10 a minute) holds across the hosts, counted in Redis.
    crowd = Client("198.51.100.2")
    statuses = [crowd.sign((a, b)[n % 2], slug, f"crowd.{n}@example.org") for n in range(14)]
    assert Counter(statuses) == {303: 10, 429: 4}, statuses
    assert redis_server.keys("*198.51.100.2*"), "the limits are counted in Redis"

    # The press CSV: the same bytes from both hosts, and through the proxy (which asks both).
    press = Client()
    csv_a = press.request(a, "GET", f"/petitions/{slug}/signatories.csv")
    csv_b = press.request(b, "GET", f"/petitions/{slug}/signatories.csv")
    assert csv_a[0] == csv_b[0] == 200
    assert csv_a[2] == csv_b[2] and b"Signer ines" in csv_a[2]
    for _ in range(2):
        assert through_proxy(hosts.proxy, f"/petitions/{slug}/signatories.csv") == csv_a[2]

    # An organiser signs in on one host; the package built through it downloads from the other.
    hosts.flask("organiser", "create", "admin@hosts.example", "--role", "admin",
                "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    admin = Client("198.51.100.3")
    signed_in = admin.post_form(
        a, "/organiser/sign-in", {"email": "admin@hosts.example", "password": PASSWORD}
    )
    assert signed_in[0] == 303, signed_in[2][:500]
    made = admin.post_form(
        a, f"/organiser/exports/{slug}/delivery", {"country": "CH", "language": "en"}
    )
    assert made[0] == 303, made[2][:500]
    job = urlsplit(made[1]["Location"]).path
    wait_for(lambda: json.loads(admin.page(b, job + ".json"))["finished"], 60, "the package job")
    done = admin.page(b, job)
    names = set(re.findall(rf"/organiser/exports/{slug}/delivery/([^\"/?]+\.zip)", done))
    assert names, done
    for name in names:
        from_a = admin.request(a, "GET", f"/organiser/exports/{slug}/delivery/{name}")
        from_b = admin.request(b, "GET", f"/organiser/exports/{slug}/delivery/{name}")
        assert from_a[0] == from_b[0] == 200 and from_a[2] == from_b[2]
        assert from_b[2][:2] == b"PK"

    # Signing out on one host ends the session on the other: a copy of the cookie opens nothing.
    copied = dict(admin.cookies)
    assert admin.post_form(b, "/organiser/sign-out", {}, token_from="/organiser/")[0] == 303
    thief = Client()
    thief.cookies = copied
    status, headers, _ = thief.request(a, "GET", "/organiser/")
    assert status in (302, 303) and "/organiser/sign-in" in headers["Location"]

    # A worker killed mid-batch: its mail goes out through the other, once, within a minute.
    smtp.reset()
    smtp.handler.delay_seconds = 0.1  # 40 messages take seconds: the kill finds a batch in hand
    people = [f"wave.{n}@example.org" for n in range(40)]
    for n, email in enumerate(people):
        assert Client(f"203.0.113.{n + 1}").sign((a, b)[n % 2], slug, email) == 303
    doomed = re.search(r"outbox worker (\S+) started", hosts.log("outbox-0")).group(1)
    wait_for(lambda: held_by(app, doomed) > 0, 20, "the first worker to take a batch")
    hosts.kill("outbox-0")
    killed = time.monotonic()
    assert held_by(app, doomed) > 0, "the killed worker held mail it had not sent"
    wait_for(lambda: len(smtp.messages) >= len(people), 60, "every email of the wave")
    assert time.monotonic() - killed < 60
    time.sleep(1.5)  # a second worker would have sent any extra by now
    recipients = Counter(m["To"].addresses[0].addr_spec for m in smtp.messages)
    assert set(recipients) == set(people), recipients
    # The one message on the wire when the power went: the server may have taken it with
    # no answer back, and SMTP has no way to ask. It goes again rather than be lost;
    # every other message of the dead worker's batch goes exactly once.
    twice = [person for person, count in recipients.items() if count > 1]
    assert len(twice) <= 1 and max(recipients.values()) <= 2, recipients

    # Redis stopped: signing is still answered (limits fall back per process), /readyz says so.
    redis_server.stop()
    late = Client("198.51.100.9")
    assert late.sign(a, slug, "late@example.org") == 303
    assert late.sign(b, slug, "later@example.org") == 303
    status, _, body = late.request(a, "GET", "/readyz")
    assert status == 200 and b"degraded" in body
    assert "Traceback" not in hosts.log("host-0") + hosts.log("host-1")
