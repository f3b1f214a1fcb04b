"""News to signers of what their government did: a recorded delivery or answer is told,
through the outbox and the real SMTP server, to exactly the counted signers of its
country who asked, once each even when a batch runs twice or is interrupted, in their
language, with a one-click unsubscribe that works."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.governments import news
from campaign.models import (
    Delivery,
    DeliveryPackage,
    GovernmentNews,
    GovernmentNewsRecipient,
    GovernmentResponse,
    OutboxMessage,
    Signature,
)
from campaign.petitions.lifecycle import withdraw

from ..helpers.backoffice import add_signature
from ..helpers.journey import send_outbox

UNSUBSCRIBE = re.compile(
    r"http://localhost(?:/[a-z]{2})?/petitions/unsubscribe/government-news/[A-Za-z0-9_.\-]+"
)
TOLD = ["Ana <ana@example.org>", "Bo <bo@example.org>", "Chloé <chloe@example.fr>"]


def signers(app, petition_id: int) -> None:
    """Three in Switzerland who asked, and others who must not hear of it."""
    with app.app_context():

        def add(email: str, *, asked: bool = True, **fields) -> int:
            signature_id = add_signature(petition_id, email, **fields)
            db.session.get(Signature, signature_id).government_news = asked
            return signature_id

        add("ana@example.org", name="Ana", updates=True)
        add("bo@example.org", name="Bo")
        add("chloe@example.fr", name="Chloé", language="fr")
        add("no-news@example.org", asked=False)
        add("pending@example.org", confirmed=False)
        add("spam@example.org", validity="invalidated")
        add("held@example.org", validity="suspect")
        add("elsewhere@example.org", country="FR")
        gone = add("gone@example.org")
        withdraw(db.session.get(Signature, gone))
        db.session.commit()


def record_delivery(app, petition_id: int, country: str = "CH") -> int:
    """A delivery as an organiser records it (the rows, not the back office's form)."""
    with app.app_context():
        package = DeliveryPackage(
            petition_id=petition_id,
            recipient_country=country,
            signature_count=1234,
            language="en",
            mode="names",
            manifest_sha256="a" * 64,
        )
        db.session.add(package)
        db.session.flush()
        delivery = Delivery(
            petition_id=petition_id,
            package_id=package.id,
            country=country,
            delivered_on=date(2026, 3, 4),
            channel="by_hand",
            body="Federal Department of Foreign Affairs",
            handed_over_by="The campaign team",
            signature_count=1234,
            manifest_sha256="a" * 64,
        )
        db.session.add(delivery)
        db.session.flush()
        news.announce_delivery(delivery)
        db.session.commit()
        return delivery.id


def record_response(app, delivery_id: int) -> None:
    with app.app_context():
        response = GovernmentResponse(
            delivery_id=delivery_id,
            responded_on=date(2026, 5, 6),
            stance="partly_supports",
            summary="The Council will raise the matter at the next summit.",
            texts={"en": "Full text."},
            source_url="https://gov.example.ch/answer",
        )
        db.session.add(response)
        db.session.flush()
        news.announce_response(response)
        db.session.commit()


def run_command(app, *args: str):
    result = app.test_cli_runner().invoke(args=["governments-news", "send", *args])
    assert result.exit_code == 0, result.output
    return result.output


def news_messages(smtp) -> list:
    return [m for m in smtp.messages if "unsubscribe/government-news" in m["List-Unsubscribe"]]


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_a_delivery_is_told_to_the_counted_signers_of_its_country_who_asked(app, smtp, petition):
    signers(app, petition["id"])
    record_delivery(app, petition["id"])
    record_delivery(app, petition["id"], country="DE")  # nobody there asked
    # Recording it queued nothing: the command does, a batch at a time.
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert "2 messages queued" in run_command(app, "--batch", "2")
    # One batch waits in the outbox at a time: the next run queues nothing until it is sent.
    assert "0 messages queued" in run_command(app, "--batch", "2")
    send_outbox(app)
    assert "1 messages queued" in run_command(app, "--batch", "2")
    send_outbox(app)
    assert "0 messages queued, 0 in progress" in run_command(app, "--batch", "2")

    told = news_messages(smtp)
    assert Counter(m["To"] for m in told) == Counter(TOLD)
    by_name = {m["To"].split()[0]: m for m in told}
    english, french = body(by_name["Ana"]), body(by_name["Chloé"])
    assert by_name["Ana"]["Subject"].endswith("was handed to Federal Department of Foreign Affairs")
    assert "Hello Ana," in english
    assert "March 4, 2026" in english and "1,234 signatures" in english
    assert "Federal Department of Foreign Affairs (Switzerland)" in english
    assert "By hand" in english
    assert f"http://localhost/petitions/{petition['slug']}" in english
    # In the reader's language: her date, her country's name, her links.
    assert "4 mars 2026" in french and "(Suisse)" in french
    assert f"http://localhost/fr/petitions/{petition['slug']}" in french
    [link] = UNSUBSCRIBE.findall(french)
    assert "/fr/" in link and by_name["Chloé"]["List-Unsubscribe"] == f"<{link}>"
    for message in told:
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with app.app_context():
        assert set(db.session.scalars(select(GovernmentNews.status))) == {"sent"}


def test_announcing_again_or_running_again_sends_nothing_more(app, smtp, petition):
    signers(app, petition["id"])
    delivery_id = record_delivery(app, petition["id"])
    run_command(app)
    send_outbox(app)
    with app.app_context():
        # Announced again (a second press, a retried request): still the one announcement.
        news.announce_delivery(db.session.get(Delivery, delivery_id))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(GovernmentNews)) == 1
        # As if a second process still thought it unfinished.
        db.session.scalars(select(GovernmentNews)).one().status = "sending"
        assert news.queue_news_batch(10) == 0
        db.session.commit()
    run_command(app)
    send_outbox(app)
    assert Counter(m["To"] for m in news_messages(smtp)) == Counter(TOLD)


