"""A call's text in the site's other languages, as organisers write and check it.

A translation records what it was written against (the text version and a
digest of the main title, summary, text and background), so any change to
the main text marks it out of date until an organiser saves it again. Pages
read translations through ``services.call_text``. Nothing here commits.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Organiser, Petition, PetitionTextVersion, PetitionTranslation
from ..organisers import audit
from .services import TRANSLATED_FIELDS, text_digest


class TranslationStatus(StrEnum):
    MISSING = "missing"  # none: pages in the language show the main text
    CURRENT = "current"  # written against the main text as it stands
    OUTDATED = "outdated"  # the main text changed since it was last saved
    UNCHECKED = "unchecked"  # saved before what it was written against was recorded


@dataclass(frozen=True)
class TranslationRow:
    language: str
    translation: PetitionTranslation | None
    status: TranslationStatus


def translation_languages(petition: Petition) -> list[str]:
    """The site's languages a call can be translated into: all but its main language."""
    return [code for code in current_app.config["LANGUAGES"] if code != petition.language]


def translation_of(petition: Petition, language: str) -> PetitionTranslation | None:
    return db.session.scalar(
        select(PetitionTranslation).where(
            PetitionTranslation.petition_id == petition.id,
            PetitionTranslation.language == language,
        )
    )


def translation_status(
    petition: Petition, translation: PetitionTranslation | None
) -> TranslationStatus:
    if translation is None:
        return TranslationStatus.MISSING
    if not translation.source_digest:
        return TranslationStatus.UNCHECKED
    if translation.source_digest != text_digest(petition):
        return TranslationStatus.OUTDATED
    return TranslationStatus.CURRENT


def translation_rows(petition: Petition) -> list[TranslationRow]:
    """One row per language the call can be translated into, in the site's order."""
    stored = {
        t.language: t
        for t in db.session.scalars(
            select(PetitionTranslation).where(PetitionTranslation.petition_id == petition.id)
        )
    }
    return [
        TranslationRow(code, stored.get(code), translation_status(petition, stored.get(code)))
        for code in translation_languages(petition)
    ]


def _translation_content(translation: PetitionTranslation | None) -> dict[str, Any]:
    fields = (*TRANSLATED_FIELDS, "source_version")
    return {field: getattr(translation, field) for field in fields} if translation else {}


def save_translation(
    petition: Petition, language: str, values: dict[str, str], actor: Organiser | None
) -> PetitionTranslation:
    """Add or change the call's text in ``language``, as written against its main text now.

    Saving, even unchanged, records that the translation was checked against
    the current main text: that is how an organiser clears "out of date".
    """
    translation = translation_of(petition, language)
    creating = translation is None
    before = _translation_content(translation)
    if translation is None:
        translation = PetitionTranslation(petition_id=petition.id, language=language)
        db.session.add(translation)
    for field in TRANSLATED_FIELDS:
        setattr(translation, field, values[field])
    translation.source_version = petition.text_version
    translation.source_digest = text_digest(petition)
    if not creating and not db.session.is_modified(translation):
        return translation
    db.session.flush()
    changes = audit.diff(before, _translation_content(translation))
    audit.record(
        actor,
        "add_translation" if creating else "edit_translation",
        "petition",
        petition.id,
        {"language": language, **changes},
    )
    return translation


def delete_translation(translation: PetitionTranslation, actor: Organiser | None) -> None:
    """Remove a translation: pages in its language fall back to the main text."""
    before = _translation_content(translation)
    audit.record(
        actor,
        "delete_translation",
        "petition",
        translation.petition_id,
        {"language": translation.language, **audit.diff(before, dict.fromkeys(before))},
    )
    db.session.delete(translation)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "same" or "gap"
    text: str


def text_changes_since(petition: Petition, version: int) -> list[DiffLine] | None:
    """What changed in the main title and text since ``version``, line by line.

    None when there is nothing to compare: the same version, or an old version
    whose text was never kept. The summary and background are not versioned.
    """
    if version < 1 or version >= petition.text_version:
        return None
    old = db.session.scalar(
        select(PetitionTextVersion).where(
            PetitionTextVersion.petition_id == petition.id,
            PetitionTextVersion.version == version,
        )
    )
    if old is None:
        return None
    before = [old.title, "", *old.body_markdown.splitlines()]
    after = [petition.title, "", *petition.body_markdown.splitlines()]
    lines: list[DiffLine] = []
    for line in difflib.unified_diff(before, after, lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("gap", "…"))
        elif line.startswith("+"):
            lines.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("removed", line[1:]))
        else:
            lines.append(DiffLine("same", line[1:]))
    return lines
