"""The cover text: how a call's letter opens, written per language by its editors.

A language without one gets a default drawn from the call's own text in that
language: its summary, without the sentences that ask the reader to sign,
join or share (a summary is written for the public: "Join the call…"), or,
when nothing of it is left, the first paragraph of the call that is a full
sentence and no such appeal. So the default never repeats the call's closing
"Add your name…". A language the call has no translation in has no default
(the letter would otherwise open in another language): its editors write one,
or the letter opens with its introduction alone. Every change is in the audit
log with the text before and after (campaign content). Functions never read
the request and never commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import LetterCoverText, Organiser, Petition
from ..organisers import audit
from ..petitions.services import call_text
from .text import FULL_SENTENCE, is_appeal, plain_blocks, without_appeals, without_closing_appeal

TEXT_MAX = 5000


def paragraphs(text: str) -> list[str]:
    """A written text's paragraphs: separated by blank lines, each line break a space."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks if block]


def cover_text_of(petition: Petition, language: str) -> LetterCoverText | None:
    return db.session.scalar(
        select(LetterCoverText).where(
            LetterCoverText.petition_id == petition.id, LetterCoverText.language == language
        )
    )


def written_cover_texts(petition: Petition) -> dict[str, LetterCoverText]:
    """The cover texts the call's editors wrote, by language."""
    rows = db.session.scalars(
        select(LetterCoverText).where(LetterCoverText.petition_id == petition.id)
    )
    return {row.language: row for row in rows}


def default_cover(petition: Petition, language: str) -> list[str]:
    """The paragraphs a letter in ``language`` opens with when no cover text was written."""
    text = call_text(petition, language)
    if text.language != language:
        return []
    summary, _appeals = without_appeals(text.summary)
    if summary:
        return [summary]
    for block in plain_blocks(text.body_markdown):
        full = block.kind == "paragraph" and FULL_SENTENCE.search(block.text)
        if full and not is_appeal(block.text):
            return [block.text]
    return []


def cover_paragraphs(petition: Petition, language: str) -> tuple[list[str], bool]:
    """(paragraphs, is_default): the cover text written for ``language``, else the default."""
    written = cover_text_of(petition, language)
    if written is not None and written.text.strip():
        return paragraphs(written.text), False
    return default_cover(petition, language), True


def save_cover_text(
    petition: Petition, language: str, text: str, actor: Organiser | None
) -> LetterCoverText | None:
    """Write the cover text for ``language``; an empty text goes back to the default.

    Returns the row (None once back to the default). Saving it unchanged records
    nothing.
    """
    row = cover_text_of(petition, language)
    before = row.text if row is not None else ""
    text = (text or "").strip()
    if text == before:
        return row
    if not text:
        assert row is not None
        db.session.delete(row)
        row = None
    elif row is None:
        row = LetterCoverText(petition_id=petition.id, language=language, text=text)
        db.session.add(row)
    else:
        row.text = text
    if row is not None:
        row.updated_by_id = actor.id if actor is not None else None
    audit.record(
        actor,
        "edit_cover_text" if text else "reset_cover_text",
        "petition",
        petition.id,
        {"language": language, "cover_text": {"before": before or None, "after": text or None}},
    )
    return row


@dataclass(frozen=True)
class CoverLanguage:
    """What a letter in one language opens with, for the editors' page."""

    language: str
    written: LetterCoverText | None
    default: list[str]
    translated: bool  # the call has its own text in this language
    left_out: list[str]  # the call's closing appeal, which the letter omits


def cover_overview(petition: Petition, languages: list[str]) -> list[CoverLanguage]:
    written = written_cover_texts(petition)
    rows = []
    for language in languages:
        text = call_text(petition, language)
        _blocks, left_out = without_closing_appeal(plain_blocks(text.body_markdown))
        rows.append(
            CoverLanguage(
                language=language,
                written=written.get(language),
                default=default_cover(petition, language),
                translated=text.language == language,
                left_out=left_out,
            )
        )
    return rows
