"""Files every host reads: press snapshots and delivery packages live in the database.

Two apps on one database stand for two hosts, each with a scratch folder of
its own (``EXPORT_DIR``), as two machines would have: a package built
through one is downloaded from the other, byte for byte; the press CSV is
the same file (same bytes, same ETag) whichever answers; and retention run
on one erases the packages for both. Over HTTP with the test client.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from campaign import stored_files
from campaign.exports import snapshots
from campaign.extensions import db
from campaign.models import (
    FileKind,
    PackageJob,
    Petition,
    PetitionState,
    StoredFile,
    StoredFileChunk,
    utcnow,
)

from ..helpers.backoffice import signed_in
from ..helpers.journey import CSRF
from .helpers import add_signature, reconcile

SLUG = "call-to-governments"
BASE = f"/organiser/exports/{SLUG}"
LIST = f"/petitions/{SLUG}/signatories"


@pytest.fixture
def two_hosts(app, make_app, petition, organisers, tmp_path):
    """Host A (the ``app`` fixture) and host B, signed-in admin clients on each."""
    other = make_app(EXPORT_DIR=str(tmp_path / "host-b"))
    with app.app_context():
        for country, n in (("CH", 3), ("FR", 2)):
            for i in range(n):
                add_signature(petition["id"], f"Signer {country} {i}", country=country)
        db.session.commit()
        reconcile(petition["id"])
    admin = organisers["admin"]
    return {
        "a": app,
        "b": other,
        "admin_a": signed_in(app.test_client(), admin),
        "admin_b": signed_in(other.test_client(), admin),
    }


def _build_on(app, client, country: str = "") -> str:
    """Ask for a package on ``app``'s pages and run that host's worker; the ZIP's link."""
    token = CSRF.search(client.get(f"{BASE}/delivery").get_data(as_text=True)).group(1)
    asked = client.post(
        f"{BASE}/delivery", data={"csrf_token": token, "country": country, "language": "en"}
    )
    assert asked.status_code == 303
    result = app.test_cli_runner().invoke(args=["export", "work", "--until-empty"])
    assert result.exit_code == 0, result.output
    ready = client.get(asked.headers["Location"]).get_data(as_text=True)
    return re.search(r'href="(/organiser/exports/[^"]+\.zip)"', ready).group(1)


def test_a_package_built_through_one_host_downloads_identical_from_the_other(two_hosts):
    link = _build_on(two_hosts["a"], two_hosts["admin_a"])
    from_a = two_hosts["admin_a"].get(link)
    from_b = two_hosts["admin_b"].get(link)
    assert from_a.status_code == from_b.status_code == 200
    assert from_b.data == from_a.data and from_b.data.startswith(b"PK")
    assert from_b.headers["Content-Type"] == "application/zip"
    assert int(from_b.headers["Content-Length"]) == len(from_b.data)
    assert "attachment" in from_b.headers["Content-Disposition"]
    with two_hosts["b"].app_context():
        (stored,) = db.session.scalars(select(StoredFile)).all()
        assert stored.kind == FileKind.PACKAGE and stored.name == link.rsplit("/", 1)[1]
        assert stored.sha256 == hashlib.sha256(from_b.data).hexdigest()
        job = db.session.scalar(select(PackageJob))
        assert job.status == "done" and job.zip_name == stored.name
    # Nothing is left in the building host's scratch folder.
    scratch = two_hosts["a"].config["EXPORT_DIR"]
    assert not os.path.exists(scratch) or os.listdir(scratch) == []


def test_the_press_csv_is_the_same_file_from_both_hosts(two_hosts):
    a, b = two_hosts["a"].test_client(), two_hosts["b"].test_client()
    first = a.get(LIST + ".csv")
    body = first.data  # streamed while host A wrote the snapshot
    snapshots.wait_for_jobs()
    assert body.count(b"\r\nsignatory,") == 5
    from_a, from_b = a.get(LIST + ".csv"), b.get(LIST + ".csv")
    assert from_a.data == from_b.data == body
    assert from_a.headers["ETag"] == from_b.headers["ETag"] == first.headers["ETag"]
    assert from_a.headers["Last-Modified"] == from_b.headers["Last-Modified"]
    assert int(from_b.headers["Content-Length"]) == len(body)
    revisit = b.get(LIST + ".csv", headers={"If-None-Match": from_a.headers["ETag"]})
    assert revisit.status_code == 304
    assert a.get(LIST + ".json").data == b.get(LIST + ".json").data
    with two_hosts["a"].app_context():
        # Host B found the snapshot fresh: it wrote none of its own.
        names = db.session.scalars(select(StoredFile.name).order_by(StoredFile.id)).all()
        assert names == [f"{SLUG}.csv", f"{SLUG}.json"]


