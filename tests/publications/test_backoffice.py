"""The organisers' pages for publications, over HTTP: a draft created, written in other
languages, its PDFs uploaded (and refused when they are not PDFs), published, taken back
and deleted, each step in the audit log with ids and field names only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, FileKind, Publication, StoredFile

from ..helpers.backoffice import csrf_token
from .helpers import (
    create,
    image_bytes,
    pdf_bytes,
    publication_id,
    publish,
    save_texts,
    texts_url,
)

PDF = "application/pdf"


def _publication(app, pid: int) -> dict:
    with app.app_context():
        publication = db.session.get(Publication, pid)
        return {
            "status": publication.status,
            "texts": {t.language: t.title for t in publication.translations},
            "files": {f.language: f.size for f in publication.files},
            "cover": publication.cover is not None,
        }


def test_a_draft_is_created_translated_given_pdfs_and_published(app, as_role, petition):
    editor = as_role("editor")
    response = create(editor, call=petition["id"], cover=(_image(), "cover.png"))
    assert response.status_code == 303
    pid = publication_id(app)
    assert response.headers["Location"] == f"/organiser/publications/{pid}"
    assert _publication(app, pid) == {
        "status": "draft",
        "texts": {"en": "Annual report"},
        "files": {},
        "cover": True,
    }
    # Publishing without any PDF is refused with a message.
    refused = publish(editor, pid)
    assert refused.status_code == 303
    page = editor.get(f"/organiser/publications/{pid}").get_data(as_text=True)
    assert "Add a PDF in at least one language before publishing." in page
    assert _publication(app, pid)["status"] == "draft"

    french = pdf_bytes("Rapport")
    saved = save_texts(
        editor, pid, "fr", (french, "rapport.pdf", PDF), title="Rapport annuel", cover_alt="Vert"
    )
    assert saved.status_code == 303
    assert _publication(app, pid)["texts"] == {"en": "Annual report", "fr": "Rapport annuel"}
    assert _publication(app, pid)["files"] == {"fr": len(french)}
    assert publish(editor, pid).status_code == 303
    assert _publication(app, pid)["status"] == "published"
    page = editor.get(f"/organiser/publications/{pid}").get_data(as_text=True)
    assert "Take back to a draft" in page and "Rapport annuel" in page


def _image() -> object:
    import io

    return io.BytesIO(image_bytes())


@pytest.mark.parametrize(
    ("case", "upload", "message"),
    [
        ("not-a-pdf", (b"GIF89a" + b"\0" * 100, "report.pdf", PDF), "This file is not a PDF."),
        ("html-named-pdf", (b"<html><script>x</script></html>", "r.pdf", PDF), "not a PDF"),
        ("empty", (b"", "report.pdf", PDF), "This file is empty."),
        ("cut-short", (pdf_bytes()[:-200], "report.pdf", PDF), "not a PDF"),
        ("no-header", (b"x" + pdf_bytes(), "report.pdf", PDF), "not a PDF"),
    ],
)
def test_an_upload_that_is_not_a_pdf_is_refused_with_a_message(app, as_role, case, upload, message):
    editor = as_role("editor")
    create(editor)
    pid = publication_id(app)
    response = save_texts(editor, pid, "fr", upload)
    assert response.status_code == 422, case
    assert message in response.get_data(as_text=True)
    assert _publication(app, pid)["files"] == {}
    assert _publication(app, pid)["texts"] == {"en": "Annual report"}  # nothing half-saved


def test_a_pdf_with_a_wrong_name_or_type_is_judged_by_its_content(app, as_role):
    """The name and declared type are the browser's guess: the bytes decide, and the file
    is served as a PDF under a name of the site's own."""
    editor = as_role("editor")
    create(editor)
    pid = publication_id(app)
    data = pdf_bytes()
    response = save_texts(editor, pid, "fr", (data, "report.exe", "application/octet-stream"))
    assert response.status_code == 303
    publish(editor, pid)
    download = editor.get("/fr/publications/annual-report/download/fr", buffered=True)
    assert download.headers["Content-Type"] == PDF
    assert download.headers["Content-Disposition"] == 'attachment; filename="annual-report-fr.pdf"'
    assert download.data == data


