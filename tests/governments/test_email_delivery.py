"""Delivering a package by email from the site: the confirmation page, one message per
address through the outbox and the real SMTP server, the signed link that serves the ZIP
and records its use, expiry and a fresh link, refusals that write nothing, bounces
recorded on the target, and nothing personal in public output."""

from __future__ import annotations

import hashlib
import html as html_module
import io
import json
import re
import zipfile

import pytest
from sqlalchemy import delete, func, select

from campaign import stored_files
from campaign.extensions import db
from campaign.models import (
    AuditEntry,
    Delivery,
    DeliveryEmail,
    DeliveryPackage,
    FileKind,
    GovernmentTarget,
    OutboxMessage,
    Petition,
    PetitionTranslation,
    StoredFile,
)
from campaign.tokens import Purpose

from ..exports.helpers import add_signature, reconcile
from ..helpers.journey import aged_token, local_path, send_outbox
from ..mail.helpers import BOUNCES, bounce, dsn, tag_of
from .helpers import (
    SECRET_CONTACTS,
    SLUG,
    add_delivery,
    add_target,
    audit_entries,
    build_package,
    calls_base,
    post_form,
    today,
)

CONTACTS = [SECRET_CONTACTS[0], "second-ch@gov.example"]
LINK = re.compile(r"http://localhost(?:/[a-z]{2})?/deliveries/[A-Za-z0-9_.\-]+")


@pytest.fixture
def app(make_app):
    # Bounces come back to a VERP address naming their outbox message, as in production.
    return make_app(MAIL_BOUNCE_ADDRESS=BOUNCES)


@pytest.fixture
def call(app, petition):
    """The demo call, addressing Switzerland (two addresses, letters in French) and France,
    with two Swiss signers and one French."""
    with app.app_context():
        add_target(petition["id"], "CH", body="Federal Department of Foreign Affairs")
        target = db.session.scalar(select(GovernmentTarget).where(GovernmentTarget.country == "CH"))
        target.languages = "fr en"
        add_signature(petition["id"], "Anna Muster", country="CH", email="anna@signers.test")
        add_signature(petition["id"], "Beat Beispiel", country="CH", email="beat@signers.test")
        add_signature(petition["id"], "Jeanne Exemple", country="FR", email="jeanne@signers.test")
        db.session.commit()
        reconcile(petition["id"])
    return petition


def build(app, as_role, country: str = "CH", language: str = "fr") -> int:
    """A package built on the admins' page, kept on the site; its id (the last built)."""
    built = build_package(app, as_role("admin"), country, language)
    assert built.status_code == 200, built.get_data(as_text=True)
    with app.app_context():
        return db.session.scalars(
            select(DeliveryPackage.id).order_by(DeliveryPackage.id.desc())
        ).first()


def confirm_url(call: dict, package_id: int) -> str:
    return f"{calls_base(call)}/deliveries/email/{package_id}"


def deliver(client, call: dict, package_id: int, **data):
    """Press the confirmation page's button (the session's CSRF token read from the
    deliveries page, so that a refused confirmation page can be posted to as well)."""
    return post_form(
        client, f"{calls_base(call)}/deliveries", data, to=confirm_url(call, package_id)
    )


def text(response) -> str:
    """A page's HTML with entities read (an apostrophe is &#39; in it)."""
    return html_module.unescape(response.get_data(as_text=True))


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def links_in(message) -> list[str]:
    return LINK.findall(message.get_body(("plain",)).get_content())


def zip_manifest_sha(data: bytes, country: str = "CH") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return hashlib.sha256(archive.read(f"{country}/manifest.json")).hexdigest()


def french_title(app, call) -> str:
    with app.app_context():
        return db.session.scalar(
            select(PetitionTranslation.title).where(
                PetitionTranslation.petition_id == call["id"], PetitionTranslation.language == "fr"
            )
        )


