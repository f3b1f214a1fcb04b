"""A signature belongs to the person who confirms it.

Two browsers: a stranger who types someone else's address with a name and
choices of their own, and the address's owner. Every submission is its own;
the link the owner uses confirms the owner's, and the stranger's is never
published, delivered or emailed on.
"""

from __future__ import annotations

import csv
import io
import threading
import zipfile
from datetime import UTC, datetime, timedelta
from functools import partial
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest
from sqlalchemy import func, select

from campaign import emails
from campaign.extensions import db
from campaign.ip_addresses import unpack_ip
from campaign.models import Lifecycle, OutboxMessage, Petition, Signature, SigningAllowance
from campaign.petitions import allowance
from campaign.tokens import Purpose

from ..helpers.journey import (
    CSRF,
    FORM_TOKEN,
    aged_token,
    links_in,
    local_path,
    next_path,
    press_button,
    send_outbox,
    sign,
)
from ..helpers.servers import serving

# What a pressed confirm link may answer once another submission won: never an error.
ANSWERS = ("Thank you", "already confirmed", "no longer")
STRANGER_IP, OWNER_IP = "203.0.113.66", "198.51.100.7"
OWNER = "olivia@example.org"


@pytest.fixture
def app(make_app):
    # Behind one proxy, as in production: each browser's address comes from X-Forwarded-For.
    return make_app(PROXY_COUNT=1)


def browser(app, ip: str):
    client = app.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = ip
    return client


def stranger_signs(app, petition, times: int = 1, **fields):
    stranger = browser(app, STRANGER_IP)
    for _ in range(times):
        response = sign(
            stranger,
            petition["slug"],
            name="Mallory Meddler",
            email="Olivia@Example.org",
            public="y",
            updates="y",
            **fields,
        )
        assert response.status_code == 303
    return stranger


def owner_signs(app, petition, **fields):
    owner = browser(app, OWNER_IP)
    response = sign(owner, petition["slug"], name="Olivia Owner", email=OWNER, **fields)
    assert response.status_code == 303
    return owner, response


def submissions(app) -> list[Signature]:
    with app.app_context():
        return list(db.session.scalars(select(Signature).order_by(Signature.id)))


def mail_to_owner(app, smtp) -> list:
    send_outbox(app)
    return [m for m in smtp.messages if m["To"].addresses[0].addr_spec.lower() == OWNER]


def confirm_link_for(messages, name: str) -> str:
    """The confirm link of the email that greets ``name`` (each submission's own)."""
    [message] = [m for m in messages if f"Hello {name}," in m.get_body(("plain",)).get_content()]
    [link] = links_in(message)
    return local_path(link)


def test_the_owner_confirms_what_the_owner_submitted(app, smtp, petition, runner, tmp_path):
    stranger_signs(app, petition)
    owner, _ = owner_signs(app, petition, country="FR")
    first, second = submissions(app)
    # Nothing merged: each submission keeps its own name, choices and address.
    assert (first.name, first.public, first.updates) == ("Mallory Meddler", True, True)
    assert (second.name, second.public, second.updates) == ("Olivia Owner", False, False)
    messages = mail_to_owner(app, smtp)
    assert len(messages) == 2

    page = owner.get(confirm_link_for(messages, "Olivia Owner"))
    html = page.get_data(as_text=True)
    # The confirm page shows what is being confirmed.
    for shown in ("<bdi>Olivia Owner</bdi>", "France", "Your name will not be shown"):
        assert shown in html
    assert "No news will be sent to you" in html and "Mallory" not in html
    response = press_button(owner, confirm_link_for(messages, "Olivia Owner"))
    assert next_path(response).endswith("/thank-you")

    [signature] = submissions(app)  # the stranger's pending submission was discarded
    assert signature.status == Lifecycle.CONFIRMED
    assert (signature.name, signature.country) == ("Olivia Owner", "FR")
    assert (signature.public, signature.updates) == (False, False)
    assert unpack_ip(signature.ip_address) == OWNER_IP
    with app.app_context():
        assert db.session.get(Petition, petition["id"]).signature_count == 1
        # The stranger's queued mail went with their submission.
        assert db.session.scalars(select(OutboxMessage.signature_id).distinct()).all() == [
            signature.id
        ]
    # The stranger's link no longer confirms anything.
    gone = owner.get(confirm_link_for(messages, "Mallory Meddler"))
    assert gone.status_code == 410 and "no longer exists" in gone.get_data(as_text=True)
    _nowhere_but_the_delivery(app, runner, petition, tmp_path)


