"""The organisers' dashboard and `flask outbox status` show each call's bounces."""

from __future__ import annotations

import pytest

from ..helpers.backoffice import signed_in
from ..helpers.journey import send_outbox, sign
from .helpers import ADDRESS, BOUNCES, bounce, dsn, signed_and_sent, tag_of


@pytest.fixture
def app(make_app):
    return make_app(MAIL_BOUNCE_ADDRESS=BOUNCES)


def test_organisers_see_bounces_per_call(app, client, smtp, petition, organisers):
    first = signed_and_sent(app, client, petition, smtp)
    second = signed_and_sent(app, client, petition, smtp, email="bob@example.org")
    for row, address, status, text in [
        (first, ADDRESS, "5.1.1", None),
        (second, "bob@example.org", "5.2.1", "smtp; 550 5.2.1 <bob@example.org>: account disabled"),
    ]:
        verp = f"bounces+{tag_of(row.message_id)}@campaign.example"
        data = dsn(to=verp, final_recipient=address, status=status, diagnostic=text)
        assert "recorded" in bounce(app, data).output
    sign(client, petition["slug"], email=ADDRESS)
    assert send_outbox(app).suppressed == 1

    page = signed_in(app.test_client(), organisers["moderator"]).get(
        f"/organiser/calls/{petition['id']}"
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Bounced after sending" in html
    assert "2 messages were accepted, then reported undeliverable for good" in html
    assert "1 later message to them was not sent." in html
    assert "<code>5.1.1</code>" in html and "<code>5.2.1</code>" in html
    assert "550 5.2.1 &lt;[email]&gt;: account disabled" in html
    assert ADDRESS not in html and "bob@example.org" not in html

    status = app.test_cli_runner().invoke(args=["outbox", "status"]).output
    assert "bounced after sending: 2 (latest 2)" in status
    assert f"#{first.id} confirm signature {first.signature_id} at " in status
    assert "5.2.1 550 5.2.1 <[email]>: account disabled" in status
    assert "not sent, the signature had bounced: 1" in status
    assert ADDRESS not in status and "bob@example.org" not in status


def test_a_call_without_bounces_says_so(app, petition, organisers):
    html = (
        signed_in(app.test_client(), organisers["editor"])
        .get(f"/organiser/calls/{petition['id']}")
        .get_data(as_text=True)
    )
    assert "None: no mail server has reported a message undeliverable" in html