@pytest.fixture
def delivered(app, as_role, call, smtp):
    """A French package for Switzerland delivered by email by an editor, and sent."""
    package_id = build(app, as_role)
    response = deliver(as_role("editor"), call, package_id, handed_over_by="The Geneva team")
    assert response.status_code == 303, response.get_data(as_text=True)
    assert send_outbox(app).sent == 2
    with app.app_context():
        delivery = db.session.scalar(select(Delivery))
        return {"id": delivery.id, "package_id": package_id, "sha": delivery.manifest_sha256}


# -- the confirmation page ----------------------------------------------------------------


def test_the_confirmation_page_shows_what_will_go_and_sends_nothing(app, as_role, call):
    package_id = build(app, as_role)
    editor = as_role("editor")
    listing = editor.get(f"{calls_base(call)}/deliveries").get_data(as_text=True)
    assert f'href="{confirm_url(call, package_id)}"' in listing and "Deliver by email" in listing

    page = editor.get(confirm_url(call, package_id))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for address in CONTACTS:
        assert f"<code>{address}</code>" in html
    assert "Send to 2 addresses and record the delivery" in html
    assert "Works for 30 days after sending" in html
    assert 'value="CyberPeace Institute"' in html  # handed over by: the call's organisation
    assert "Federal Department of Foreign Affairs" in html
    # the email as it will go, in the letter's language: the call's French title, Suisse
    title = french_title(app, call)
    assert f"Appel «\u00a0{title}\u00a0», signé par 2 personnes dans votre pays (Suisse)" in html
    assert (
        "À l\u2019attention de l\u2019autorité destinataire\u00a0: "
        "Federal Department of Foreign Affairs (Suisse)" in html
    )
    assert "[a download link of its own for each address]" in html
    assert count(app, OutboxMessage) == 0 and count(app, Delivery) == 0


def test_moderators_and_strangers_cannot_deliver(app, as_role, call):
    package_id = build(app, as_role)
    url = confirm_url(call, package_id)
    assert as_role("moderator").get(url).status_code == 403
    assert as_role(None).get(url).status_code == 302
    assert as_role("admin").get(url).status_code == 200
    listing = as_role("moderator").get(f"{calls_base(call)}/deliveries")
    assert listing.status_code == 403
    assert count(app, OutboxMessage) == 0


# -- sending and the link -----------------------------------------------------------------


def test_sending_records_the_delivery_and_emails_each_address_a_working_link(
    app, as_role, organisers, call, smtp, delivered
):
    with app.app_context():
        delivery = db.session.get(Delivery, delivered["id"])
        assert (delivery.channel, delivery.country, delivery.handed_over_by) == (
            "email",
            "CH",
            "The Geneva team",
        )
        assert delivery.recorded_by_id == organisers["editor"]["id"]
        assert db.session.scalar(select(func.count()).select_from(DeliveryEmail)) == 2
    # one message per address, each its own link
    assert sorted(rcpt for _sender, (rcpt,) in smtp.envelopes) == sorted(CONTACTS)
    assert all(sender.startswith("bounces+") for sender, _ in smtp.envelopes)
    links = {message["To"]: links_in(message) for message in smtp.messages}
    assert all(len(found) == 1 for found in links.values())
    assert len({found[0] for found in links.values()}) == 2
    message = smtp.messages[0]
    title = french_title(app, call)
    assert message["Subject"] == (
        f"Appel «\u00a0{title}\u00a0», signé par 2 personnes dans votre pays (Suisse)"
    )
    text = message.get_body(("plain",)).get_content()
    assert delivered["sha"] in text and "The Geneva team" in text
    assert f"http://localhost/fr/petitions/{SLUG}/deliveries" in text
    html = message.get_body(("html",)).get_content()
    assert links[message["To"]][0] in html

    first = links[CONTACTS[0]][0]
    assert first.startswith("http://localhost/fr/deliveries/")  # its pages in the letter's language
    download = app.test_client().get(local_path(first))
    assert download.status_code == 200
    assert download.mimetype == "application/zip"
    assert download.headers["Content-Disposition"].startswith("attachment; filename=")
    assert download.headers["Cache-Control"] == "private, no-store"
    assert "noindex" in download.headers["X-Robots-Tag"]
    assert zip_manifest_sha(download.data) == delivered["sha"]
    # the manifest's hash is the one the public record shows
    assert delivered["sha"] in app.test_client().get(f"/petitions/{SLUG}").get_data(as_text=True)

    [entry] = audit_entries(app, "deliver_by_email")
    assert entry.actor_id == organisers["editor"]["id"]
    assert entry.changes == {
        "petition_id": call["id"],
        "package_id": delivered["package_id"],
        "country": "CH",
        "addresses": 2,
    }
    [recorded] = audit_entries(app, "record_delivery")
    assert recorded.changes["channel"] == "email"