def _nowhere_but_the_delivery(app, runner, petition, tmp_path) -> None:
    """The owner chose not to be listed: no public list names anyone; governments get the
    owner's name, never the stranger's."""
    client = app.test_client()
    base = f"/petitions/{petition['slug']}/signatories"
    for path in (base, f"{base}.csv", f"{base}.json", f"/petitions/{petition['slug']}.json"):
        body = client.get(path).get_data(as_text=True)
        assert "Mallory" not in body and "Olivia" not in body, path
    result = runner.invoke(
        args=["export", "delivery", petition["slug"], "--country", "FR", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    [package] = tmp_path.glob("*.zip")
    with zipfile.ZipFile(package) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("FR/signatures.csv").decode())))
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert [row[0] for row in rows[1:]] == ["Olivia Owner"]
    assert b"Mallory" not in everything


def test_an_earlier_submission_never_overrides_a_later_one(app, smtp, petition):
    owner, _ = owner_signs(app, petition, public="y")
    stranger_signs(app, petition)
    messages = mail_to_owner(app, smtp)
    press_button(owner, confirm_link_for(messages, "Olivia Owner"))
    [signature] = submissions(app)
    assert (signature.name, signature.public, signature.updates) == ("Olivia Owner", True, False)
    client = app.test_client()
    listed = client.get(f"/petitions/{petition['slug']}/signatories").get_data(as_text=True)
    assert "Olivia Owner" in listed and "Mallory" not in listed


def test_not_me_discards_that_submission_only(app, smtp, petition):
    stranger_signs(app, petition)
    owner, _ = owner_signs(app, petition)
    messages = mail_to_owner(app, smtp)
    page = owner.get(confirm_link_for(messages, "Mallory Meddler"))
    html = page.get_data(as_text=True)
    assert "<bdi>Mallory Meddler</bdi>" in html and "Your name will be shown" in html
    assert "You will receive news by email" in html
    response = press_button(owner, confirm_link_for(messages, "Mallory Meddler"), "discard")
    assert response.status_code == 200
    assert "Nothing was signed in your name" in response.get_data(as_text=True)
    [left] = submissions(app)
    assert (left.name, left.status) == ("Olivia Owner", Lifecycle.PENDING)
    with app.app_context():
        assert db.session.get(Petition, petition["id"]).signature_count == 0
    # The owner's own link still confirms the owner's own submission.
    assert press_button(owner, confirm_link_for(messages, "Olivia Owner")).status_code == 303
    assert submissions(app)[0].status == Lifecycle.CONFIRMED


