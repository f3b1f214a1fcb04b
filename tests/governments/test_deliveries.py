"""Recording a delivery: only packages this site built, and only recorded deliveries are public."""

from __future__ import annotations

import hashlib
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.governments import deliveries
from campaign.models import Delivery, DeliveryPackage, GovernmentTarget, Petition, utcnow
from campaign.timezones import to_local

from ..exports.helpers import add_signature, reconcile
from .helpers import (
    SLUG,
    add_delivery,
    add_target,
    audit_entries,
    build_package,
    calls_base,
    post_form,
)

CALL_PAGE = f"/petitions/{SLUG}"
DELIVERIES_PAGE = f"/petitions/{SLUG}/deliveries"
CONTACTS = ("fdfa@example.org", "meae@example.org", "Bundeshaus", "quai d’Orsay")
SIGNERS = {"Anna Muster": "anna@signers.test", "Beat Beispiel": "beat@signers.test"}


@pytest.fixture
def signed(app, petition):
    """Two Swiss signers (shown publicly) and one French."""
    with app.app_context():
        for name, email in SIGNERS.items():
            add_signature(petition["id"], name, country="CH", email=email, public=True)
        add_signature(petition["id"], "Jeanne Exemple", country="FR", email="jeanne@signers.test")
        db.session.commit()
        reconcile(petition["id"])
    return petition


def _build(runner, out: Path, country: str = "CH", *extra: str) -> Path:
    result = runner.invoke(
        args=["export", "delivery", SLUG, "--country", country, "--out", str(out), *extra]
    )
    assert result.exit_code == 0, result.output
    (path,) = out.glob(f"*-{country}-*.zip")
    return path


def _manifest_sha(path: Path, country: str = "CH") -> str:
    with zipfile.ZipFile(path) as archive:
        return hashlib.sha256(archive.read(f"{country}/manifest.json")).hexdigest()


def _today(app) -> date:
    with app.app_context():
        zone = db.session.scalar(select(Petition.timezone))
    return to_local(utcnow(), zone).date()


def _public(client) -> tuple[str, str]:
    """The call page's deliveries section (the rest holds a fresh sign-form token) and the
    deliveries page."""
    page = client.get(CALL_PAGE).get_data(as_text=True)
    section = page.split('<section class="petition-exports"', 1)[1].split("</section>", 1)[0]
    return section, client.get(DELIVERIES_PAGE).get_data(as_text=True)


def _record_cli(runner, path: Path, *extra: str, when: str, country: str = "CH"):
    return runner.invoke(
        args=[
            "governments",
            "record-delivery",
            SLUG,
            "--country",
            country,
            "--channel",
            "by_hand",
            "--date",
            when,
            "--package",
            str(path),
            *extra,
        ]
    )


