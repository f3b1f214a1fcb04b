"""Publications read and changed: typed functions that never read the request and never
commit (the caller commits, so a change and its audit entry land together).

:func:`published` is the one definition of what the public sees; every public
page, the JSON, the Atom feed, the home page and the call's page go through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import Select, delete, select, update

from .. import stored_files
from ..extensions import db
from ..models import (
    FileKind,
    Organiser,
    Petition,
    Publication,
    PublicationCover,
    PublicationFile,
    PublicationStatus,
    PublicationTranslation,
    StoredFile,
    utcnow,
)
from ..notables.portraits import Portrait
from ..organisers import audit

# The settings an organiser edits on the publication itself (texts are per language).
SETTINGS = ("slug", "language", "published_on", "petition_id")


class NotReady(ValueError):
    """A publication cannot be published yet: it has no PDF in any language."""


def published() -> Select[tuple[Publication]]:
    """The publications the public sees: published by an organiser, newest first.

    The one definition: a draft is in no page, list, JSON, feed or link."""
    return (
        select(Publication)
        .where(Publication.status == PublicationStatus.PUBLISHED)
        .order_by(Publication.published_on.desc(), Publication.id.desc())
    )


def public_publications(limit: int | None = None) -> list[Publication]:
    return list(db.session.scalars(published().limit(limit)))


def public_publication(slug: str) -> Publication | None:
    return db.session.scalar(published().where(Publication.slug == slug))


def public_publication_by_id(publication_id: int) -> Publication | None:
    return db.session.scalar(published().where(Publication.id == publication_id))


def publications_of_call(petition_id: int) -> list[Publication]:
    """The published publications related to a call, for its page."""
    return list(db.session.scalars(published().where(Publication.petition_id == petition_id)))


@dataclass(frozen=True)
class Texts:
    """A publication's texts as a page in ``wanted`` shows them: in that language when
    written, else in the publication's own (``fallback``), which the page says."""

    title: str
    summary_markdown: str
    cover_alt: str
    language: str
    wanted: str

    @property
    def fallback(self) -> bool:
        return self.language != self.wanted


def texts(publication: Publication, language: str) -> Texts:
    by_language = {t.language: t for t in publication.translations}
    found = (
        by_language.get(language)
        or by_language.get(publication.language)
        or next(iter(by_language.values()), None)
    )
    if found is None:  # never saved without a title; kept safe all the same
        return Texts(publication.slug, "", "", publication.language, language)
    return Texts(found.title, found.summary_markdown, found.cover_alt, found.language, language)


def downloads(publication: Publication) -> list[PublicationFile]:
    """Its PDFs, in the order of the site's languages."""
    order = {code: n for n, code in enumerate(current_app.config["LANGUAGES"])}
    return sorted(publication.files, key=lambda f: (order.get(f.language, len(order)), f.language))


def file_in(publication: Publication, language: str) -> PublicationFile | None:
    return next((f for f in publication.files if f.language == language), None)


def stored_file(row: PublicationFile) -> StoredFile | None:
    return db.session.get(StoredFile, row.stored_file_id)


def count_download(publication_id: int, language: str) -> None:
    """One more download of that PDF: an atomic increment in the database (two hosts
    counting at once both count), recording nothing about who downloaded it."""
    db.session.execute(
        update(PublicationFile)
        .where(PublicationFile.publication_id == publication_id)
        .where(PublicationFile.language == language)
        .values(download_count=PublicationFile.download_count + 1)
    )


def public_call(publication: Publication) -> Petition | None:
    """The related call, when the public may see it (a draft call is never linked)."""
    if publication.petition_id is None:
        return None
    call = db.session.get(Petition, publication.petition_id)
    return call if call is not None and call.is_public else None


def cover_of(publication_id: int) -> PublicationCover | None:
    return db.session.get(PublicationCover, publication_id)


# -- the back office ------------------------------------------------------------------


def all_publications() -> list[Publication]:
    return list(
        db.session.scalars(
            select(Publication).order_by(Publication.published_on.desc(), Publication.id.desc())
        )
    )


def slug_taken(slug: str, publication_id: int | None = None) -> bool:
    query = select(Publication.id).where(Publication.slug == slug)
    if publication_id is not None:
        query = query.where(Publication.id != publication_id)
    return db.session.scalar(query) is not None