def test_a_confirmed_signer_who_signs_again_gets_an_email_with_their_page(app, smtp, petition):
    owner, _ = owner_signs(app, petition)
    press_button(owner, confirm_link_for(mail_to_owner(app, smtp), "Olivia Owner"))
    smtp.reset()
    # Someone signs with the address again: the page says only "check your email".
    response = stranger_signs(app, petition).get(f"/petitions/{petition['slug']}")
    assert response.status_code == 200
    [note] = mail_to_owner(app, smtp)
    assert "already signed" in note["Subject"]
    text = note.get_body(("plain",)).get_content()
    assert "Hello Olivia Owner," in text and "Mallory" not in text
    assert "/petitions/confirm/" not in text
    [page_link] = links_in(note, "signature")
    page = owner.get(local_path(page_link))
    html = page.get_data(as_text=True)
    assert "<bdi>Olivia Owner</bdi>" in html and "Mallory" not in html
    assert " checked" not in html  # neither listed nor subscribed, as she chose

    # The owner changes how they appear: listed, with news.
    saved = press_button(owner, local_path(page_link), "save", public="y", updates="y")
    assert "Your choices are saved" in saved.get_data(as_text=True)
    assert saved.get_data(as_text=True).count(" checked") == 2
    confirmed = [s for s in submissions(app) if s.status == Lifecycle.CONFIRMED]
    assert [(s.name, s.public, s.updates) for s in confirmed] == [("Olivia Owner", True, True)]
    listed = owner.get(f"/petitions/{petition['slug']}/signatories").get_data(as_text=True)
    assert "Olivia Owner" in listed

    # And withdraws: the count drops, the data goes, with the stranger's pending submission.
    withdrawn = press_button(owner, local_path(page_link))
    assert "has been withdrawn" in withdrawn.get_data(as_text=True)
    [row] = submissions(app)
    assert (row.status, row.name, row.email) == (Lifecycle.WITHDRAWN, None, None)
    with app.app_context():
        assert db.session.get(Petition, petition["id"]).signature_count == 0


def test_a_stranger_cannot_spend_the_owners_emails(app, smtp, petition):
    stranger_signs(app, petition, times=6)
    owner_signs(app, petition)
    messages = mail_to_owner(app, smtp)
    # The stranger's connection gets its share of the day's allowance, not all of it.
    greetings = [m.get_body(("plain",)).get_content().split(",")[0] for m in messages]
    assert greetings == ["Hello Mallory Meddler"] * 3 + ["Hello Olivia Owner"]
    assert [s.emails_sent for s in submissions(app)] == [1, 1, 1, 0, 0, 0, 1]


def test_the_email_allowance_has_a_ceiling_per_mailbox_and_renews(app, smtp, petition):
    for n in range(5):  # five connections, three emails each at most
        for _ in range(3):
            sign(browser(app, f"192.0.2.{n + 1}"), petition["slug"], email=OWNER)
    assert len(mail_to_owner(app, smtp)) == 10
    smtp.reset()
    owner_signs(app, petition)
    assert mail_to_owner(app, smtp) == []  # mail-bombing stops at the ceiling for the day
    assert [s.emails_sent for s in submissions(app)][-1] == 0


def test_the_allowance_renews_with_the_next_day_and_old_counters_go(app, petition):
    mailbox, ip = "olivia@example.org", b"\x01" * 16
    today = datetime(2026, 12, 2, 0, 0, 1, tzinfo=UTC)
    with app.app_context():
        assert [allowance.take(petition["id"], mailbox, ip, today) for _ in range(4)] == [
            True,
            True,
            True,
            False,
        ]
        tomorrow = today + timedelta(days=1)
        assert allowance.take(petition["id"], mailbox, ip, tomorrow)
        # Another call's allowance is its own.
        assert allowance.take(petition["id"] + 1, mailbox, ip, today)
        db.session.commit()
        # Once the day is over its counters go (the mailbox's and the client's, on each call).
        assert allowance.forget_expired(tomorrow + timedelta(seconds=1)) == 4
        assert db.session.scalar(select(func.count()).select_from(SigningAllowance)) == 2


def test_thank_you_is_only_for_the_browser_that_confirmed(app, smtp, petition):
    owner, _ = owner_signs(app, petition)
    press_button(owner, confirm_link_for(mail_to_owner(app, smtp), "Olivia Owner"))
    thanks = f"/petitions/{petition['slug']}/thank-you"
    page = owner.get(thanks)
    assert page.status_code == 200 and "your signature is confirmed" in page.get_data(as_text=True)
    other = app.test_client().get(thanks)
    assert other.status_code == 303
    assert next_path(other) == f"/petitions/{petition['slug']}"


