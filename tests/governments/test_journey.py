"""The issue's "done when", as a new organiser team lives it, end to end: targets imported
from CSV (a bad file first), signers in Switzerland who ask to hear of it, the team told
when Switzerland is ready, a test package that changes nothing public, the real delivery
recorded, Switzerland's answer recorded; the scoreboard, JSON and feed follow, and each
Swiss signer who asked receives one email per event over real SMTP, nobody else any."""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections import Counter
from io import BytesIO

from ..helpers.browser import email_overflow
from ..helpers.journey import links_in, local_path, press_button, send_outbox, sign
from .helpers import SLUG, build_package, calls_base, post_form, targets_snapshot, today

PUBLIC = (
    f"/petitions/{SLUG}/governments",
    f"/petitions/{SLUG}/governments.json",
    f"/petitions/{SLUG}/governments.atom",
    f"/petitions/{SLUG}/deliveries",
)
TARGETS_CSV = (
    "country,body,email,language,threshold\n"
    "CH,Federal Department of Foreign Affairs,desk@fdfa.example.org,fr,3\n"
    "KE,Ministry of Foreign and Diaspora Affairs,desk@mfa.example.org,en,50\n"
)
BAD_CSV = TARGETS_CSV + "XX,Nowhere,not-an-address,en,-4\n"
SWISS_WHO_ASKED = ["ana@example.org", "bruno@example.org", "chloe@example.fr"]
OTHERS = ["quiet@example.org", "paris@example.fr"]  # Swiss who did not ask; French who did


def _confirm(app, client, smtp, email: str, country: str, news: bool, language: str = "en"):
    prefix = "" if language == "en" else f"/{language}"
    fields = {"name": email.split("@")[0].title(), "email": email, "country": country}
    if news:
        fields["government_news"] = "y"
    assert sign(client, SLUG, prefix, **fields).status_code == 303
    send_outbox(app)
    [link] = links_in(smtp.messages[-1])
    assert press_button(client, local_path(link)).status_code == 303


def _public_snapshot(client) -> dict[str, bytes]:
    return {path: client.get(path).get_data() for path in PUBLIC}


def _news_run(app) -> None:
    """What cron does each minute: queue news and threshold notices, then the outbox."""
    result = app.test_cli_runner().invoke(args=["governments-news", "send"])
    assert result.exit_code == 0, result.output
    send_outbox(app)


def _received(smtp) -> Counter:
    return Counter(to for m in smtp.messages for to in [m["To"].addresses[0].addr_spec])


