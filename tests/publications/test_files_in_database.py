"""A publication's PDF lives in the database, so every web host serves the same bytes:
uploaded through one app, read back through another, with no file written to disk."""

from __future__ import annotations

import os

from sqlalchemy import func, select

from campaign import stored_files
from campaign.extensions import db
from campaign.models import FileKind, StoredFile, StoredFileChunk

from ..helpers.backoffice import signed_in
from .helpers import create, pdf_bytes, publication_id, publish, save_texts


def _files_under(folder: str) -> set[str]:
    found = set()
    for root, _dirs, names in os.walk(folder):
        found |= {os.path.join(root, name) for name in names}
    return found


def test_a_pdf_uploaded_on_one_host_is_served_by_another_from_the_database(
    make_app, organisers, tmp_path
):
    first = make_app(EXPORT_DIR=str(tmp_path / "first"))
    editor = signed_in(first.test_client(), organisers["editor"])
    before = _files_under(str(tmp_path)) | _files_under(first.instance_path)
    # Larger than a chunk, so it is stored (and read) a chunk at a time.
    data = pdf_bytes()
    data = data[:9] + b"%" + os.urandom(stored_files.CHUNK_SIZE).hex().encode()[:1_500_000] + b"\n"
    data += pdf_bytes()[9:]
    create(editor)
    pid = publication_id(first)
    assert save_texts(editor, pid, "en", (data, "r.pdf", "application/pdf")).status_code == 303
    publish(editor, pid)
    after = _files_under(str(tmp_path)) | _files_under(first.instance_path)
    assert after - before == set(), "nothing is written to a host's disk"

    with first.app_context():
        stored = db.session.scalar(
            select(StoredFile).where(StoredFile.kind == FileKind.PUBLICATION)
        )
        assert stored.petition_id is None and stored.size == len(data)
        chunks = db.session.scalar(select(func.count()).where(StoredFileChunk.file_id == stored.id))
        assert chunks == 2
        # The store's own look-up by name works for a file of no call (IS NULL, not = NULL).
        assert stored_files.newest(FileKind.PUBLICATION, None, stored.name).id == stored.id

    second = make_app(EXPORT_DIR=str(tmp_path / "second"))
    served = second.test_client().get("/publications/annual-report/download/en", buffered=True)
    assert served.status_code == 200 and served.data == data
    assert served.headers["Content-Length"] == str(len(data))
    resumed = second.test_client().get(
        "/publications/annual-report/download/en", headers={"Range": "bytes=1048570-"}
    )
    assert resumed.status_code == 206 and resumed.get_data() == data[1048570:]