def test_check_email_repeats_the_address_only_for_a_genuine_link(app, petition):
    _, response = owner_signs(app, petition)
    page = app.test_client().get(response.headers["Location"])
    assert f"<bdi>{OWNER}</bdi>" in page.get_data(as_text=True)
    forged = response.headers["Location"].replace("?s=", "?s=x")
    html = app.test_client().get(forged).get_data(as_text=True)
    assert "Check your email" in html and OWNER not in html


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Ada@Example.ORG", "ada@example.org"),
        ("a.d.a+petitions@gmail.com", "ada@gmail.com"),
        ("ADA@googlemail.com", "ada@gmail.com"),
        ("ada+news@outlook.com", "ada@outlook.com"),
        ("a.da@example.org", "a.da@example.org"),  # dots matter outside Gmail
        ("ada+tag@example.org", "ada+tag@example.org"),  # and so do tags
        ("ada@BÜCHER.example", "ada@xn--bcher-kva.example"),
    ],
)
def test_canonical_forms(typed, canonical):
    assert emails.canonical(typed) == canonical


def test_one_confirmed_signature_per_mailbox_across_provider_spellings(app, smtp, petition):
    first = browser(app, OWNER_IP)
    sign(first, petition["slug"], name="Ada One", email="ada.lovelace@gmail.com")
    sign(first, petition["slug"], name="Ada Two", email="AdaLovelace+call@GMAIL.com")
    send_outbox(app)
    links = [local_path(link) for message in smtp.messages for link in links_in(message)]
    assert len(links) == 2
    assert press_button(first, links[1]).status_code == 303
    # The other link's submission was discarded when this one was confirmed.
    assert first.get(links[0]).status_code == 410
    [signature] = submissions(app)
    assert (signature.name, signature.email) == ("Ada Two", "AdaLovelace+call@gmail.com")


def test_the_same_address_on_two_calls_is_two_signatures(app, client, petition):
    with app.app_context():
        other = Petition(slug="second-call", title="Second call", state="open")
        db.session.add(other)
        db.session.commit()
    sign(client, petition["slug"])
    sign(client, "second-call")
    assert len(submissions(app)) == 2


# -- two browsers at once, over real HTTP ------------------------------------------------


def _opener(ip: str):
    """A browser of its own: its cookies, its address (through the one trusted proxy)."""
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    opener.addheaders = [("X-Forwarded-For", ip)]
    return opener


def _post_sign(server, opener, slug: str, **fields) -> int:
    html = opener.open(f"{server.url}/petitions/{slug}").read().decode()
    data = {"country": "CH", "consent": "y", "form_token": FORM_TOKEN.search(html).group(1)}
    with opener.open(
        f"{server.url}/petitions/{slug}/sign", urlencode({**data, **fields}).encode()
    ) as r:
        return r.status


def _press(server, opener, path: str) -> tuple[int, str]:
    """Open a confirm link and press its button: the final status and page."""
    try:
        html = opener.open(server.url + path).read().decode()
        token = CSRF.search(html).group(1)
        body = urlencode({"csrf_token": token, "submit": "pressed"}).encode()
        with opener.open(server.url + path, body) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, error.read().decode()


def _at_once(*calls) -> list:
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call) -> None:
        start.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_browsers_at_once_each_keep_their_own(make_app, smtp, petition):
    with serving(make_app, PROXY_COUNT=1) as server:
        app, slug = server.app, petition["slug"]
        stranger, owner = _opener(STRANGER_IP), _opener(OWNER_IP)
        stranger_post = partial(
            _post_sign, server, stranger, slug, name="Mallory Meddler", email=OWNER, public="y"
        )
        owner_post = partial(_post_sign, server, owner, slug, name="Olivia Owner", email=OWNER)
        assert _at_once(*[stranger_post] * 5, owner_post) == [200] * 6  # after the redirect
        rows = submissions(app)
        assert sorted(s.name for s in rows) == ["Mallory Meddler"] * 5 + ["Olivia Owner"]
        messages = mail_to_owner(app, smtp)
        assert len(messages) == 4  # the stranger's share of three, and the owner's own
        owners_link = confirm_link_for(messages, "Olivia Owner")
        strangers_links = [
            local_path(link)
            for m in messages
            if "Hello Mallory" in m.get_body(("plain",)).get_content()
            for link in links_in(m)
        ]
        # The owner presses her link while the stranger's links are pressed in other tabs
        # of her mailbox: one signature is confirmed, whichever came first, and no page fails.
        pages = _at_once(
            partial(_press, server, owner, owners_link),
            *(partial(_press, server, _opener(OWNER_IP), link) for link in strangers_links),
        )
        answers = {(status, next(m for m in ANSWERS if m in html)) for status, html in pages}
        assert answers <= {(200, "Thank you"), (200, "already confirmed"), (410, "no longer")}
        confirmed = [s for s in submissions(app) if s.status == Lifecycle.CONFIRMED]
        assert len(confirmed) == 1 and len(submissions(app)) == 1
        with app.app_context():
            assert db.session.get(Petition, petition["id"]).signature_count == 1