def test_a_new_organiser_team_delivers_to_switzerland_and_records_its_answer(
    app, client, smtp, petition, organisers, as_role, tmp_path, page
):
    runner = app.test_cli_runner()
    csv_path = tmp_path / "targets.csv"

    # Targets from CSV: a bad row is reported by its line, and nothing is imported.
    csv_path.write_text(BAD_CSV)
    demo_targets = targets_snapshot(app)
    refused = runner.invoke(args=["governments", "import", SLUG, str(csv_path)])
    assert refused.exit_code != 0 and "line 4" in refused.output.lower()
    assert targets_snapshot(app) == demo_targets
    csv_path.write_text(TARGETS_CSV)
    imported = runner.invoke(args=["governments", "import", SLUG, str(csv_path)])
    assert imported.exit_code == 0, imported.output
    swiss = targets_snapshot(app)["CH"]
    assert "desk@fdfa.example.org" in swiss[1] and swiss[-1] == 3
    editor = as_role("editor")

    # Signers: three Swiss who ask to hear of it (one signs in French), two who do not count.
    for email in SWISS_WHO_ASKED:
        language = "fr" if email.endswith(".fr") else "en"
        _confirm(app, client, smtp, email, "CH", news=True, language=language)
    _confirm(app, client, smtp, OTHERS[0], "CH", news=False)
    _confirm(app, client, smtp, OTHERS[1], "FR", news=True)
    smtp.reset()

    # Switzerland reached its threshold (3): the team hears of it once, the dashboard says so.
    _news_run(app)
    _news_run(app)
    told = _received(smtp)
    assert told[organisers["admin"]["email"]] == 1 and told[organisers["editor"]["email"]] == 1
    for message in smtp.messages:
        html = message.get_body(("html",)).get_content()
        assert email_overflow(page, html, 320) <= 0, "the threshold email scrolls sideways"
    assert not set(told) & set(SWISS_WHO_ASKED + OTHERS)
    dashboard = editor.get(f"{calls_base(petition)}").get_data(as_text=True)
    assert "Ready to deliver" in dashboard and "Switzerland" in dashboard
    state = {g["code"]: g for g in client.get(PUBLIC[1]).get_json()["governments"]}
    assert state["CH"]["state"] == "ready" and state["CH"]["signature_count"] == 4
    smtp.reset()

    # A test package, built and downloaded: nothing public changes, nobody is told.
    before = _public_snapshot(client)
    admin = as_role("admin")
    built = build_package(app, admin, "CH", "fr")
    assert built.status_code == 200, built.get_data(as_text=True)[:500]
    [zip_name] = re.findall(r"/delivery/([\w.-]+\.zip)", built.get_data(as_text=True))[:1]
    package = admin.get(f"/organiser/exports/{SLUG}/delivery/{zip_name}", buffered=True)
    assert package.status_code == 200
    with zipfile.ZipFile(BytesIO(package.get_data())) as archive:
        sha = hashlib.sha256(archive.read("CH/manifest.json")).hexdigest()
    assert _public_snapshot(client) == before
    _news_run(app)
    assert smtp.messages == []

    # The real delivery, recorded by an editor: the scoreboard, JSON and feed follow.
    form_page = f"{calls_base(petition)}/deliveries/new?country=CH"
    [package_id] = re.findall(
        r'<option selected value="(\d+)"', editor.get(form_page).get_data(as_text=True)
    )
    recorded = post_form(
        editor,
        form_page,
        {
            "package": package_id,
            "delivered_on": today_iso(app, petition),
            "channel": "by_hand",
            "body": "Federal Department of Foreign Affairs",
            "handed_over_by": "Ambassador Jane Example",
        },
    )
    assert recorded.status_code == 303, recorded.get_data(as_text=True)[:2000]
    state = {g["code"]: g for g in client.get(PUBLIC[1]).get_json()["governments"]}
    assert state["CH"]["state"] == "delivered"
    assert state["CH"]["delivery_manifest_sha256"] == sha
    feed = client.get(PUBLIC[2]).get_data(as_text=True)
    assert "Switzerland" in feed and sha in feed
    assert sha in client.get(PUBLIC[0]).get_data(as_text=True)

    # Each Swiss signer who asked hears of it once; running cron again sends nothing more.
    _news_run(app)
    _news_run(app)
    assert _received(smtp) == Counter(SWISS_WHO_ASKED)
    french = next(m for m in smtp.messages if m["To"].addresses[0].addr_spec.endswith(".fr"))
    assert "Suisse" in french.get_body(("plain",)).get_content()
    news_html = french.get_body(("html",)).get_content()
    assert email_overflow(page, news_html, 320) <= 0, "the news email scrolls sideways"
    smtp.reset()

    # Switzerland's answer, recorded by the editor.
    [delivery_id] = re.findall(
        r"/answers/(\d+)", editor.get(f"{calls_base(petition)}/answers").get_data(as_text=True)
    )[:1]
    answered = post_form(
        editor,
        f"{calls_base(petition)}/answers/{delivery_id}",
        {
            "responded_on": today_iso(app, petition),
            "stance": "partly_supports",
            "summary": "Switzerland will raise hospital protection at the UN.",
            "text_en": "The Federal Council thanks the signatories.",
            "source_url": "https://www.admin.example.org/answer",
        },
    )
    assert answered.status_code == 303, answered.get_data(as_text=True)[:2000]
    state = {g["code"]: g for g in client.get(PUBLIC[1]).get_json()["governments"]}
    assert state["CH"]["response"] == {
        "date": today_iso(app, petition),
        "stance": "partly_supports",
        "summary": "Switzerland will raise hospital protection at the UN.",
        "url": "https://www.admin.example.org/answer",
        "texts": {"en": "The Federal Council thanks the signatories."},
    }
    assert state["CH"]["state"] == "responded"
    assert "raise hospital protection" in client.get(PUBLIC[2]).get_data(as_text=True)
    _news_run(app)
    _news_run(app)
    assert _received(smtp) == Counter(SWISS_WHO_ASKED)

    # Nothing personal in any public output.
    for body in _public_snapshot(client).values():
        text = body.decode()
        for secret in [*SWISS_WHO_ASKED, *OTHERS, "fdfa.example.org", "Ambassador Jane"]:
            assert secret not in text


def today_iso(app, petition) -> str:
    with app.app_context():
        return today(petition["id"]).isoformat()