def test_an_oversized_pdf_is_refused_with_a_message_never_a_500(make_app, organisers):
    from ..helpers.backoffice import signed_in

    app = make_app(PUBLICATION_MAX_BYTES=1024 * 1024)
    editor = signed_in(app.test_client(), organisers["editor"])
    create(editor)
    pid = publication_id(app)
    padding = b"%" + b"x" * (1024 * 1024) + b"\n"
    data = pdf_bytes()
    big = data[:9] + padding + data[9:]  # still a PDF, over the limit
    response = save_texts(editor, pid, "fr", (big, "big.pdf", PDF))
    assert response.status_code == 422
    assert "This file is too large: please choose a PDF under 1 MB." in response.get_data(
        as_text=True
    )
    # Far over the limit, the body is refused before its form is read: a page that says so.
    huge = data[:9] + b"%" + b"x" * (3 * 1024 * 1024) + b"\n" + data[9:]
    response = save_texts(editor, pid, "fr", (huge, "huge.pdf", PDF))
    assert response.status_code == 413
    assert "please go back and choose a PDF under 1 MB" in response.get_data(as_text=True)
    assert _publication(app, pid)["files"] == {}


def test_a_replaced_pdf_leaves_no_old_file_and_keeps_the_count(app, as_role):
    editor = as_role("editor")
    create(editor)
    pid = publication_id(app)
    save_texts(editor, pid, "en", (pdf_bytes("one"), "a.pdf", PDF))
    publish(editor, pid)
    as_role(None).get("/publications/annual-report/download/en", buffered=True)
    save_texts(editor, pid, "en", (pdf_bytes("two, longer"), "b.pdf", PDF))
    with app.app_context():
        kept = db.session.scalars(
            select(StoredFile).where(StoredFile.kind == FileKind.PUBLICATION)
        ).all()
        assert len(kept) == 1 and kept[0].petition_id is None
        publication = db.session.get(Publication, pid)
        assert publication.files[0].download_count == 1
        assert publication.files[0].stored_file_id == kept[0].id


def test_every_change_is_audited_with_ids_and_field_names_only(app, as_role):
    editor = as_role("editor")
    create(editor)
    pid = publication_id(app)
    save_texts(editor, pid, "fr", (pdf_bytes(), "r.pdf", PDF), title="Un titre secret")
    publish(editor, pid)
    publish(editor, pid, "0")
    url = f"/organiser/publications/{pid}"
    editor.post(f"{url}/delete", data={"csrf_token": csrf_token(editor, url)})
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        actions = [e.action for e in entries if e.target_type == "publication"]
        assert actions == [
            "create_publication",
            "translate_publication",
            "upload_publication_file",
            "publish_publication",
            "unpublish_publication",
            "delete_publication",
        ]
        assert all(e.target_id == str(pid) for e in entries if e.target_type == "publication")
        logged = repr([e.changes for e in entries])
        assert "Un titre secret" not in logged and "Annual report" not in logged
        assert db.session.get(Publication, pid) is None
        assert db.session.scalar(select(StoredFile.id)) is None  # its file went too


def test_a_published_publication_is_not_deleted(app, as_role):
    editor = as_role("editor")
    create(editor)
    pid = publication_id(app)
    save_texts(editor, pid, "en", (pdf_bytes(), "r.pdf", PDF))
    publish(editor, pid)
    url = f"/organiser/publications/{pid}"
    response = editor.post(f"{url}/delete", data={"csrf_token": csrf_token(editor, url)})
    assert response.status_code == 303
    assert _publication(app, pid)["status"] == "published"


def test_settings_are_edited_and_a_taken_address_refused(app, as_role, petition):
    editor = as_role("editor")
    create(editor)
    create(editor, slug="second-report")
    pid = publication_id(app, "second-report")
    url = f"/organiser/publications/{pid}"
    fields = {
        "csrf_token": csrf_token(editor, url),
        "slug": "annual-report",
        "language": "fr",
        "published_on": "2026-12-01",
        "petition_id": str(petition["id"]),
    }
    taken = editor.post(url, data=fields)
    assert taken.status_code == 422
    assert "Another publication has this address" in taken.get_data(as_text=True)
    saved = editor.post(url, data={**fields, "slug": "renamed"})
    assert saved.status_code == 303
    with app.app_context():
        publication = db.session.get(Publication, pid)
        assert (publication.slug, publication.language) == ("renamed", "fr")
        assert publication.petition_id == petition["id"]


def test_the_page_of_a_language_the_site_lacks_is_a_404(app, as_role):
    editor = as_role("editor")
    create(editor)
    pid = publication_id(app)
    assert editor.get(texts_url(pid, "de")).status_code == 404
    assert editor.get(texts_url(pid, "fr")).status_code == 200


def test_moderators_cannot_reach_the_pages(app, as_role):
    create(as_role("editor"))
    pid = publication_id(app)
    moderator = as_role("moderator")
    assert moderator.get("/organiser/publications").status_code == 403
    assert moderator.get(texts_url(pid, "fr")).status_code == 403
    assert "/organiser/publications" not in moderator.get("/organiser/").get_data(as_text=True)
    assert "/organiser/publications" in as_role("editor").get("/organiser/").get_data(as_text=True)
