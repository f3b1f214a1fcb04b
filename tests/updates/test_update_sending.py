"""Sending an update with care: the count by language and country, the number typed to
confirm, targeting, scheduling, the periodic job that sends on its own, and the figures.

Through the test client over HTTP, the real outbox and SMTP server (aiosmtpd), and the
periodic job through the CLI runner, as cron runs it.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from html import unescape

from sqlalchemy import select, update

from campaign.extensions import db
from campaign.models import AuditEntry, OutboxMessage, SupporterUpdate, UpdateDelivery, utcnow

from ..helpers.backoffice import add_signature, csrf_token, signed_in
from ..helpers.journey import send_outbox
from ..mail.helpers import BOUNCES, bounce, dsn, tag_of
from .helpers import confirm_send, reach
from .test_update_translations import translate
from .test_updates import UNSUBSCRIBE, write_update

SUBJECT = "We delivered the call"


def world(app, petition_id: int) -> None:
    """Six who receive updates (three languages, three countries), and five who must not."""
    with app.app_context():
        for email, language, country in (
            ("ana@example.ch", "fr", "CH"),
            ("bea@example.ch", "fr", "CH"),
            ("carl@example.ch", "en", "CH"),
            ("dora@example.fr", "fr", "FR"),
            ("eva@example.es", "es", "ES"),
            ("finn@example.org", "en", "FR"),
        ):
            add_signature(
                petition_id, email, name=email[:3].title(), updates=True,
                language=language, country=country,
            )  # fmt: skip
        add_signature(petition_id, "no-news@example.ch", updates=False, language="fr")
        add_signature(petition_id, "pending@example.ch", updates=True, confirmed=False)
        add_signature(petition_id, "spam@example.ch", updates=True, validity="invalidated")
        add_signature(petition_id, "held@example.ch", updates=True, validity="suspect")
        db.session.commit()


def job(app) -> str:
    result = app.test_cli_runner().invoke(args=["organiser", "send-updates"])
    assert result.exit_code == 0, result.output
    return result.output


def cell(html: str, row_id: str) -> int:
    match = re.search(rf'<tr id="{row_id}">.*?<td class="num">([^<]+)</td>', html)
    assert match, row_id
    return int(re.sub(r"[^0-9]", "", unescape(match.group(1))))


def state(client, page: str) -> str:
    html = client.get(page).get_data(as_text=True)
    block = re.search(r'<div class="org-update-state" id="update-state">(.*?)</div>', html, re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", block.group(1))).split())


def received(smtp) -> Counter:
    return Counter(m["To"].addresses[0].addr_spec for m in smtp.messages if m["Subject"] == SUBJECT)


def status(app) -> str:
    with app.app_context():
        return db.session.scalar(select(SupporterUpdate.status))


def test_the_send_page_counts_by_language_and_country(app, as_role, petition):
    world(app, petition["id"])
    editor = as_role("editor")
    page = write_update(editor, petition["id"])
    html = editor.get(page + "/send").get_data(as_text=True)
    assert reach(editor, page) == 6
    assert "You are about to email 6 people. Type 6 to confirm." in html
    languages = {code: cell(html, f"reach-language-{code}") for code in ("fr", "en", "es")}
    assert languages == {"fr": 3, "en": 2, "es": 1}
    countries = {code: cell(html, f"reach-country-{code}") for code in ("CH", "FR", "ES")}
    assert countries == {"CH": 3, "FR": 2, "ES": 1}
    assert "reach-country-DE" not in html


def test_the_send_page_says_who_would_get_the_main_text_before_it_goes(app, as_role, petition):
    # Found rehearsing: an editor sent to French speakers in Switzerland, who all got the
    # English text, and the page before sending had not said so.
    world(app, petition["id"])
    editor = as_role("editor")
    page = write_update(editor, petition["id"])
    html = unescape(editor.get(page + "/send").get_data(as_text=True))
    warning = re.search(r'id="reach-untranslated">(.*?)</div>', html, re.S).group(1)
    assert "French: 3 people will get the text in English" in warning
    assert "Spanish: 1 person will get the text in English" in warning
    assert f'href="{page}/translations/fr"' in warning and "English:" not in warning
    assert translate(editor, page).status_code == 303  # the French version
    html = unescape(editor.get(page + "/send").get_data(as_text=True))
    assert "French:" not in html.split('id="reach-untranslated">', 1)[1].split("</div>", 1)[0]


def test_a_wrong_number_is_refused_and_the_right_one_starts_sending(app, smtp, as_role, petition):
    world(app, petition["id"])
    editor = as_role("editor")
    page = write_update(editor, petition["id"])
    for typed, message in (
        ("5", "You typed 5, but the update would go to 6 people. Type 6 to send it."),
        ("60", "You typed 60, but the update would go to 6 people. Type 6 to send it."),
        ("", "Please type the number of people who will receive it."),
        ("six", "Please type the number shown above, in digits."),
    ):
        refused = confirm_send(editor, page, typed=typed)
        assert refused.status_code == 422, typed
        assert message in unescape(refused.get_data(as_text=True)), typed
    assert status(app) == "draft"
    send_outbox(app)
    assert received(smtp) == Counter()

    assert confirm_send(editor, page, typed="6").status_code == 303
    assert status(app) == "sending"
    assert "Sending has started: 6 people will receive the update." in editor.get(page).get_data(
        as_text=True
    )
    send_outbox(app)
    assert len(received(smtp)) == 6
    [entry] = db_audit(app, "send_update")
    assert entry.changes["recipients"] == 6


def db_audit(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_french_speakers_in_switzerland_only(app, smtp, as_role, petition):
    world(app, petition["id"])
    editor = as_role("editor")
    page = write_update(editor, petition["id"])
    targeted = editor.post(
        page + "/audience",
        data={
            "csrf_token": csrf_token(editor, page + "/send"),
            "countries": "CH",
            "languages": "fr",
        },
    )
    assert targeted.status_code == 303
    html = editor.get(page + "/send").get_data(as_text=True)
    assert reach(editor, page) == 2
    assert cell(html, "reach-language-fr") == 2 and cell(html, "reach-country-CH") == 2
    assert "reach-language-en" not in html and "reach-country-FR" not in html
    # The number for everyone is now the wrong one.
    assert confirm_send(editor, page, typed="6").status_code == 422
    assert confirm_send(editor, page).status_code == 303
    job(app)
    send_outbox(app)
    assert received(smtp) == Counter(["ana@example.ch", "bea@example.ch"])


def test_a_scheduled_update_goes_at_its_time_and_can_be_cancelled_before(
    app, smtp, as_role, petition
):
    world(app, petition["id"])  # the call's time zone is Europe/Zurich
    editor = as_role("editor")
    page = write_update(editor, petition["id"])
    with app.app_context():
        from campaign.models import Petition

        db.session.get(Petition, petition["id"]).timezone = "Europe/Zurich"
        db.session.commit()
    later = (utcnow() + timedelta(days=2)).astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/Zurich")
    )
    assert confirm_send(editor, page, send_at=later.strftime("%Y-%m-%dT%H:%M")).status_code == 303
    assert status(app) == "scheduled"
    with app.app_context():
        stored = db.session.scalar(select(SupporterUpdate.scheduled_for))
        # Read in the call's time zone: stored in UTC, to the minute typed.
        assert abs(stored - later.replace(second=0, microsecond=0)) < timedelta(seconds=1)
    assert "Goes out at" in state(editor, page)
    assert "Europe/Zurich" in state(editor, page)

    # Before its time, the job sends nothing; cancelling makes it a draft again.
    job(app)
    send_outbox(app)
    assert received(smtp) == Counter() and status(app) == "scheduled"
    cancel = editor.post(page + "/cancel", data={"csrf_token": csrf_token(editor, page)})
    assert cancel.status_code == 303 and status(app) == "draft"
    assert editor.get(page + "/edit").status_code == 200

    # Scheduled again, then its time comes (the row's time moved, not the clock).
    assert confirm_send(editor, page, send_at=later.strftime("%Y-%m-%dT%H:%M")).status_code == 303
    job(app)
    assert status(app) == "scheduled"
    with app.app_context():
        db.session.execute(
            update(SupporterUpdate).values(scheduled_for=utcnow() - timedelta(minutes=1))
        )
        db.session.commit()
    assert "scheduled time reached" in job(app)
    send_outbox(app)
    assert len(received(smtp)) == 6
    # Too late to cancel now.
    cancel = editor.post(page + "/cancel", data={"csrf_token": csrf_token(editor, page)})
    assert "Too late to cancel" in editor.get(page).get_data(as_text=True)
    job(app)
    assert status(app) == "sent"


def test_the_update_ends_sent_with_its_figures(make_app, smtp, organisers, petition):
    app = make_app(UPDATE_BATCH_SIZE=4, MAIL_BOUNCE_ADDRESS=BOUNCES)
    world(app, petition["id"])
    editor = signed_in(app.test_client(), organisers["editor"])
    page = write_update(editor, petition["id"])
    assert confirm_send(editor, page).status_code == 303  # the first batch: 4 of 6
    assert state(editor, page).startswith("Sending 4 of 6 queued, 0 sent.")
    send_outbox(app)
    assert state(editor, page).startswith("Sending 4 of 6 queued, 4 sent.")
    # The job queues the rest; the update stays "sending" until the outbox is done.
    assert "2 messages queued" in job(app)
    assert state(editor, page).startswith("Sending 6 of 6 queued, 4 sent.")
    assert status(app) == "sending"
    send_outbox(app)
    assert len(received(smtp)) == 6

    # One address bounces; one reader unsubscribes from the email's link.
    with app.app_context():
        message_id = db.session.scalar(
            select(OutboxMessage.message_id)
            .join(UpdateDelivery, UpdateDelivery.outbox_message_id == OutboxMessage.id)
            .where(OutboxMessage.to_address == "eva@example.es")
        )
    bounce(
        app,
        dsn(to=f"bounces+{tag_of(message_id)}@campaign.example", final_recipient="eva@example.es"),
    )
    ana = next(m for m in smtp.messages if m["To"].addresses[0].addr_spec == "ana@example.ch")
    [link] = UNSUBSCRIBE.findall(ana.get_body(("plain",)).get_content())
    assert app.test_client().post(link.removeprefix("http://localhost")).status_code == 200

    assert "sent" in job(app)
    assert status(app) == "sent"
    text = state(editor, page)
    assert text.startswith("Sent Sent on")
    assert "6 sent 1 bounced 1 unsubscribed since" in text
    # The count for the next update leaves both out.
    second = write_update(editor, petition["id"])
    assert reach(editor, second) == 4


def test_no_page_tells_organisers_to_run_a_command(app, smtp, as_role, petition):
    world(app, petition["id"])
    editor = as_role("editor")
    page = write_update(editor, petition["id"])
    pages = [page, page + "/send"]
    seen = [editor.get(url).get_data(as_text=True) for url in pages]
    confirm_send(editor, page)
    seen.append(editor.get(page).get_data(as_text=True))
    job(app)
    send_outbox(app)
    job(app)
    seen.append(editor.get(page).get_data(as_text=True))
    seen.append(editor.get(page.rsplit("/", 1)[0]).get_data(as_text=True))
    for html in seen:
        assert "flask" not in html.lower()
        assert "send-updates" not in html
        assert "Queue the next batch" not in html
        assert "more to go" not in html