def test_an_interrupted_batch_resumes_without_sending_twice(app, smtp, petition, monkeypatch):
    signers(app, petition["id"])
    record_delivery(app, petition["id"])
    real_enqueue = news.enqueue
    calls = []

    def crash_on_the_second(**message):
        calls.append(message["to_address"])
        if len(calls) == 2:
            raise RuntimeError("the process died")
        return real_enqueue(**message)

    # A first run queues one batch and commits; the second dies half-way through its own.
    with app.app_context():
        assert news.queue_news_batch(1) == 1
        db.session.commit()
    send_outbox(app)
    monkeypatch.setattr(news, "enqueue", crash_on_the_second)
    with app.app_context(), pytest.raises(RuntimeError):
        news.queue_news_batch(5)
    monkeypatch.setattr(news, "enqueue", real_enqueue)
    with app.app_context():
        # Rolled back whole: the recipient rows went with the emails.
        assert db.session.scalar(select(func.count()).select_from(GovernmentNewsRecipient)) == 1
    run_command(app)
    send_outbox(app)
    assert Counter(m["To"] for m in news_messages(smtp)) == Counter(TOLD)


def test_an_answer_is_told_with_its_stance_and_summary(app, smtp, petition):
    signers(app, petition["id"])
    delivery_id = record_delivery(app, petition["id"])
    run_command(app)
    send_outbox(app)
    smtp.reset()
    record_response(app, delivery_id)
    run_command(app)
    send_outbox(app)
    told = news_messages(smtp)
    assert Counter(m["To"] for m in told) == Counter(TOLD)
    [ana] = [m for m in told if m["To"].startswith("Ana")]
    assert ana["Subject"].startswith("Federal Department of Foreign Affairs answered")
    text = body(ana)
    assert "On May 6, 2026, Federal Department of Foreign Affairs (Switzerland) answered" in text
    assert "It supports the call in part." in text
    assert "The Council will raise the matter at the next summit." in text
    assert "https://gov.example.ch/answer" in text
    html = ana.get_body(("html",)).get_content()
    assert "The Council will raise the matter" in html


def test_the_unsubscribe_link_asks_then_stops_the_news(app, client, smtp, petition):
    signers(app, petition["id"])
    delivery_id = record_delivery(app, petition["id"])
    run_command(app)
    send_outbox(app)
    [ana] = [m for m in news_messages(smtp) if m["To"].startswith("Ana")]
    [link] = UNSUBSCRIBE.findall(body(ana))
    path = link.removeprefix("http://localhost")
    page = client.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Stop emails about what your government does" in page.get_data(as_text=True)

    def asked() -> bool:
        with app.app_context():
            return db.session.scalar(
                select(Signature.government_news).where(Signature.email == "ana@example.org")
            )

    assert asked() is True  # a GET (a link scanner) changes nothing
    # A mail app's one-click unsubscribe (RFC 8058): a POST without any session.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "You are unsubscribed" in done.get_data(as_text=True)
    assert asked() is False
    with app.app_context():
        # Her other choice, news of the campaign, stays as it was.
        updates = select(Signature.updates).where(Signature.email == "ana@example.org")
        assert db.session.scalar(updates) is True
    # The answer then reaches the others only.
    smtp.reset()
    record_response(app, delivery_id)
    run_command(app)
    send_outbox(app)
    assert sorted(m["To"] for m in news_messages(smtp)) == TOLD[1:]
    # A broken or foreign token gets the page that says so.
    assert client.get(path[:-3] + "xyz").status_code == 404
    assert client.get("/petitions/unsubscribe/government-news/nonsense").status_code == 404


def test_a_signer_who_withdraws_before_the_batch_is_not_told(app, smtp, petition):
    signers(app, petition["id"])
    with app.app_context():
        bo = db.session.scalar(select(Signature).where(Signature.email == "bo@example.org"))
        withdraw(bo)
        db.session.commit()
    record_delivery(app, petition["id"])
    run_command(app)
    send_outbox(app)
    assert sorted(m["To"] for m in news_messages(smtp)) == [TOLD[0], TOLD[2]]
