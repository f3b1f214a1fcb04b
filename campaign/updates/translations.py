"""An update's subject and text in the site's other languages, as editors write and check
them, and the version each reader gets.

The update's own text is in its call's main language. A translation records
the subject and text it was written against and their digest, so any change to
the update marks it out of date until an editor saves it again, as a call's
translations are (``petitions.translations``). While the update is a draft its
translations can change; once sending starts they are frozen with it
(``drafts``). Nothing here reads the request or commits.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from babel.lists import format_list
from sqlalchemy import select

from ..extensions import db
from ..i18n import language_name
from ..models import Organiser, Petition, SupporterUpdate, SupporterUpdateTranslation
from ..organisers import audit
from ..petitions.translations import DiffLine, TranslationStatus, translation_languages
from .drafts import require_draft

# What the audit log records of a translation: its text and what it was checked against.
_AUDITED = ("subject", "body_markdown", "source_digest")


def language_list(codes: list[str], locale: str) -> str:
    """Language names as ``locale`` lists them: "French and Spanish"."""
    return format_list([language_name(code, locale) for code in codes], locale=locale)


@dataclass(frozen=True)
class UpdateText:
    """One version of an update: what a reader in ``language`` gets."""

    language: str
    subject: str
    body_markdown: str


@dataclass(frozen=True)
class UpdateTranslationRow:
    language: str
    translation: SupporterUpdateTranslation | None
    status: TranslationStatus


def update_digest(subject: str, body_markdown: str) -> str:
    """A fingerprint of an update's subject and text (the main text, or a translation)."""
    return hashlib.sha256(json.dumps([subject, body_markdown]).encode()).hexdigest()


def main_digest(update_: SupporterUpdate) -> str:
    return update_digest(update_.subject, update_.body_markdown)


def _stored(update_: SupporterUpdate) -> dict[str, SupporterUpdateTranslation]:
    rows = db.session.scalars(
        select(SupporterUpdateTranslation).where(SupporterUpdateTranslation.update_id == update_.id)
    )
    return {row.language: row for row in rows}


def translation_of(update_: SupporterUpdate, language: str) -> SupporterUpdateTranslation | None:
    return db.session.scalar(
        select(SupporterUpdateTranslation).where(
            SupporterUpdateTranslation.update_id == update_.id,
            SupporterUpdateTranslation.language == language,
        )
    )


def translation_status(
    update_: SupporterUpdate, translation: SupporterUpdateTranslation | None
) -> TranslationStatus:
    if translation is None:
        return TranslationStatus.MISSING
    if translation.source_digest != main_digest(update_):
        return TranslationStatus.OUTDATED
    return TranslationStatus.CURRENT


def translation_rows(update_: SupporterUpdate, petition: Petition) -> list[UpdateTranslationRow]:
    """One row per language the update can be written in besides its own, in the site's order."""
    stored = _stored(update_)
    return [
        UpdateTranslationRow(code, stored.get(code), translation_status(update_, stored.get(code)))
        for code in translation_languages(petition)
    ]


def outdated_languages(update_: SupporterUpdate, petition: Petition) -> list[str]:
    return [
        row.language
        for row in translation_rows(update_, petition)
        if row.status == TranslationStatus.OUTDATED
    ]


def versions(update_: SupporterUpdate, petition: Petition) -> dict[str, UpdateText]:
    """Every version written, by language: the update's own first, then its translations.

    A translation into what is now the call's main language (or a language the site
    no longer offers) is left out: the update's own text is the version in it.
    """
    written = {
        petition.language: UpdateText(petition.language, update_.subject, update_.body_markdown)
    }
    stored = _stored(update_)
    for code in translation_languages(petition):
        if code in stored:
            written[code] = UpdateText(code, stored[code].subject, stored[code].body_markdown)
    return written


def _content(translation: SupporterUpdateTranslation | None) -> dict[str, Any]:
    return {field: getattr(translation, field) for field in _AUDITED} if translation else {}


def save_translation(
    update_: SupporterUpdate,
    language: str,
    subject: str,
    body_markdown: str,
    actor: Organiser | None,
) -> SupporterUpdateTranslation:
    """Add or change the update in ``language``, as checked against its text now.

    Saving, even unchanged, records that the translation was checked against the
    update as it stands: that is how an editor clears "out of date". Raises
    ``UpdateFrozen`` once sending has started, having written nothing.
    """
    require_draft(update_)
    translation = translation_of(update_, language)
    creating = translation is None
    before = _content(translation)
    after = {
        "subject": subject,
        "body_markdown": body_markdown,
        "source_digest": main_digest(update_),
    }
    if translation is not None and after == before:
        return translation  # already checked against this text: nothing to record
    if translation is None:
        translation = SupporterUpdateTranslation(update_id=update_.id, language=language)
        db.session.add(translation)
    translation.subject, translation.body_markdown = subject, body_markdown
    translation.source_subject = update_.subject
    translation.source_body_markdown = update_.body_markdown
    translation.source_digest = after["source_digest"]
    translation.updated_by_id = actor.id if actor else None
    db.session.flush()
    audit.record(
        actor,
        "add_update_translation" if creating else "edit_update_translation",
        "supporter_update",
        update_.id,
        {"language": language, **audit.diff(before, after)},
    )
    return translation


def delete_translation(
    update_: SupporterUpdate, translation: SupporterUpdateTranslation, actor: Organiser | None
) -> None:
    """Remove a translation: its readers get the update's own text, with the note."""
    require_draft(update_)
    before = _content(translation)
    audit.record(
        actor,
        "delete_update_translation",
        "supporter_update",
        update_.id,
        {"language": translation.language, **audit.diff(before, dict.fromkeys(before))},
    )
    db.session.delete(translation)


def changes_since(
    update_: SupporterUpdate, translation: SupporterUpdateTranslation
) -> list[DiffLine] | None:
    """What changed in the update's subject and text since the translation was saved,
    line by line; None when nothing did."""
    before = [translation.source_subject, "", *translation.source_body_markdown.splitlines()]
    after = [update_.subject, "", *update_.body_markdown.splitlines()]
    if before == after:
        return None
    lines: list[DiffLine] = []
    for line in difflib.unified_diff(before, after, lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("gap", "…"))
        else:
            kind = {"+": "added", "-": "removed"}.get(line[:1], "same")
            lines.append(DiffLine(kind, line[1:]))
    return lines