def test_each_use_of_a_link_is_recorded_and_shown(app, as_role, call, smtp, delivered):
    by_address = {message["To"]: links_in(message)[0] for message in smtp.messages}
    base = calls_base(call)
    before = as_role("editor").get(f"{base}/deliveries").get_data(as_text=True)
    assert before.count("Not downloaded yet") == 2

    reader = app.test_client()
    path = local_path(by_address[CONTACTS[0]])
    assert reader.head(path).status_code == 200  # a HEAD is no download
    assert reader.get(path).status_code == 200
    with app.app_context():
        used = db.session.scalar(
            select(DeliveryEmail).where(DeliveryEmail.first_downloaded_at.is_not(None))
        )
        first = used.first_downloaded_at
        assert used.download_count == 1 and used.last_downloaded_at == first
    assert reader.get(path).status_code == 200
    with app.app_context():
        used = db.session.get(DeliveryEmail, used.id)
        assert used.download_count == 2 and used.first_downloaded_at == first
        assert used.last_downloaded_at >= first

    after = as_role("editor").get(f"{base}/deliveries").get_data(as_text=True)
    row = after.split(f"<code>{CONTACTS[0]}</code>", 1)[1].split("</li>", 1)[0]
    assert "Downloaded on" in row and "(2 downloads, the last on" in row
    other = after.split(f"<code>{CONTACTS[1]}</code>", 1)[1].split("</li>", 1)[0]
    assert "Not downloaded yet" in other and "sent" in other


def test_an_expired_link_explains_itself_and_an_organiser_sends_a_fresh_one(
    app, as_role, organisers, call, smtp, delivered
):
    with app.app_context():
        sent = db.session.scalars(select(DeliveryEmail).order_by(DeliveryEmail.id)).first()
        payload = [delivered["id"], sent.public_id]
    old = aged_token(Purpose.DELIVERY_PACKAGE, payload, 31 * 86400)
    for prefix in ("", "/fr"):
        expired = app.test_client().get(f"{prefix}/deliveries/{old}")
        assert expired.status_code == 410
        html = text(expired)
        assert "CyberPeace Institute" in html and "noindex" in html
        for address in CONTACTS:
            assert address not in html
    # in English (the French catalogue may not have these lines yet)
    html = text(app.test_client().get(f"/deliveries/{old}"))
    assert "This link has expired" in html and "work for 30 days" in html
    assert "Please ask the organisers of" in html and "to send you a fresh link" in html
    # within its age, the same payload works
    fresh_enough = aged_token(Purpose.DELIVERY_PACKAGE, payload, 29 * 86400)
    assert app.test_client().get(f"/deliveries/{fresh_enough}").status_code == 200

    smtp.reset()
    base = calls_base(call)
    editor = as_role("editor")
    resent = post_form(
        editor,
        f"{base}/deliveries",
        {},
        to=f"{base}/deliveries/{delivered['id']}/fresh-link",
    )
    assert resent.status_code == 303
    assert resent.headers["Location"].endswith(f"/deliveries#email-{delivered['id']}")
    page = text(editor.get(resent.headers["Location"]))
    assert "A fresh link is on its way to 2 addresses of Switzerland." in page
    assert send_outbox(app).sent == 2
    assert sorted(rcpt for _sender, (rcpt,) in smtp.envelopes) == sorted(CONTACTS)
    for message in smtp.messages:
        [link] = links_in(message)
        download = app.test_client().get(local_path(link))
        assert download.status_code == 200
        assert zip_manifest_sha(download.data) == delivered["sha"]
    assert count(app, Delivery) == 1 and count(app, DeliveryEmail) == 4
    [entry] = audit_entries(app, "send_delivery_link")
    assert entry.actor_id == organisers["editor"]["id"]
    assert entry.changes == {
        "petition_id": call["id"],
        "package_id": delivered["package_id"],
        "country": "CH",
        "addresses": 2,
    }