def test_a_confirmation_that_loses_to_another_of_its_mailbox_is_discarded(app, smtp, petition):
    """Two tabs confirm two submissions of one mailbox: the database's unique index lets
    one through; the other is told, and discarded, and counts nothing."""
    owner, _ = owner_signs(app, petition)
    stranger_signs(app, petition)
    messages = mail_to_owner(app, smtp)
    first, _strangers = submissions(app)
    with app.app_context():  # the other tab's confirmation, caught before it discards
        table = Signature.__table__
        db.session.execute(
            table.update().where(table.c.id == first.id).values(status=Lifecycle.CONFIRMED)
        )
        db.session.commit()
    response = press_button(owner, confirm_link_for(messages, "Mallory Meddler"))
    assert response.status_code == 200
    assert "already confirmed" in response.get_data(as_text=True)
    assert [s.id for s in submissions(app)] == [first.id]
    with app.app_context():
        assert db.session.get(Petition, petition["id"]).signature_count == 0


def _confirmed_owner(app, smtp, petition):
    owner, _ = owner_signs(app, petition)
    press_button(owner, confirm_link_for(mail_to_owner(app, smtp), "Olivia Owner"))
    smtp.reset()
    [signature] = submissions(app)
    return owner, signature.public_id


def test_links_to_a_signature_work_as_long_as_we_hold_it(app, smtp, petition):
    owner, public_id = _confirmed_owner(app, smtp, petition)
    years_old = aged_token(Purpose.SIGNATURE, public_id, 3 * 365 * 86400)
    # The page's address today, and the one withdraw links had before it.
    for page in ("signature", "withdraw"):
        response = owner.get(f"/petitions/{page}/{years_old}")
        assert response.status_code == 200
        assert "Withdraw my signature" in response.get_data(as_text=True)


def test_an_expired_link_to_a_signature_offers_a_fresh_one(make_app, smtp, petition):
    app = make_app(PROXY_COUNT=1, SIGNATURE_LINK_MAX_AGE_DAYS=365)
    owner, public_id = _confirmed_owner(app, smtp, petition)
    expired = f"/petitions/signature/{aged_token(Purpose.SIGNATURE, public_id, 400 * 86400)}"
    page = owner.get(expired)
    html = page.get_data(as_text=True)
    assert page.status_code == 410
    assert "This link to your signature has expired" in html and "Confirmation links" not in html
    token = CSRF.search(html).group(1)
    sent = owner.post(expired, data={"csrf_token": token, "submit": "pressed"})
    assert "a fresh link to it is on its way" in sent.get_data(as_text=True)
    [message] = mail_to_owner(app, smtp)
    assert "Your signature on" in message["Subject"]
    [fresh] = links_in(message, "signature")
    withdrawn = press_button(app.test_client(), local_path(fresh))
    assert "has been withdrawn" in withdrawn.get_data(as_text=True)
    # Once withdrawn, the old link has nothing to send a fresh link for.
    owner.post(expired, data={"csrf_token": token, "submit": "pressed"})
    assert mail_to_owner(app, smtp) == [message]