def create(
    values: dict[str, Any], title: str, summary: str, actor: Organiser | None
) -> Publication:
    """A draft publication with its texts in its own language."""
    publication = Publication(**values, status=PublicationStatus.DRAFT)
    publication.translations.append(
        PublicationTranslation(language=values["language"], title=title, summary_markdown=summary)
    )
    db.session.add(publication)
    db.session.flush()
    audit.record(
        actor, "create_publication", "publication", publication.id, {"fields": sorted(values)}
    )
    return publication


def edit(publication: Publication, values: dict[str, Any], actor: Organiser | None) -> list[str]:
    """Change its settings; returns the names of the fields that changed."""
    changed = sorted(k for k, v in values.items() if getattr(publication, k) != v)
    for key in changed:
        setattr(publication, key, values[key])
    if changed:
        publication.updated_at = utcnow()
        audit.record(actor, "edit_publication", "publication", publication.id, {"fields": changed})
    return changed


def save_texts(
    publication: Publication, language: str, values: dict[str, str], actor: Organiser | None
) -> list[str]:
    """Write its title, summary and cover's alt text in ``language``; returns the fields
    that changed."""
    row = next((t for t in publication.translations if t.language == language), None)
    if row is None:
        row = PublicationTranslation(language=language, title="", summary_markdown="", cover_alt="")
        publication.translations.append(row)
    changed = sorted(k for k, v in values.items() if getattr(row, k) != v)
    for key in changed:
        setattr(row, key, values[key])
    if changed:
        row.updated_at = publication.updated_at = utcnow()
        audit.record(
            actor,
            "translate_publication",
            "publication",
            publication.id,
            {"language": language, "fields": changed},
        )
    return changed


def set_file(
    publication: Publication, language: str, source: BinaryIO, actor: Organiser | None
) -> PublicationFile:
    """Store ``source`` (checked by ``files.checked_size``) as its PDF in ``language``, in
    the database, replacing the one before; its download count carries on."""
    stored = stored_files.store(
        db.session, FileKind.PUBLICATION, None, f"{publication.slug}-{language}.pdf", source
    )
    row = file_in(publication, language)
    old_file_id = row.stored_file_id if row is not None else None
    if row is None:
        row = PublicationFile(language=language, download_count=0)
        publication.files.append(row)
    row.stored_file_id, row.size, row.sha256 = stored.id, stored.size, stored.sha256 or ""
    row.uploaded_at = publication.updated_at = utcnow()
    db.session.flush()
    if old_file_id is not None:
        _delete_stored([old_file_id])
    audit.record(
        actor,
        "upload_publication_file",
        "publication",
        publication.id,
        {"language": language, "size": stored.size, "sha256": stored.sha256},
    )
    return row


def _delete_stored(file_ids: list[int]) -> None:
    db.session.execute(
        delete(StoredFile)
        .where(StoredFile.id.in_(file_ids))
        .execution_options(synchronize_session=False)
    )


def set_cover(publication: Publication, cover: Portrait, actor: Organiser | None) -> None:
    row = cover_of(publication.id)
    if row is None:
        row = PublicationCover(publication_id=publication.id)
        db.session.add(row)
    row.data, row.content_type, row.sha256 = cover.data, cover.content_type, cover.sha256
    row.width, row.height, row.created_at = cover.width, cover.height, utcnow()
    publication.updated_at = utcnow()
    audit.record(actor, "upload_publication_cover", "publication", publication.id)


def remove_cover(publication: Publication, actor: Organiser | None) -> None:
    db.session.execute(
        delete(PublicationCover).where(PublicationCover.publication_id == publication.id)
    )
    audit.record(actor, "remove_publication_cover", "publication", publication.id)


def set_published(publication: Publication, publish: bool, actor: Organiser | None) -> None:
    """Publish (it needs a PDF in at least one language) or take back to a draft."""
    if publish and not publication.files:
        raise NotReady("no PDF")
    status = PublicationStatus.PUBLISHED if publish else PublicationStatus.DRAFT
    if publication.status != status:
        publication.status = status
        publication.updated_at = utcnow()
        action = "publish_publication" if publish else "unpublish_publication"
        audit.record(actor, action, "publication", publication.id)


def delete_publication(publication: Publication, actor: Organiser | None) -> None:
    """Delete a draft, its texts, cover, counts and files (on every host at once)."""
    file_ids = [row.stored_file_id for row in publication.files]
    audit.record(actor, "delete_publication", "publication", publication.id)
    db.session.delete(publication)
    db.session.flush()
    if file_ids:
        _delete_stored(file_ids)