@pytest.mark.parametrize(
    "make",
    [
        lambda link: link[:-4] + ("AAAA" if not link.endswith("AAAA") else "BBBB"),
        lambda link: "/deliveries/" + aged_token(Purpose.SIGNATURE, "nobody", 0),
        lambda link: "/deliveries/" + aged_token(Purpose.DELIVERY_PACKAGE, [1, "nobody"], 0),
        lambda link: "/deliveries/not-a-token",
    ],
    ids=["tampered", "other-purpose", "unknown-email", "garbage"],
)
def test_a_tampered_or_unknown_link_is_a_404_that_shows_nothing(app, smtp, delivered, make):
    link = local_path(links_in(smtp.messages[0])[0]).removeprefix("/fr")
    response = app.test_client().get(make(link))
    assert response.status_code == 404
    html = text(response)
    # Nothing of the call or of whom it was for (the site's own name is no secret).
    assert "This link does not work" in html and "cyberattacks" not in html.lower()
    assert "Federal" not in html and "Suisse" not in html and "Switzerland" not in html
    assert response.mimetype == "text/html"
    with app.app_context():
        assert db.session.scalar(select(func.sum(DeliveryEmail.download_count))) == 0


def test_a_package_erased_since_is_gone(app, smtp, delivered):
    with app.app_context():
        _zip_missing(app, None, delivered["package_id"])
        db.session.commit()
    link = local_path(links_in(smtp.messages[0])[0]).removeprefix("/fr")
    response = app.test_client().get(link)
    assert response.status_code == 410
    assert "This package is no longer available" in text(response)
    with app.app_context():
        assert db.session.scalar(select(func.sum(DeliveryEmail.download_count))) == 0


# -- refusals ----------------------------------------------------------------------------


def test_a_package_is_delivered_once(app, as_role, call, smtp, delivered):
    editor = as_role("editor")
    url = confirm_url(call, delivered["package_id"])
    page = editor.get(url)
    assert page.status_code == 409
    assert "This package's delivery is already recorded." in text(page)
    listing = editor.get(f"{calls_base(call)}/deliveries").get_data(as_text=True)
    assert f'href="{url}"' not in listing
    outbox = count(app, OutboxMessage)
    # a form still open in another tab
    again = deliver(editor, call, delivered["package_id"], handed_over_by="Again")
    assert again.status_code == 409
    assert count(app, Delivery) == 1 and count(app, OutboxMessage) == outbox


def _no_addresses(app, call, package_id):
    db.session.scalar(select(GovernmentTarget).where(GovernmentTarget.country == "CH")).emails = ""


def _bounced(app, call, package_id):
    target = db.session.scalar(select(GovernmentTarget).where(GovernmentTarget.country == "CH"))
    target.bounced_at = db.session.scalar(select(func.min(Petition.created_at)))
    target.bounce_reason = "ministry-desk@gov.example: 5.1.1 mailbox unknown"


def _zip_missing(app, call, package_id):
    package = db.session.get(DeliveryPackage, package_id)
    db.session.execute(delete(StoredFile).where(StoredFile.name == package.zip_name))


