"""Files that every web host reads alike, kept in the database a chunk at a time.

Press snapshots and delivery packages used to live in a folder of each
host's own: a package built on one host was a 404 on the next, and a press
CSV differed between hosts for minutes. They are now rows
(:class:`~campaign.models.StoredFile`, its bytes in
:class:`~campaign.models.StoredFileChunk` rows of :data:`CHUNK_SIZE`), on
SQLite and PostgreSQL alike, with nothing to share or mount.

Nothing here holds a whole file in memory: a file is written a chunk at a
time and read a chunk at a time. Each chunk is read on a connection taken
from the pool and given back at once, in a transaction of its own: a
download that a slow client stretches over minutes never keeps a
transaction open (which on PostgreSQL would hold back vacuum, and tie up a
pooled connection, for as long as the client reads). The price is that a
file deleted mid-download cuts that download short (an error, never a
shorter file passed off as whole): packages are deleted only by erasure,
and a replaced snapshot is kept ``EXPORT_SNAPSHOT_KEEP_SECONDS`` for the
downloads still reading it.

A file written over time (a snapshot) is written by :class:`LeasedWriter`,
which holds the file's unique ``writer_key`` under a lease: two hosts never
write the same snapshot at once, and a writer that died is replaced once
its lease has run out. Readers see only complete files.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import BinaryIO

from flask import Response
from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.datastructures import ContentRange, Range

from .extensions import db
from .models import StoredFile, StoredFileChunk, utcnow

CHUNK_SIZE = 1 << 20


class FileGone(RuntimeError):
    """The file was deleted (or replaced and pruned) while it was being read."""


class LeaseLost(RuntimeError):
    """Another writer took the file over: this one must stop writing it."""


def _same(kind: str, petition_id: int | None, name: str):
    return (
        StoredFile.kind == kind,
        # IS NULL for a file of no call: "= NULL" would match nothing.
        StoredFile.petition_id.is_(None)
        if petition_id is None
        else StoredFile.petition_id == petition_id,
        StoredFile.name == name,
    )


def newest(kind: str, petition_id: int | None, name: str) -> StoredFile | None:
    """The latest complete file of that name, or None."""
    return db.session.scalar(
        select(StoredFile)
        .where(*_same(kind, petition_id, name), StoredFile.completed_at.is_not(None))
        .order_by(StoredFile.id.desc())
        .limit(1)
    )


def exists(kind: str, petition_id: int | None, name: str) -> bool:
    """Whether a file of that name exists, complete or being written."""
    found = db.session.scalar(select(StoredFile.id).where(*_same(kind, petition_id, name)).limit(1))
    return found is not None


def store(
    session: Session, kind: str, petition_id: int | None, name: str, source: BinaryIO, **values
) -> StoredFile:
    """Copy ``source`` into a complete file, in ``session``'s transaction (the caller commits).

    ``petition_id`` is None for a file that belongs to no call (a publication's PDF,
    found through its own row rather than by name).

    Each chunk is its own INSERT, so the session holds no more than one chunk.
    """
    row = StoredFile(kind=kind, petition_id=petition_id, name=name, **values)
    session.add(row)
    session.flush()
    digest, size, seq = hashlib.sha256(), 0, 0
    while data := source.read(CHUNK_SIZE):
        session.execute(insert(StoredFileChunk).values(file_id=row.id, seq=seq, data=data))
        digest.update(data)
        size, seq = size + len(data), seq + 1
    row.size, row.sha256, row.completed_at = size, digest.hexdigest(), utcnow()
    session.flush()
    return row


def delete_files(kind: str, petition_id: int) -> int:
    """Delete every file of that kind of a call, on every host at once (chunks cascade)."""
    return db.session.execute(
        delete(StoredFile)
        .where(StoredFile.kind == kind, StoredFile.petition_id == petition_id)
        .execution_options(synchronize_session=False)
    ).rowcount


def read_chunk(source: Engine | Connection, file_id: int, seq: int) -> bytes | None:
    """One chunk, None if there is none (yet). From an engine: in a short transaction of
    its own; from a connection (a session's): in that connection's transaction."""
    query = select(StoredFileChunk.data).where(
        StoredFileChunk.file_id == file_id, StoredFileChunk.seq == seq
    )
    if isinstance(source, Connection):
        data = source.scalar(query)
    else:
        with source.connect() as connection:
            data = connection.scalar(query)
    return bytes(data) if data is not None else None


def chunks(engine: Engine, file_id: int, start: int, stop: int) -> Iterator[bytes]:
    """The bytes ``start`` to ``stop`` (excluded) of a complete file, a chunk at a time."""
    seq, skip = divmod(start, CHUNK_SIZE)
    left = stop - start
    while left > 0:
        data = read_chunk(engine, file_id, seq)
        if data is None:
            raise FileGone(f"stored file {file_id} lost its chunk {seq} while being read")
        piece = data[skip : skip + left]
        yield piece
        left -= len(piece)
        seq, skip = seq + 1, 0


class ChunkReader(io.RawIOBase):
    """A complete file as a seekable binary file (for ``zipfile``), one chunk in memory.

    Read through ``source`` (see :func:`read_chunk`): a session's connection sees the
    file the session has just stored, before it commits.
    """

    def __init__(self, source: Engine | Connection, stored: StoredFile) -> None:
        super().__init__()
        self.source, self.file_id, self.size = source, stored.id, stored.size
        self.position = 0
        self.cached: tuple[int, bytes] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(base + offset, 0)
        return self.position

    def readinto(self, buffer) -> int:  # type: ignore[override]
        """Fill ``buffer`` across chunks as far as the file goes: ``zipfile`` takes a
        short read for the end of the file."""
        view, filled = memoryview(buffer).cast("B"), 0
        while filled < len(view) and self.position < self.size:
            seq, skip = divmod(self.position, CHUNK_SIZE)
            if self.cached is None or self.cached[0] != seq:
                data = read_chunk(self.source, self.file_id, seq)
                if data is None:
                    raise FileGone(f"stored file {self.file_id} lost its chunk {seq}")
                self.cached = (seq, data)
            piece = self.cached[1][skip : skip + len(view) - filled]
            view[filled : filled + len(piece)] = piece
            filled += len(piece)
            self.position += len(piece)
        return filled


def file_response(
    stored: StoredFile,
    *,
    mimetype: str,
    download_name: str | None = None,
    byte_range: Range | None = None,
) -> Response:
    """A streamed response of a complete file, whole or the one range asked (a resumed
    download), with its length; ``download_name`` makes it an attachment."""
    size, start, stop, status = stored.size, 0, stored.size, 200
    wanted = byte_range.range_for_length(size) if byte_range is not None else None
    if wanted is not None:
        (start, stop), status = wanted, 206
    body = chunks(db.engine, stored.id, start, stop)
    # direct_passthrough: Werkzeug would otherwise read the body to know its length.
    response = Response(body, status=status, mimetype=mimetype, direct_passthrough=True)
    response.content_length = stop - start
    response.accept_ranges = "bytes"
    if status == 206:
        response.content_range = ContentRange("bytes", start, stop, size)
    if download_name:
        response.headers["Content-Disposition"] = f'attachment; filename="{download_name}"'
    return response


class LeasedWriter:
    """Writes one file a chunk at a time, as the one holder of its ``writer_key``.

    Each chunk commits with the renewal of the lease, so readers of the
    file being written (:func:`read_chunk`) get its bytes as they come, and
    a writer that lost its lease (it stalled, another took over) stops at
    its next chunk with :class:`LeaseLost`. Readers looking for a complete
    file see the previous one until :meth:`complete` commits.
    """

    def __init__(self, engine: Engine, file_id: int, key: str, lease: timedelta) -> None:
        self.engine, self.file_id, self.key, self.lease = engine, file_id, key, lease
        self.digest, self.size, self.seq = hashlib.sha256(), 0, 0
        self.buffer = bytearray()

    @classmethod
    def claim(
        cls,
        engine: Engine,
        kind: str,
        petition_id: int,
        name: str,
        *,
        lease: timedelta,
        created_at: datetime,
    ) -> LeasedWriter | None:
        """Start writing a new version of the file; None while another writer holds it."""
        key = f"{kind}:{petition_id}:{name}"[:120]
        now = utcnow()
        with engine.connect() as connection:
            with connection.begin():
                # A writer whose lease ran out died: its half-written file goes.
                connection.execute(
                    delete(StoredFile).where(
                        StoredFile.writer_key == key, StoredFile.lease_until < now
                    )
                )
            try:
                with connection.begin():
                    file_id = connection.scalar(
                        insert(StoredFile)
                        .values(
                            kind=kind,
                            petition_id=petition_id,
                            name=name,
                            size=0,
                            created_at=created_at,
                            writer_key=key,
                            lease_until=now + lease,
                        )
                        .returning(StoredFile.id)
                    )
            except IntegrityError:
                return None  # another writer holds it
        return cls(engine, file_id, key, lease)

    def _mine(self, connection: Connection, **values) -> None:
        renewed = connection.execute(
            update(StoredFile)
            .where(StoredFile.id == self.file_id, StoredFile.writer_key == self.key)
            .values(**values)
        ).rowcount
        if renewed != 1:
            raise LeaseLost(f"stored file {self.file_id} was taken over")

    def write(self, data: bytes) -> int:
        """Add ``data``; return how many chunks are committed so far."""
        self.buffer += data
        while len(self.buffer) >= CHUNK_SIZE:
            self._commit_chunk(bytes(self.buffer[:CHUNK_SIZE]))
            del self.buffer[:CHUNK_SIZE]
        return self.seq

    def _commit_chunk(self, data: bytes) -> None:
        self.digest.update(data)
        self.size += len(data)
        with self.engine.begin() as connection:
            self._mine(connection, size=self.size, lease_until=utcnow() + self.lease)
            connection.execute(
                insert(StoredFileChunk).values(file_id=self.file_id, seq=self.seq, data=data)
            )
        self.seq += 1

    def complete(self, keep: timedelta) -> None:
        """Write the last chunk and make the file the one readers get; prune old versions.

        A version is deleted once a newer one has been complete for ``keep``:
        a download that started on it has had that long to finish.
        """
        if self.buffer:
            self._commit_chunk(bytes(self.buffer))
            self.buffer.clear()
        now = utcnow()
        with self.engine.begin() as connection:
            self._mine(
                connection,
                sha256=self.digest.hexdigest(),
                completed_at=now,
                writer_key=None,
                lease_until=None,
            )
            row = connection.execute(
                select(StoredFile.kind, StoredFile.petition_id, StoredFile.name).where(
                    StoredFile.id == self.file_id
                )
            ).one()
            same = _same(row.kind, row.petition_id, row.name)
            settled = connection.scalar(
                select(func.max(StoredFile.id)).where(*same, StoredFile.completed_at < now - keep)
            )
            if settled is not None:
                connection.execute(
                    delete(StoredFile).where(
                        *same, StoredFile.id < settled, StoredFile.completed_at.is_not(None)
                    )
                )

    def abandon(self) -> None:
        """Delete the half-written file (the build failed); nobody ever read it as whole."""
        with self.engine.begin() as connection:
            connection.execute(
                delete(StoredFile).where(
                    StoredFile.id == self.file_id, StoredFile.writer_key == self.key
                )
            )