def test_retention_on_one_host_erases_the_packages_for_both(two_hosts, petition):
    link = _build_on(two_hosts["a"], two_hosts["admin_a"], country="CH")
    assert two_hosts["admin_b"].get(link).status_code == 200
    with two_hosts["b"].app_context():
        call = db.session.get(Petition, petition["id"])
        call.state = PetitionState.DELIVERED
        call.delivered_at = utcnow() - timedelta(days=call.erase_after_delivery_days + 1)
        db.session.commit()
    result = two_hosts["b"].test_cli_runner().invoke(args=["retention", "run"])
    assert result.exit_code == 0 and "erased personal data of 5" in result.output
    assert two_hosts["admin_a"].get(link).status_code == 404
    assert two_hosts["admin_b"].get(link).status_code == 404
    with two_hosts["a"].app_context():
        assert db.session.scalars(select(StoredFile)).all() == []
        assert db.session.scalars(select(StoredFileChunk.file_id)).all() == []


def test_a_file_of_several_chunks_streams_whole_and_by_range(two_hosts, petition):
    built = io.BytesIO()
    with zipfile.ZipFile(built, "w") as archive:  # stored, not deflated: random bytes
        archive.writestr("CH/signatures.pdf", os.urandom(stored_files.CHUNK_SIZE * 2 + 12345))
        archive.writestr("CH/manifest.json", b'{"signature_count": 3}')
    data = built.getvalue()
    name = f"{SLUG}-CH-20260101-000000.zip"
    with two_hosts["a"].app_context():
        source = _Reader(data)
        stored = stored_files.store(db.session, FileKind.PACKAGE, petition["id"], name, source)
        db.session.commit()
        sizes = db.session.scalars(
            select(db.func.length(StoredFileChunk.data)).order_by(StoredFileChunk.seq)
        ).all()
        assert sizes == [stored_files.CHUNK_SIZE] * 2 + [len(data) - 2 * stored_files.CHUNK_SIZE]
        # Read in place, as a package is checked before it is emailed: reads cross chunks.
        with zipfile.ZipFile(stored_files.ChunkReader(db.engine, stored)) as archive:
            assert archive.read("CH/manifest.json") == b'{"signature_count": 3}'
            assert archive.testzip() is None
    whole = two_hosts["admin_b"].get(f"{BASE}/delivery/{name}")
    assert whole.data == data and whole.headers["Accept-Ranges"] == "bytes"
    start, end = stored_files.CHUNK_SIZE - 10, 2 * stored_files.CHUNK_SIZE + 9
    part = two_hosts["admin_b"].get(
        f"{BASE}/delivery/{name}", headers={"Range": f"bytes={start}-{end}"}
    )
    assert part.status_code == 206 and part.data == data[start : end + 1]
    assert part.headers["Content-Range"] == f"bytes {start}-{end}/{len(data)}"


class _Reader:
    """A source that hands out odd-sized reads, as a file may."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def read(self, size: int) -> bytes:
        piece = self.data[self.at : self.at + size]
        self.at += len(piece)
        return piece


def test_one_writer_for_every_host_and_the_previous_snapshot_meanwhile(two_hosts, petition):
    """While host A writes the first snapshot, host B answers 503; with a previous one,
    B serves it; a writer whose lease ran out (it died) is replaced."""
    a, b = two_hosts["a"], two_hosts["b"]
    b.config["EXPORT_SNAPSHOT_SECONDS"] = 0
    name = f"{SLUG}.csv"
    with a.app_context():
        writer = stored_files.LeasedWriter.claim(
            db.engine,
            FileKind.PRESS,
            petition["id"],
            name,
            lease=timedelta(seconds=60),
            created_at=utcnow(),
        )
        assert writer is not None
        writer.write(b"kind,name\r\nsignatory,Half Written\r\n")
    busy = b.test_client().get(LIST + ".csv")
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "10"
    assert "being prepared" in busy.json["error"]["message"]
    with b.app_context():  # a snapshot written earlier, by whichever host
        old = stored_files.store(
            db.session,
            FileKind.PRESS,
            petition["id"],
            name,
            _Reader(b"kind,name\r\nsignatory,Old Snapshot\r\n"),
            created_at=utcnow().replace(year=2023, month=11, day=14, hour=22, minute=13),
        )
        db.session.commit()
        old_id = old.id
    stale = b.test_client().get(LIST + ".csv")
    assert stale.status_code == 200 and b"Old Snapshot" in stale.data
    assert stale.headers["Last-Modified"].startswith("Tue, 14 Nov 2023 22:13:")
    with a.app_context():  # host A's writer died: its lease runs out
        db.session.execute(update(StoredFile).values(lease_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    fresh = b.test_client().get(LIST + ".csv")  # host B takes over and regenerates
    snapshots.wait_for_jobs()
    assert fresh.status_code == 200 and b"Signer CH 0" in fresh.data
    assert b"Half Written" not in fresh.data and b"Old Snapshot" not in fresh.data
    with pytest.raises(stored_files.LeaseLost):
        writer.complete(timedelta(0))  # the dead writer, come back, changes nothing
    with a.app_context():
        rows = db.session.execute(
            select(StoredFile.id, StoredFile.completed_at, StoredFile.writer_key)
        ).all()
        assert len(rows) == 2 and rows[0].id == old_id
        assert all(row.completed_at is not None and row.writer_key is None for row in rows)
