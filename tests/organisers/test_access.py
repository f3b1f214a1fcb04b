"""Every route of the organisers' area, for every role, checked on the server.

Anonymous visitors are sent to the sign-in page (coming back afterwards), a
wrong role gets 403, the right role gets the page (or its action's redirect).
The table must list every route: a new view without a row fails
``test_the_table_covers_every_route``.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date

import pytest

from campaign import stored_files
from campaign.events.cli import seed_demo_event
from campaign.extensions import db
from campaign.models import (
    Blocklist,
    DeliveryPackage,
    FileKind,
    GovernmentTarget,
    NotableSignatory,
    Organiser,
    PackageJob,
    Petition,
    Publication,
    PublicationTranslation,
    SupporterUpdate,
    SupporterUpdateTranslation,
)
from campaign.notables.forms import category_field_name

from ..governments.helpers import add_delivery, today
from ..helpers.backoffice import ROLES, add_signature, csrf_token

A, E, M = "admin", "editor", "moderator"
EVERYONE = {A, E, M}

# (method, path, roles allowed, form data for a POST)
ROUTES = [
    ("GET", "/organiser/", EVERYONE, None),
    ("POST", "/organiser/sign-out", EVERYONE, {}),
    ("GET", "/organiser/accounts", {A}, None),
    ("POST", "/organiser/accounts/{account}/end-sessions", {A}, {}),
    ("GET", "/organiser/accounts/invite", {A}, None),
    ("POST", "/organiser/accounts/invite", {A}, {"email": ""}),
    ("GET", "/organiser/accounts/{account}", {A}, None),
    ("POST", "/organiser/accounts/{account}/role", {A}, {"role": "editor"}),
    ("GET", "/organiser/accounts/{account}/disable", {A}, None),
    ("POST", "/organiser/accounts/{account}/disable", {A}, {}),
    ("POST", "/organiser/accounts/{account}/enable", {A}, {}),
    ("POST", "/organiser/accounts/{account}/invitation/resend", {A}, {}),
    ("POST", "/organiser/accounts/{account}/invitation/cancel", {A}, {}),
    ("GET", "/organiser/account/sessions", EVERYONE, None),
    ("POST", "/organiser/account/sessions/end", EVERYONE, {}),
    ("GET", "/organiser/account/two-step", {A}, None),
    ("POST", "/organiser/account/two-step", {A}, {"code": "000000"}),
    ("GET", "/organiser/audit", {A}, None),
    ("GET", "/organiser/organisation", {A}, None),
    ("POST", "/organiser/organisation", {A}, {"name": ""}),
    ("GET", "/organiser/calls/new", {A, E}, None),
    ("POST", "/organiser/calls/new", {A, E}, {"title": ""}),
    ("GET", "/organiser/calls/{petition}", EVERYONE, None),
    ("GET", "/organiser/calls/{petition}/preview", EVERYONE, None),
    ("GET", "/organiser/calls/{petition}/edit", {A, E}, None),
    ("POST", "/organiser/calls/{petition}/edit", {A, E}, {"title": ""}),
    ("GET", "/organiser/calls/{petition}/updates", {A, E}, None),
    ("GET", "/organiser/calls/{petition}/updates/new", {A, E}, None),
    ("POST", "/organiser/calls/{petition}/updates/new", {A, E}, {"subject": ""}),
    ("GET", "/organiser/calls/{petition}/updates/{update}", {A, E}, None),
    ("GET", "/organiser/calls/{petition}/updates/{update}/edit", {A, E}, None),
    ("POST", "/organiser/calls/{petition}/updates/{update}/edit", {A, E}, {"subject": ""}),
    ("POST", "/organiser/calls/{petition}/updates/{update}/test", {A, E}, {}),
    ("GET", "/organiser/calls/{petition}/updates/{update}/send", {A, E}, None),
    ("POST", "/organiser/calls/{petition}/updates/{update}/send", {A, E}, {"typed": ""}),
    ("POST", "/organiser/calls/{petition}/updates/{update}/audience", {A, E}, {}),
    ("POST", "/organiser/calls/{petition}/updates/{update}/cancel", {A, E}, {}),
    ("GET", "/organiser/calls/{petition}/updates/{update}/translations/{language}", {A, E}, None),
    (
        "POST",
        "/organiser/calls/{petition}/updates/{update}/translations/{language}",
        {A, E},
        {"subject": ""},
    ),
    (
        "GET",
        "/organiser/calls/{petition}/updates/{update}/translations/{language}/delete",
        {A, E},
        None,
    ),
    (
        "POST",
        "/organiser/calls/{petition}/updates/{update}/translations/{language}/delete",
        {A, E},
        {},
    ),
    ("GET", "/organiser/calls/{petition}/notables", {A, E}, None),
    ("GET", "/organiser/calls/{petition}/notables/new", {A, E}, None),
    ("POST", "/organiser/calls/{petition}/notables/new", {A, E}, {"name": ""}),
    ("GET", "/organiser/calls/{petition}/notables/{notable}/edit", {A, E}, None),
    ("POST", "/organiser/calls/{petition}/notables/{notable}/edit", {A, E}, {"name": ""}),
    ("POST", "/organiser/calls/{petition}/notables/{notable}/move", {A, E}, {"direction": "up"}),
    (
        "POST",
        "/organiser/calls/{petition}/notables/categories/move",
        {A, E},
        {"category": "Industry", "direction": "up"},
    ),
    (
        "POST",
        "/organiser/calls/{petition}/notables/{notable}/visibility",
        {A, E},
        {"visible": "0"},
    ),
    ("POST", "/organiser/calls/{petition}/notables/{notable}/delete", {A, E}, {}),
    ("GET", "/organiser/calls/{petition}/notables/promote", {A, E}, None),
    ("GET", "/organiser/calls/{petition}/notables/promote/{signature}", {A, E}, None),
    ("POST", "/organiser/calls/{petition}/notables/promote/{signature}", {A, E}, {}),
    ("GET", "/organiser/calls/{petition}/notables/translations", {A, E}, None),
    ("GET", "/organiser/calls/{petition}/notables/translations/{language}", {A, E}, None),
    (
        "POST",
        "/organiser/calls/{petition}/notables/translations/{language}",
        {A, E},
        # Refused by the form (too long), so the world stays as it is for the next role.
        {category_field_name("Industry"): "x" * 101},
    ),
    ("GET", "/organiser/calls/{petition}/translations", {A, E}, None),
    ("GET", "/organiser/calls/{petition}/translations/{language}", {A, E}, None),
    ("POST", "/organiser/calls/{petition}/translations/{language}", {A, E}, {"title": ""}),
    ("GET", "/organiser/calls/{petition}/translations/{language}/delete", {A, E}, None),
    ("POST", "/organiser/calls/{petition}/translations/{language}/delete", {A, E}, {}),
    ("GET", "/organiser/calls/{petition}/letter", {A, E}, None),
    ("POST", "/organiser/calls/{petition}/letter", {A, E}, {"fr-text": "x" * 5001}),
    ("GET", "/organiser/calls/{petition}/signatures", {A, M}, None),
    ("GET", "/organiser/calls/{petition}/signatures/bulk?domain=example.org", {A, M}, None),
    (
        "POST",
        "/organiser/calls/{petition}/signatures/bulk?domain=example.org",
        {A, M},
        {"action": "invalidate", "up_to_id": "0"},
    ),
    (
        "POST",
        "/organiser/calls/{petition}/signatures/{signature}/invalidate",
        {A, M},
        {"reason": "test"},
    ),
    ("POST", "/organiser/calls/{petition}/signatures/{signature}/restore", {A, M}, {}),
    ("POST", "/organiser/calls/{petition}/signatures/{signature}/release", {A, M}, {}),
    ("GET", "/organiser/calls/{petition}/review", {A, M}, None),
    ("GET", "/organiser/blocklist", {A, M}, None),
    ("POST", "/organiser/blocklist", {A, M}, {"kind": "domain", "value": ""}),
    ("GET", "/organiser/blocklist/{block}/delete", {A, M}, None),
    ("POST", "/organiser/blocklist/{block}/delete", {A, M}, {}),
    ("POST", "/organiser/blocklist/undo", {A, M}, {}),
    ("GET", "/organiser/calls/{petition}/personal-data", {A}, None),
    ("POST", "/organiser/calls/{petition}/personal-data/delivery", {A}, {"mode": ""}),
    ("POST", "/organiser/calls/{petition}/personal-data/retention", {A}, {"pending_days": ""}),
    ("GET", "/organiser/privacy", {A}, None),
    ("POST", "/organiser/privacy", {A}, {"email": "public@example.org"}),
    ("POST", "/organiser/privacy/export", {A}, {"email": "public@example.org"}),
    ("POST", "/organiser/privacy/erase", {A}, {"email": "public@example.org"}),
    ("GET", "/organiser/calls/{petition}/governments", {A, E}, None),
    ("GET", "/organiser/calls/{petition}/governments/new", {A, E}, None),
    ("POST", "/organiser/calls/{petition}/governments/new", {A, E}, {"country": ""}),
    ("GET", "/organiser/calls/{petition}/governments/{target}/edit", {A, E}, None),
    ("POST", "/organiser/calls/{petition}/governments/{target}/edit", {A, E}, {"body": ""}),
    ("POST", "/organiser/calls/{petition}/governments/{target}/delete", {A, E}, {}),
    ("GET", "/organiser/calls/{petition}/governments/import", {A, E}, None),
    ("POST", "/organiser/calls/{petition}/governments/import", {A, E}, {}),
    ("GET", "/organiser/calls/{petition}/deliveries", {A, E}, None),
    ("GET", "/organiser/calls/{petition}/deliveries/new?country=CH", {A, E}, None),
    ("POST", "/organiser/calls/{petition}/deliveries/new?country=CH", {A, E}, {"package": ""}),
    ("GET", "/organiser/calls/{petition}/deliveries/email/{package_id}", {A, E}, None),
    (
        "POST",
        "/organiser/calls/{petition}/deliveries/email/{package_id}",
        {A, E},
        {"handed_over_by": "x" * 201},  # refused by the form: nothing is sent
    ),
    ("POST", "/organiser/calls/{petition}/deliveries/{delivery}/fresh-link", {A, E}, {}),
    ("GET", "/organiser/exports/{slug}/delivery", {A}, None),
    ("POST", "/organiser/exports/{slug}/delivery", {A}, {"country": ""}),
    ("GET", "/organiser/exports/{slug}/delivery/{package}", {A}, None),
    ("GET", "/organiser/exports/{slug}/delivery/jobs/{job}", {A}, None),
    ("GET", "/organiser/exports/{slug}/delivery/jobs/{job}.json", {A}, None),
    ("GET", "/organiser/exports/{slug}/signatures-full.csv", {A}, None),
    ("GET", "/organiser/calls/{petition}/answers", {A, E}, None),
    ("GET", "/organiser/calls/{petition}/answers/{delivery}", {A, E}, None),
    ("POST", "/organiser/calls/{petition}/answers/{delivery}", {A, E}, {"summary": ""}),
    ("GET", "/organiser/publications", {A, E}, None),
    ("GET", "/organiser/publications/new", {A, E}, None),
    ("POST", "/organiser/publications/new", {A, E}, {"slug": ""}),
    ("GET", "/organiser/publications/{publication}", {A, E}, None),
    ("POST", "/organiser/publications/{publication}", {A, E}, {"slug": ""}),
    ("GET", "/organiser/publications/{publication}/languages/{language}", {A, E}, None),
    ("POST", "/organiser/publications/{publication}/languages/{language}", {A, E}, {"title": ""}),
    # It has no PDF yet: publishing is refused with a message, and nothing changes.
    ("POST", "/organiser/publications/{publication}/publish", {A, E}, {"publish": "1"}),
    ("POST", "/organiser/publications/{publication}/delete", {A, E}, {}),
    ("GET", "/organiser/events", {A, E}, None),
    ("GET", "/organiser/events/new", {A, E}, None),
    ("POST", "/organiser/events/new", {A, E}, {"slug": ""}),
    ("GET", "/organiser/events/{event}", {A, E}, None),
    ("GET", "/organiser/events/{event}/edit", {A, E}, None),
    ("POST", "/organiser/events/{event}/edit", {A, E}, {"slug": ""}),
    ("GET", "/organiser/events/{event}/text/{language}", {A, E}, None),
    ("POST", "/organiser/events/{event}/text/{language}", {A, E}, {"title": ""}),
    ("GET", "/organiser/events/{event}/registrations", {A, E}, None),
    ("POST", "/organiser/events/{event}/registrations.csv", {A}, {}),
    ("GET", "/organiser/events/{event}/recording", {A, E}, None),
    ("POST", "/organiser/events/{event}/recording", {A, E}, {"message": ""}),
]


@pytest.fixture
def world(app, petition, organisers) -> dict[str, int]:
    """One of everything a URL can name."""
    with app.app_context():
        signature = add_signature(petition["id"], "public@example.org", public=True)
        notable = db.session.scalar(
            db.select(NotableSignatory.id).where(NotableSignatory.petition_id == petition["id"])
        )
        update = SupporterUpdate(petition_id=petition["id"], subject="News", body_markdown="Hi")
        block = Blocklist(kind="domain", value="spam.example", reason="")
        # A package built for Switzerland, kept on the site, so its delivery can be
        # recorded or sent by email.
        package = DeliveryPackage(
            petition_id=petition["id"],
            recipient_country="CH",
            signature_count=1,
            language="en",
            mode="names",
            manifest_sha256=hashlib.sha256(b"{}").hexdigest(),
            zip_name="call-to-governments-CH-20260101-000000.zip",
        )
        kept = io.BytesIO()
        with zipfile.ZipFile(kept, "w") as archive:
            archive.writestr("CH/manifest.json", b"{}")
        kept.seek(0)
        stored_files.store(db.session, FileKind.PACKAGE, petition["id"], package.zip_name, kept)
        # A package asked for, waiting for its worker.
        job = PackageJob(petition_id=petition["id"], country="CH", language="en")
        spare = Organiser(email="spare@example.org", role="editor", password_hash="!")
        db.session.add_all([update, block, package, job, spare])
        db.session.flush()
        # The update in French, so its page and its deletion can be reached.
        db.session.add(
            SupporterUpdateTranslation(
                update_id=update.id,
                language="fr",
                subject="Nouvelles",
                body_markdown="Bonjour",
                source_subject=update.subject,
                source_body_markdown=update.body_markdown,
                source_digest="",
            )
        )
        # A draft publication, written in English.
        publication = Publication(slug="report", language="en", published_on=date(2026, 1, 1))
        publication.translations.append(PublicationTranslation(language="en", title="Report"))
        db.session.add(publication)
        event, _created = seed_demo_event(db.session.get(Petition, petition["id"]))
        # A delivery to Spain recorded, so its answer can be.
        delivery = add_delivery(petition["id"], "ES", today(petition["id"]))
        db.session.commit()
        target = db.session.scalar(
            db.select(GovernmentTarget.id).where(GovernmentTarget.petition_id == petition["id"])
        )
        return {
            "petition": petition["id"],
            "signature": signature,
            "notable": notable,
            "update": update.id,
            "block": block.id,
            "target": target,
            "delivery": delivery,
            "slug": "call-to-governments",
            "package": "missing.zip",
            "package_id": package.id,
            "job": job.id,
            "language": "fr",  # the demo call is in English and has a French translation
            # The account an administrator acts on (ends its sessions, disables it...):
            # none of the clients', so each role's answer is its own.
            "account": spare.id,
            "publication": publication.id,
            "event": event.id,
        }


def request(client, method: str, url: str, data: dict | None):
    # Buffered: a streamed body left open would be closed (and its request torn down)
    # whenever it is garbage-collected, in the middle of a later request.
    if method == "GET":
        return client.get(url, buffered=True)
    # A real session token, so the CSRF check passes and the role check is what answers.
    token = csrf_token(client, "/organiser/sign-in" if not _signed_in(client) else "/organiser/")
    return client.post(url, data={"csrf_token": token, **(data or {})}, buffered=True)


def _signed_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


@pytest.mark.parametrize(
    ("method", "path", "allowed", "data"),
    ROUTES,
    ids=[f"{method} {path}" for method, path, _, _ in ROUTES],
)
def test_every_route_checks_the_role(as_role, world, method, path, allowed, data):
    url = path.format(**world)

    anonymous = request(as_role(None), method, url, data)
    assert anonymous.status_code == 302, "anonymous"
    assert anonymous.headers["Location"].startswith("/organiser/sign-in?next=/organiser/")

    for role in ROLES:
        response = request(as_role(role), method, url, data)
        if role in allowed:
            if method == "GET":
                # No package was made in this world: past the role check, a plain 404.
                expected = 404 if url.endswith("/missing.zip") else 200
                assert response.status_code == expected, role
                assert response.headers["Cache-Control"] == "no-store"
            else:
                # The action ran (a redirect) or its form answered (an error in the form).
                # A deletion already done by the role before is a 404: past the role check.
                answers = (200, 303, 400, 422, 404) if url.endswith("/delete") else (200, 303, 422)
                assert response.status_code in answers, (role, response.status_code)
                assert "/organiser/sign-in?next=" not in response.headers.get("Location", "")
        else:
            assert response.status_code == 403, role


def test_the_table_covers_every_route(app):
    open_to_all = {
        "/organiser/sign-in",
        "/organiser/sign-in/code",
        "/organiser/forgot-password",
        "/organiser/reset-password/<token>",
        "/organiser/invitation/<token>",
    }
    in_table = {(method, path.split("?")[0]) for method, path, _, _ in ROUTES}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/organiser") or rule.rule in open_to_all:
            continue
        template = (
            rule.rule.replace("<int:petition_id>", "{petition}")
            .replace("<int:update_id>", "{update}")
            .replace("<int:notable_id>", "{notable}")
            .replace("<int:signature_id>", "{signature}")
            .replace("<int:entry_id>", "{block}")
            .replace("<int:target_id>", "{target}")
            .replace("<int:delivery_id>", "{delivery}")
            .replace("<slug:slug>", "{slug}")
            .replace("<filename>", "{package}")
            .replace("<int:package_id>", "{package_id}")
            .replace("<int:job_id>", "{job}")
            .replace("<language>", "{language}")
            .replace("<int:organiser_id>", "{account}")
            .replace("<int:publication_id>", "{publication}")
            .replace("<int:event_id>", "{event}")
        )
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if "<any(" in template:
                prefix = template.split("<any(")[0]
                assert any(m == method and p.startswith(prefix) for m, p in in_table), rule
            else:
                assert (method, template) in in_table, (method, rule.rule)


def test_a_view_without_stated_roles_is_refused(make_app, organisers):
    """Fail closed: a new view that forgets role_required is not left open."""
    from campaign.organisers import access

    app = make_app()

    def forgotten():
        return "secret"

    app.add_url_rule("/organiser/forgotten", "organisers.forgotten", forgotten)
    from ..helpers.backoffice import signed_in

    client = signed_in(app.test_client(), organisers["admin"])
    assert client.get("/organiser/forgotten").status_code == 403
    assert "organisers.forgotten" not in access.OPEN_ENDPOINTS
