"""The demo's publication: seeded by ``flask publications seed-demo`` after the call,
published, related to the call, in every language, with sample PDFs that say so."""

from __future__ import annotations

import io

from pypdf import PdfReader

from campaign import demo_content

PAGE = "/publications/playing-with-lives"


def test_the_demo_publication_is_seeded_once_with_sample_pdfs(runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = runner.invoke(args=["publications", "seed-demo"])
    assert first.exit_code == 0 and "demo publication created" in first.output
    again = runner.invoke(args=["publications", "seed-demo"])
    assert "already present" in again.output

    page = client.get(PAGE).get_data(as_text=True)
    assert "Playing with Lives: Cyberattacks on Healthcare are Attacks on People" in page
    assert "This is a demonstration" in page and "March 9, 2021" in page
    assert 'href="/petitions/call-to-governments"' in page
    call = client.get("/petitions/call-to-governments").get_data(as_text=True)
    assert f'href="{PAGE}"' in call

    languages = [d["language"] for d in client.get(f"{PAGE}.json").get_json()["downloads"]]
    assert languages == ["en", "fr", "es", "ar", "zh", "ru"]
    for language in ("en", "fr", "es", "ru"):
        pdf = client.get(f"{PAGE}/download/{language}", buffered=True)
        first_page = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
        notice = demo_content.PUBLICATION_SAMPLE_NOTICE[language]
        assert first_page.splitlines()[0] == notice, language
    for language, texts in demo_content.PUBLICATION_TEXTS.items():
        json = client.get(f"/{language}{PAGE}.json" if language != "en" else f"{PAGE}.json")
        assert json.get_json()["title"] == texts["title"]
        assert json.get_json()["language"] == language


def test_the_report_and_its_launch_event_link_to_each_other(app, runner, client):
    """The demo's order (bin/demo): the call, the report, then the panel on the report. A
    visitor finds the report from the call, and the launch from the report, and back."""
    from sqlalchemy import update

    from campaign.extensions import db
    from campaign.models import Publication

    for command in (["seed-demo"], ["publications", "seed-demo"], ["events", "seed-demo"]):
        assert runner.invoke(args=command).exit_code == 0
    event_page = f"/fr/events/{demo_content.EVENT_SLUG}"
    report = client.get(f"/fr{PAGE}").get_data(as_text=True)
    assert f'href="{event_page}"' in report
    panel = client.get(event_page).get_data(as_text=True)
    assert f'href="/fr{PAGE}"' in panel
    assert demo_content.PUBLICATION_TEXTS["fr"]["title"] in panel

    # Taken back to a draft, the report is named nowhere, not even by its event.
    with app.app_context():
        db.session.execute(update(Publication).values(status="draft"))
        db.session.commit()
    assert f'href="/fr{PAGE}"' not in client.get(event_page).get_data(as_text=True)
