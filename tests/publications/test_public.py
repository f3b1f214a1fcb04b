"""What the public sees of publications, over HTTP: the list, a page in English, French
and Arabic, downloads counted per language and tied to no one, the JSON, the Atom feed,
links from the home page and the call's page; and a draft nowhere at all."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import inspect, select

from campaign.extensions import db
from campaign.models import AuditEntry, Publication, PublicationFile

from .helpers import create, pdf_bytes, publication_id, publish, published_report, save_texts

ATOM = "{http://www.w3.org/2005/Atom}"
PAGE = "/publications/annual-report"


def test_the_page_in_english_french_and_arabic(app, as_role, client, petition):
    published_report(app, as_role, call=petition["id"], languages=("en", "fr"))
    english = client.get(PAGE).get_data(as_text=True)
    assert "<h1>Title in en</h1>" in english
    assert "Published on November 30, 2026" in english
    assert '<span lang="fr">Français</span>' in english and "(PDF, 1 kB)" in english
    assert f'href="{PAGE}/download/fr"' in english
    assert 'href="/petitions/call-to-governments"' in english  # the related call

    french = client.get("/fr" + PAGE).get_data(as_text=True)
    assert "<h1>Title in fr</h1>" in french and "30 novembre 2026" in french
    assert f'href="/fr{PAGE}/download/en"' in french
    assert "not available in your language" not in french

    # No Arabic text: the page falls back to the original language, and says so.
    arabic = client.get("/ar" + PAGE)
    assert arabic.status_code == 200
    page = arabic.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert '<h1 lang="en" dir="ltr">Title in en</h1>' in page
    assert "publication__fallback" in page


def test_the_list_shows_published_ones_newest_first(app, as_role, client):
    published_report(app, as_role)
    editor = as_role("editor")
    create(editor, slug="older-report", published_on="2020-01-15", title="Older report")
    older = publication_id(app, "older-report")
    save_texts(editor, older, "en", (pdf_bytes(), "o.pdf", "application/pdf"), title="Older")
    publish(editor, older)
    page = client.get("/publications/").get_data(as_text=True)
    assert page.index("Title in en") < page.index("Older")
    listed = client.get("/publications.json").get_json()["publications"]
    assert [p["slug"] for p in listed] == ["annual-report", "older-report"]


def test_downloads_are_counted_per_language_and_tied_to_no_one(app, as_role, client):
    pid = published_report(app, as_role)
    for _ in range(3):
        assert client.get(f"{PAGE}/download/fr", buffered=True).status_code == 200
    client.get(f"/ar{PAGE}/download/en", buffered=True)
    # A resumed download (a later range) and a HEAD are the same download, not another.
    resumed = client.get(f"{PAGE}/download/fr", headers={"Range": "bytes=100-"}, buffered=True)
    assert resumed.status_code == 206
    client.head(f"{PAGE}/download/fr")
    with app.app_context():
        counts = dict(
            db.session.execute(
                select(PublicationFile.language, PublicationFile.download_count).where(
                    PublicationFile.publication_id == pid
                )
            ).all()
        )
        assert counts == {"en": 1, "fr": 3}
        # Nothing about who: the counter row has no column that could hold a person.
        columns = {c["name"] for c in inspect(db.engine).get_columns("publication_file")}
        assert columns == {
            "publication_id",
            "language",
            "stored_file_id",
            "size",
            "sha256",
            "download_count",
            "uploaded_at",
        }
        downloads = select(AuditEntry.id).where(AuditEntry.action.like("%download%"))
        assert db.session.scalar(downloads) is None  # not even an entry in the log
    # The organisers see the counts; the public JSON does not carry them.
    editor_page = as_role("editor").get(f"/organiser/publications/{pid}").get_data(as_text=True)
    assert "4 in all" in editor_page
    assert "download_count" not in client.get(f"{PAGE}.json").get_data(as_text=True)
    assert client.get(f"{PAGE}/download/es").status_code == 404  # no Spanish PDF


def test_the_json_of_one_publication(app, as_role, client, petition):
    published_report(app, as_role, call=petition["id"])
    response = client.get(f"/fr{PAGE}.json")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    body = response.get_json()
    assert set(body) == {
        "slug",
        "url",
        "language",
        "title",
        "summary",
        "published_on",
        "updated_at",
        "cover_url",
        "cover_alt",
        "call",
        "languages",
        "downloads",
    }
    assert (body["slug"], body["language"], body["title"]) == ("annual-report", "fr", "Title in fr")
    assert body["url"] == "http://localhost/fr/publications/annual-report"
    assert body["published_on"] == "2026-11-30" and body["call"] == "call-to-governments"
    assert [d["language"] for d in body["downloads"]] == ["en", "fr"]
    assert body["downloads"][1] == {
        "language": "fr",
        "name": "Français",
        "url": "http://localhost/fr/publications/annual-report/download/fr",
        "type": "application/pdf",
        "size": body["downloads"][1]["size"],
        "sha256": body["downloads"][1]["sha256"],
    }


def test_the_atom_feed_parses_with_an_entry_per_publication(app, as_role, client):
    published_report(app, as_role)
    response = client.get("/fr/publications.atom")
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.findtext(f"{ATOM}title") == "Title in fr"
    assert entry.findtext(f"{ATOM}id").startswith("tag:localhost,")
    links = {(link.get("rel"), link.get("hreflang")): link.get("href") for link in entry.iter()}
    assert links[("alternate", None)] == "http://localhost/fr/publications/annual-report"
    assert links[("enclosure", "fr")].endswith("/publications/annual-report/download/fr")
    assert entry.findtext(f"{ATOM}published") == "2026-11-30T00:00:00Z"


def test_links_from_the_home_page_and_the_call(app, as_role, client, petition):
    published_report(app, as_role, call=petition["id"])
    assert f'href="{PAGE}"' in client.get("/").get_data(as_text=True)
    assert f'href="/fr{PAGE}"' in client.get("/fr/").get_data(as_text=True)
    call = client.get("/petitions/call-to-governments").get_data(as_text=True)
    assert 'id="publications-heading"' in call and f'href="{PAGE}"' in call


@pytest.mark.parametrize("taken_back", [False, True], ids=["never-published", "unpublished"])
def test_a_draft_is_nowhere(app, as_role, client, petition, taken_back):
    editor = as_role("editor")
    create(editor, call=petition["id"], cover=_cover())
    pid = publication_id(app)
    save_texts(editor, pid, "en", (pdf_bytes(), "r.pdf", "application/pdf"))
    if taken_back:
        publish(editor, pid)
        assert client.get(PAGE).status_code == 200
        publish(editor, pid, "0")
    with app.app_context():
        cover = db.session.get(Publication, pid).cover
        cover_path = f"/media/publications/{pid}/{cover.sha256[:16]}"
    for path in (PAGE, f"{PAGE}.json", f"{PAGE}/download/en", "/fr" + PAGE, cover_path):
        assert client.get(path, buffered=True).status_code == 404, path
    assert client.get(f"{PAGE}.json").get_json()["error"]["status"] == 404
    assert client.get("/publications.json").get_json() == {"publications": []}
    assert "annual-report" not in client.get("/publications/").get_data(as_text=True)
    assert client.get("/publications.atom").data.count(b"<entry") == 0
    assert "annual-report" not in client.get("/").get_data(as_text=True)
    call = client.get("/petitions/call-to-governments").get_data(as_text=True)
    assert "annual-report" not in call and 'id="publications-heading"' not in call
    with app.app_context():
        assert db.session.get(PublicationFile, (pid, "en")).download_count == 0


def _cover():
    import io

    from .helpers import image_bytes

    return (io.BytesIO(image_bytes()), "cover.png")


def test_the_cover_is_re_encoded_and_served_with_its_alt_text(app, as_role, client):
    editor = as_role("editor")
    create(editor, cover=_cover())
    pid = publication_id(app)
    save_texts(
        editor, pid, "en", (pdf_bytes(), "r.pdf", "application/pdf"), cover_alt="A green cover"
    )
    publish(editor, pid)
    page = client.get(PAGE).get_data(as_text=True)
    with app.app_context():
        cover = db.session.get(Publication, pid).cover
        path = f"/media/publications/{pid}/{cover.sha256[:16]}"
        assert cover.content_type == "image/jpeg" and max(cover.width, cover.height) <= 1200
    assert f'src="{path}" alt="A green cover"' in page
    served = client.get(path)
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    assert client.get(f"/media/publications/{pid}/0000000000000000").status_code == 404