def _zip_changed(app, call, package_id):
    package = db.session.get(DeliveryPackage, package_id)
    stored = db.session.scalar(select(StoredFile).where(StoredFile.name == package.zip_name))
    with zipfile.ZipFile(stored_files.ChunkReader(db.engine, stored)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["CH/manifest.json"] = b'{"forged": true}'
    forged = io.BytesIO()
    with zipfile.ZipFile(forged, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    forged.seek(0)
    db.session.delete(stored)
    stored_files.store(db.session, FileKind.PACKAGE, package.petition_id, package.zip_name, forged)


def _another_call(app, call, package_id):
    other = Petition(slug="another-call", title="Another call", organisation="Others")
    db.session.add(other)
    db.session.flush()
    db.session.get(DeliveryPackage, package_id).petition_id = other.id


@pytest.mark.parametrize(
    ("spoil", "status", "message"),
    [
        (_no_addresses, 409, "has no contact address: add one on the Governments page first"),
        (_bounced, 409, "bounced on"),
        (_zip_missing, 409, "is no longer on the site"),
        (_zip_changed, 409, "is not the package that was built"),
        (_another_call, 404, "This package was built for another call."),
    ],
    ids=["no-addresses", "bounced", "zip-missing", "zip-changed", "another-call"],
)
def test_refusals_are_explained_and_write_nothing(app, as_role, call, spoil, status, message):
    package_id = build(app, as_role)
    with app.app_context():
        spoil(app, call, package_id)
        db.session.commit()
    editor = as_role("editor")
    page = editor.get(confirm_url(call, package_id))
    assert page.status_code == status
    assert message in text(page)
    audit_before = count(app, AuditEntry)
    posted = deliver(editor, call, package_id, handed_over_by="Someone")
    assert posted.status_code == status
    assert "Nothing was sent and nothing was recorded." in text(posted)
    assert count(app, Delivery) == 0 and count(app, OutboxMessage) == 0
    assert count(app, DeliveryEmail) == 0 and count(app, AuditEntry) == audit_before


def test_no_email_action_for_a_government_without_addresses(app, as_role, call):
    package_id = build(app, as_role)
    with app.app_context():
        _no_addresses(app, call, package_id)
        db.session.commit()
    listing = as_role("editor").get(f"{calls_base(call)}/deliveries").get_data(as_text=True)
    assert "Record its delivery" in listing and "Deliver by email" not in listing


def test_a_zip_of_every_government_is_not_sent_to_one(app, as_role, call):
    build(app, as_role, country="")
    with app.app_context():
        swiss = db.session.scalar(
            select(DeliveryPackage.id).where(DeliveryPackage.recipient_country == "CH")
        )
    page = as_role("editor").get(confirm_url(call, swiss))
    assert page.status_code == 409
    assert "holds the packages of several governments" in text(page)


def test_a_handed_over_by_that_is_not_one_line_is_refused(app, as_role, call):
    package_id = build(app, as_role)
    for value in ("", "Ada\r\nBcc: x@example.org", "x" * 201):
        response = deliver(as_role("editor"), call, package_id, handed_over_by=value)
        assert response.status_code == 422, value
    assert count(app, Delivery) == 0 and count(app, OutboxMessage) == 0


def test_a_fresh_link_only_for_a_delivery_by_email(app, as_role, call):
    with app.app_context():
        delivery_id = add_delivery(call["id"], "CH", today(call["id"]))
        db.session.commit()
    base = calls_base(call)
    admin = as_role("admin")
    response = post_form(
        admin, f"{base}/deliveries", {}, to=f"{base}/deliveries/{delivery_id}/fresh-link"
    )
    assert response.status_code == 303
    page = text(admin.get(response.headers["Location"]))
    assert "This delivery was not made by email" in page
    assert count(app, OutboxMessage) == 0 and count(app, DeliveryEmail) == 0


# -- bounces ----------------------------------------------------------------------------


def test_a_hard_bounce_is_recorded_on_the_target_until_its_addresses_change(
    app, as_role, call, smtp, delivered
):
    bounced_to = CONTACTS[1]
    sender = next(sender for sender, (rcpt,) in smtp.envelopes if rcpt == bounced_to)
    with app.app_context():
        row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == bounced_to))
    assert sender == f"bounces+{tag_of(row.message_id)}@campaign.example"
    result = bounce(app, dsn(to=sender, delivered_to=sender, final_recipient=bounced_to))
    assert "hard bounce 5.1.1 recorded" in result.output and bounced_to not in result.output
    with app.app_context():
        target = db.session.scalar(select(GovernmentTarget).where(GovernmentTarget.country == "CH"))
        assert target.bounced_at is not None
        assert target.bounce_reason.startswith(f"{bounced_to}: 5.1.1 550 5.1.1")
        target_id = target.id

    base = calls_base(call)
    editor = as_role("editor")
    targets_page = editor.get(f"{base}/governments").get_data(as_text=True)
    row_html = targets_page.split(f'id="t{target_id}"', 1)[1].split("</tr>", 1)[0]
    assert "bounced" in row_html and bounced_to in row_html
    deliveries_page = editor.get(f"{base}/deliveries").get_data(as_text=True)
    assert "bounced" in deliveries_page.split(f'id="email-{delivered["id"]}"', 1)[1]
    # nothing more goes there until the addresses are corrected
    refused = post_form(
        editor, f"{base}/deliveries", {}, to=f"{base}/deliveries/{delivered['id']}/fresh-link"
    )
    assert "bounced on" in text(editor.get(refused.headers["Location"]))
    form_url = f"{base}/governments/{target_id}/edit"
    assert "Mail to this government bounced on" in editor.get(form_url).get_data(as_text=True)

    edited = post_form(
        editor,
        form_url,
        {
            "country": "CH",
            "body": "Federal Department of Foreign Affairs",
            "emails": f"{CONTACTS[0]}\nnew-desk@gov.example",
            "postal_address": "",
            "languages": "fr en",
            "threshold": "100",
        },
    )
    assert edited.status_code == 303
    with app.app_context():
        target = db.session.get(GovernmentTarget, target_id)
        assert target.bounced_at is None and target.bounce_reason is None
    for entry in audit_entries(app, "edit_government_target"):
        assert "@" not in json.dumps(entry.changes)
    assert "bounced" not in editor.get(f"{base}/governments").get_data(as_text=True)