def _deliveries(app) -> list[Delivery]:
    with app.app_context():
        rows = list(db.session.scalars(select(Delivery).order_by(Delivery.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def test_building_and_downloading_a_package_publishes_nothing(
    app, client, runner, signed, tmp_path
):
    before = _public(client)
    path = _build(runner, tmp_path)
    assert _public(client) == before
    section, listing = before
    assert "Deliveries" not in section and "Nothing has been delivered yet." in listing
    with app.app_context():
        assert db.session.scalar(select(Petition.delivered_at)) is None
    assert _manifest_sha(path) not in client.get(CALL_PAGE).get_data(as_text=True)


def test_editor_records_a_delivery_in_the_back_office(
    app, as_role, organisers, runner, signed, tmp_path
):
    sha = _manifest_sha(_build(runner, tmp_path))
    base = calls_base(signed)
    client = as_role("editor")
    overview = client.get(f"{base}/deliveries").get_data(as_text=True)
    assert sha in overview and "No delivery recorded yet." in overview
    link = re.search(r'href="([^"]+/deliveries/new\?country=CH&amp;package=\d+)"', overview)
    form_url = link.group(1).replace("&amp;", "&")
    form = client.get(form_url).get_data(as_text=True)
    # the body defaults to the target's, who to the call's organisation, the date to today
    assert 'value="Federal Department of Foreign Affairs"' in form
    assert 'value="CyberPeace Institute"' in form
    assert f'value="{_today(app).isoformat()}"' in form
    with app.app_context():
        package_id = db.session.scalar(select(DeliveryPackage.id))
    response = post_form(
        client,
        form_url,
        {
            "package": str(package_id),
            "delivered_on": _today(app).isoformat(),
            "channel": "by_hand",
            "body": "Federal Department of Foreign Affairs, State Secretariat",
            "handed_over_by": "Delegation of the CyberPeace Institute",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    assert "The delivery to Switzerland is recorded." in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    [delivery] = _deliveries(app)
    with app.app_context():
        target = db.session.scalar(select(GovernmentTarget).where(GovernmentTarget.country == "CH"))
        call = db.session.get(Petition, signed["id"])
        assert delivery.target_id == target.id and delivery.package_id == package_id
        assert (delivery.country, delivery.channel, delivery.signature_count) == (
            "CH",
            "by_hand",
            2,
        )
        assert (
            delivery.manifest_sha256 == sha
            and delivery.recorded_by_id == organisers["editor"]["id"]
        )
        # retention counts from the last recorded delivery: the start of its day, call's time
        assert to_local(call.delivered_at, call.timezone).date() == _today(app)
        assert to_local(call.delivered_at, call.timezone).hour == 0
    [entry] = audit_entries(app, "record_delivery")
    assert entry.actor_id == organisers["editor"]["id"] and entry.target_id == str(delivery.id)
    assert entry.changes["manifest_sha256"] == sha and entry.changes["channel"] == "by_hand"
    assert "Delegation" not in str(entry.changes)  # who handed it over: not in the log
    section, listing = _public(as_role(None))
    for html in (section, listing):
        assert sha in html and "Federal Department of Foreign Affairs, State Secretariat" in html
        assert "By hand" in html
        assert "Delegation of the CyberPeace Institute" not in html  # maybe a person: kept inside
    inside = client.get(f"{base}/deliveries").get_data(as_text=True)
    assert "handed over by Delegation of the CyberPeace Institute" in inside
    # the package is recorded: it cannot be recorded twice
    again = client.get(f"{base}/deliveries").get_data(as_text=True)
    assert "Record its delivery" not in again
    assert client.get(form_url).status_code == 303


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (1, "A delivery cannot be dated in the future."),
        (-3, "This package was built on"),
    ],
)
def test_the_date_can_be_neither_in_the_future_nor_before_the_package(
    app, as_role, runner, signed, tmp_path, days, message
):
    _build(runner, tmp_path)
    form_url = f"{calls_base(signed)}/deliveries/new?country=CH"
    with app.app_context():
        package_id = db.session.scalar(select(DeliveryPackage.id))
    response = post_form(
        as_role("admin"),
        form_url,
        {
            "package": str(package_id),
            "delivered_on": (_today(app) + timedelta(days=days)).isoformat(),
            "channel": "email",
            "body": "Federal Department of Foreign Affairs",
            "handed_over_by": "CyberPeace Institute",
        },
    )
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert _deliveries(app) == []


def test_a_package_of_another_country_cannot_be_chosen(app, as_role, runner, signed, tmp_path):
    _build(runner, tmp_path / "fr", "FR")
    _build(runner, tmp_path / "ch", "CH")
    with app.app_context():
        french = db.session.scalar(
            select(DeliveryPackage.id).where(DeliveryPackage.recipient_country == "FR")
        )
    response = post_form(
        as_role("editor"),
        f"{calls_base(signed)}/deliveries/new?country=CH",
        {
            "package": str(french),
            "delivered_on": _today(app).isoformat(),
            "channel": "email",
            "body": "Someone",
            "handed_over_by": "Someone",
        },
    )
    assert response.status_code == 422 and _deliveries(app) == []


def test_record_delivery_from_the_command_line(app, client, runner, signed, tmp_path):
    path = _build(runner, tmp_path)
    sha = _manifest_sha(path)
    result = _record_cli(runner, path, "--by", "Ambassador's office", when=_today(app).isoformat())
    assert result.exit_code == 0, result.output
    assert f"manifest.json SHA-256 {sha}" in result.output
    [delivery] = _deliveries(app)
    assert delivery.body == "Federal Department of Foreign Affairs"  # the target's
    assert delivery.handed_over_by == "Ambassador's office" and delivery.recorded_by_id is None
    [entry] = audit_entries(app, "record_delivery")
    assert entry.actor_id is None
    section, listing = _public(client)
    assert sha in section and sha in listing and "Ambassador" not in section + listing
    # recorded once only
    twice = _record_cli(runner, path, when=_today(app).isoformat())
    assert twice.exit_code != 0 and "already recorded" in twice.output
    assert len(_deliveries(app)) == 1


def test_a_country_without_target_needs_a_body(app, runner, signed, tmp_path):
    with app.app_context():
        db.session.execute(
            GovernmentTarget.__table__.delete().where(GovernmentTarget.country == "FR")
        )
        db.session.commit()
    path = _build(runner, tmp_path, "FR")
    without = _record_cli(runner, path, country="FR", when=_today(app).isoformat())
    assert without.exit_code != 0 and "Please name the body the package went to." in without.output
    result = _record_cli(
        runner, path, "--body", "Quai d'Orsay", country="FR", when=_today(app).isoformat()
    )
    assert result.exit_code == 0, result.output
    [delivery] = _deliveries(app)
    assert delivery.target_id is None and delivery.handed_over_by == "CyberPeace Institute"


def test_command_line_refuses_a_package_this_site_never_built(app, runner, signed, tmp_path):
    path = _build(runner, tmp_path)
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(forged, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "CH/manifest.json":
                data = data.replace(b'"signature_count": 2', b'"signature_count": 2000')
            target.writestr(info, data)
    result = _record_cli(runner, forged, when=_today(app).isoformat())
    assert result.exit_code != 0
    assert "this site never built a package for CH" in result.output
    assert _manifest_sha(forged) in result.output
    assert _deliveries(app) == []


def test_command_line_refuses_a_zip_without_the_country_or_not_a_zip(app, runner, signed, tmp_path):
    path = _build(runner, tmp_path)
    other = _record_cli(runner, path, country="FR", when=_today(app).isoformat())
    assert other.exit_code != 0
    assert "This package has no folder for FR (no FR/manifest.json in the ZIP)." in other.output
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    broken = _record_cli(runner, junk, when=_today(app).isoformat())
    assert broken.exit_code != 0 and "This file is not a readable ZIP" in broken.output
    tomorrow = (_today(app) + timedelta(days=1)).isoformat()
    future = _record_cli(runner, path, when=tomorrow)
    assert future.exit_code != 0 and "cannot be dated in the future" in future.output
    bad_date = _record_cli(runner, path, when="31/12/2026")
    assert bad_date.exit_code != 0 and "YYYY-MM-DD" in bad_date.output
    assert _deliveries(app) == []


def test_retention_counts_from_the_latest_recorded_delivery(app, runner, signed, tmp_path):
    today = _today(app)
    first = _build(runner, tmp_path / "one")
    assert _record_cli(runner, first, when=today.isoformat()).exit_code == 0
    with app.app_context():
        latest = db.session.scalar(select(Petition.delivered_at))
    # another package, recorded later but delivered earlier: retention still counts from today
    second = _build(runner, tmp_path / "two", "CH", "--lang", "fr")  # another manifest
    with app.app_context():
        db.session.execute(
            DeliveryPackage.__table__.update()
            .where(DeliveryPackage.manifest_sha256 == _manifest_sha(second))
            .values(created_at=utcnow() - timedelta(days=10))
        )
        db.session.commit()
    earlier = (today - timedelta(days=5)).isoformat()
    assert _record_cli(runner, second, when=earlier).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(Petition.delivered_at)) == latest
    listing = app.test_client().get(DELIVERIES_PAGE).get_data(as_text=True)
    assert listing.index(_manifest_sha(first)) < listing.index(_manifest_sha(second))


def test_a_delivered_target_can_be_neither_removed_nor_moved(
    app, as_role, runner, signed, tmp_path
):
    path = _build(runner, tmp_path)
    assert _record_cli(runner, path, when=_today(app).isoformat()).exit_code == 0
    with app.app_context():
        swiss = db.session.scalar(
            select(GovernmentTarget.id).where(GovernmentTarget.country == "CH")
        )
    base = calls_base(signed)
    client = as_role("editor")
    response = post_form(client, f"{base}/governments", {}, to=f"{base}/governments/{swiss}/delete")
    assert response.status_code == 303
    assert "A delivery to Switzerland is recorded" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(GovernmentTarget, swiss) is not None
    moved = post_form(
        client,
        f"{base}/governments/{swiss}/edit",
        {"country": "LI", "body": "Office", "emails": "", "languages": "en", "threshold": "1"},
    )
    assert moved.status_code == 422
    assert "A delivery to Switzerland is recorded: the target" in moved.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(GovernmentTarget, swiss).country == "CH"


def test_no_contact_address_or_personal_data_in_public_output(app, runner, signed, tmp_path):
    for country in ("CH", "FR"):
        path = _build(runner, tmp_path / country, country)
        assert (
            _record_cli(runner, path, country=country, when=_today(app).isoformat()).exit_code == 0
        )
    client = app.test_client()
    outputs = [
        client.get(url).get_data(as_text=True)
        for url in (CALL_PAGE, DELIVERIES_PAGE, f"/fr{DELIVERIES_PAGE}", f"/petitions/{SLUG}.json")
    ]
    assert all(_manifest_sha(path, "FR") in html for html in outputs[:3])
    for html in outputs:
        for secret in (*CONTACTS, *SIGNERS.values(), "jeanne@signers.test", "@example.org"):
            assert secret not in html, secret
    # signers' names appear only where they chose to be listed, never in the deliveries
    assert not any(name in outputs[1] for name in (*SIGNERS, "Jeanne Exemple"))


def test_packages_built_on_the_page_are_listed_with_a_download_for_admins(
    app, as_role, organisers, signed
):
    admin = as_role("admin")
    built = build_package(app, admin, "CH", "fr")
    assert built.status_code == 200
    assert f'href="{calls_base(signed)}/deliveries"' in built.get_data(as_text=True)
    with app.app_context():
        package = db.session.scalar(select(DeliveryPackage))
        assert package.built_by_id == organisers["admin"]["id"]
    download = f'href="/organiser/exports/{SLUG}/delivery/{package.zip_name}"'
    assert download in admin.get(f"{calls_base(signed)}/deliveries").get_data(as_text=True)
    listing = as_role("editor").get(f"{calls_base(signed)}/deliveries").get_data(as_text=True)
    assert package.zip_name in listing and download not in listing  # personal data: admins only
    assert "Français" in as_role("editor").get(
        f"{calls_base(signed)}/deliveries/new?country=CH"
    ).get_data(as_text=True)  # the package's letter language, by name


def test_two_organisers_recording_one_package_at_once_record_it_once(app, petition, monkeypatch):
    """The other organiser's delivery lands between the check and the INSERT: the unique
    index refuses the second, which is told so, and the session stays usable."""
    with app.test_request_context():
        add_target(petition["id"], "CH")
        first = db.session.get(Delivery, add_delivery(petition["id"], "CH", _today(app)))
        db.session.commit()
        call = db.session.get(Petition, petition["id"])
        monkeypatch.setattr(deliveries, "recorded_package_ids", lambda petition: set())
        with pytest.raises(deliveries.DeliveryRefused, match="already recorded"):
            deliveries.record_delivery(
                call,
                first.package,
                delivered_on=first.delivered_on,
                channel="post",
                actor=None,
            )
        assert db.session.scalar(select(func.count()).select_from(Delivery)) == 1