def test_a_late_bounce_for_an_address_replaced_since_changes_nothing(app, call, smtp, delivered):
    bounced_to = CONTACTS[1]
    with app.app_context():
        target = db.session.scalar(select(GovernmentTarget).where(GovernmentTarget.country == "CH"))
        target.emails = CONTACTS[0]
        db.session.commit()
    sender = next(sender for sender, (rcpt,) in smtp.envelopes if rcpt == bounced_to)
    assert "recorded" in bounce(app, dsn(to=sender, delivered_to=sender)).output
    with app.app_context():
        assert (
            db.session.scalar(
                select(GovernmentTarget.bounced_at).where(GovernmentTarget.country == "CH")
            )
            is None
        )


# -- public output -------------------------------------------------------------------------


def test_nothing_personal_reaches_public_pages_or_data(app, smtp, delivered):
    tokens = [local_path(links_in(m)[0]).rsplit("/", 1)[1] for m in smtp.messages]
    client = app.test_client()
    urls = [
        f"/petitions/{SLUG}",
        f"/fr/petitions/{SLUG}",
        f"/petitions/{SLUG}/deliveries",
        f"/petitions/{SLUG}/governments",
        f"/petitions/{SLUG}/governments.json",
        f"/petitions/{SLUG}/governments.atom",
        f"/petitions/{SLUG}.json",
    ]
    outputs = {url: client.get(url).get_data(as_text=True) for url in urls}
    for url, body in outputs.items():
        for secret in (*CONTACTS, *tokens, "The Geneva team" if url.endswith("json") else ""):
            assert not secret or secret not in body, (url, secret)
        assert "bounces+" not in body and "/deliveries/" + tokens[0][:12] not in body
    assert "By email" in outputs[f"/petitions/{SLUG}/deliveries"]
    assert delivered["sha"] in outputs[f"/petitions/{SLUG}/deliveries"]


def test_the_link_is_rate_limited_like_the_signers_links(make_app, petition):
    app = make_app(CONFIRM_RATE_LIMIT="2 per minute", RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = [client.get("/deliveries/not-a-token").status_code for _ in range(3)]
    assert codes == [404, 404, 429]
