"""Notables' titles and their categories' names in the site's other languages.

Editors write them for a call, one language at a time. A title's translation
keeps the title it was written from (``source_title``): when the title
changes, the translation is out of date until an editor checks it, as for a
call's own text (``petitions.translations``), and is still shown meanwhile. A
category's translation is keyed by the category's text, so a renamed category
simply has none until it is translated. Public pages, the JSON and the letters
read them through :func:`texts_in`, falling back to the text as written.
Functions never read the request and never commit.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from flask import current_app, g
from sqlalchemy import select

from ..extensions import db
from ..i18n import InLanguage
from ..models import (
    NotableCategoryTranslation,
    NotableSignatory,
    NotableTranslation,
    Organiser,
    Petition,
)
from ..organisers import audit
from .services import notables_of


class TitleStatus(StrEnum):
    # The values of ``petitions.translations.TranslationStatus``: the pages share the tags.
    MISSING = "missing"  # pages in the language show the title as written
    CURRENT = "current"  # written from the title as it stands
    OUTDATED = "outdated"  # the title changed since; still shown until checked


@dataclass(frozen=True)
class TitleRow:
    notable: NotableSignatory
    translation: NotableTranslation | None
    status: TitleStatus


@dataclass(frozen=True)
class CategoryRow:
    category: str
    translation: NotableCategoryTranslation | None


def translation_languages(petition: Petition) -> list[str]:
    """The site's languages the titles can be translated into: all but the call's own."""
    return [code for code in current_app.config["LANGUAGES"] if code != petition.language]


def _stored_titles(petition: Petition, language: str) -> dict[int, NotableTranslation]:
    rows = db.session.scalars(
        select(NotableTranslation)
        .join(NotableSignatory, NotableSignatory.id == NotableTranslation.notable_id)
        .where(NotableSignatory.petition_id == petition.id, NotableTranslation.language == language)
    )
    return {row.notable_id: row for row in rows}


def _stored_categories(petition: Petition, language: str) -> dict[str, NotableCategoryTranslation]:
    rows = db.session.scalars(
        select(NotableCategoryTranslation).where(
            NotableCategoryTranslation.petition_id == petition.id,
            NotableCategoryTranslation.language == language,
        )
    )
    return {row.category: row for row in rows}


def title_status(notable: NotableSignatory, translation: NotableTranslation | None) -> TitleStatus:
    if translation is None:
        return TitleStatus.MISSING
    if translation.source_title != notable.title:
        return TitleStatus.OUTDATED
    return TitleStatus.CURRENT


def title_rows(petition: Petition, language: str) -> list[TitleRow]:
    """Every notable with a title (hidden ones too: they may be shown again), in order."""
    stored = _stored_titles(petition, language)
    return [
        TitleRow(notable, stored.get(notable.id), title_status(notable, stored.get(notable.id)))
        for notable in notables_of(petition)
        if notable.title
    ]


def categories_of(petition: Petition) -> list[str]:
    """The call's categories in the order the page shows them."""
    return list(dict.fromkeys(notable.category for notable in notables_of(petition)))


def category_rows(petition: Petition, language: str) -> list[CategoryRow]:
    stored = _stored_categories(petition, language)
    return [CategoryRow(category, stored.get(category)) for category in categories_of(petition)]


def summary(petition: Petition) -> dict[str, Counter[str]]:
    """Per language: how many titles are in each state, and categories translated."""
    counts: dict[str, Counter[str]] = {}
    for language in translation_languages(petition):
        tally = Counter(row.status.value for row in title_rows(petition, language))
        tally["titles"] = sum(tally.values())
        categories = category_rows(petition, language)
        tally["categories"] = len(categories)
        tally["categories_translated"] = sum(1 for row in categories if row.translation)
        counts[language] = tally
    return counts


def _digest(parts: list) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def source_digest(titles: list[TitleRow], categories: list[CategoryRow]) -> str:
    """The titles and categories a page was written from: the form's fields are named by
    notable and category position, so a change meanwhile must be caught before saving."""
    return _digest(
        [[row.notable.id, row.notable.title] for row in titles]
        + [row.category for row in categories]
    )


def translations_digest(titles: list[TitleRow], categories: list[CategoryRow]) -> str:
    """What was saved in the language when a page was served (someone else may save)."""
    return _digest(
        [[row.notable.id, row.translation.title if row.translation else None] for row in titles]
        + [row.translation.name if row.translation else None for row in categories]
    )


@dataclass(frozen=True)
class TitleInput:
    """What an editor entered for one title: the text, and for an out-of-date
    translation left unchanged, whether they confirmed it still fits the new title."""

    text: str
    confirmed: bool = False


def _title_fields(translation: NotableTranslation | None) -> dict[str, str | None]:
    if translation is None:
        return {"title": None, "source_title": None}
    return {"title": translation.title, "source_title": translation.source_title}


def _save_title(row: TitleRow, language: str, given: TitleInput, actor: Organiser | None) -> None:
    notable, translation = row.notable, row.translation
    before = _title_fields(translation)
    if not given.text:
        if translation is not None:
            db.session.delete(translation)
            translation = None
    elif translation is None:
        translation = NotableTranslation(
            notable_id=notable.id, language=language, title=given.text, source_title=notable.title
        )
        db.session.add(translation)
    elif given.text != translation.title or given.confirmed:
        # Changed, or confirmed as it is: now written from the title as it stands. An
        # out-of-date translation saved untouched and unconfirmed stays out of date.
        translation.title, translation.source_title = given.text, notable.title
    changes = audit.diff(before, _title_fields(translation))
    if not changes:
        return
    if notable.signature_id is not None:
        # A promoted signer: field names only, as for their other details.
        changes = {"fields": sorted(changes)}
    audit.record(
        actor, "translate_notable_title", "notable", notable.id, {"language": language, **changes}
    )


def _save_category(
    petition: Petition, row: CategoryRow, language: str, name: str, actor: Organiser | None
) -> None:
    before = row.translation.name if row.translation else None
    if before == (name or None):
        return
    if not name:
        db.session.delete(row.translation)
    elif row.translation is None:
        db.session.add(
            NotableCategoryTranslation(
                petition_id=petition.id, language=language, category=row.category, name=name
            )
        )
    else:
        row.translation.name = name
    audit.record(
        actor,
        "translate_notable_category",
        "petition",
        petition.id,
        {
            "language": language,
            "category": row.category,
            "name": {"before": before, "after": name or None},
        },
    )


def save_translations(
    petition: Petition,
    language: str,
    titles: dict[int, TitleInput],
    categories: dict[str, str],
    actor: Organiser | None,
) -> None:
    """Write the language's titles (by notable id) and category names (by category).

    An empty text removes the translation: pages show the text as written.
    Only the call's own notables and categories are written; anything else given
    is ignored. Translations of categories no longer used go, since nothing can
    show or edit them.
    """
    for row in title_rows(petition, language):
        if row.notable.id in titles:
            _save_title(row, language, titles[row.notable.id], actor)
    for row in category_rows(petition, language):
        if row.category in categories:
            _save_category(petition, row, language, categories[row.category], actor)
    in_use = set(categories_of(petition))
    for category, unused in _stored_categories(petition, language).items():
        if category not in in_use:
            db.session.delete(unused)
    db.session.flush()


# -- reading: pages, the JSON and the letters ---------------------------------------------


@dataclass(frozen=True)
class NotableTexts:
    """A call's notable titles and category names as a reader of ``language`` sees them."""

    language: str
    original_language: str
    titles: dict[int, str]
    categories: dict[str, str]

    def title(self, notable: NotableSignatory) -> InLanguage:
        translated = self.titles.get(notable.id) if notable.title else None
        if translated:
            return InLanguage(translated, self.language)
        return InLanguage(notable.title, self.original_language)

    def category(self, category: str) -> InLanguage:
        translated = self.categories.get(category)
        if translated:
            return InLanguage(translated, self.language)
        return InLanguage(category, self.original_language)


def texts_in(petition: Petition, language: str) -> NotableTexts:
    """The call's notable texts in ``language``, remembered for the rest of the request
    (a page asks once per notable)."""
    cache = g.setdefault("notable_texts", {})
    key = (petition.id, language)
    if key not in cache:
        titles: dict[int, str] = {}
        categories: dict[str, str] = {}
        if language != petition.language:
            titles = {k: row.title for k, row in _stored_titles(petition, language).items()}
            categories = {k: row.name for k, row in _stored_categories(petition, language).items()}
        cache[key] = NotableTexts(language, petition.language, titles, categories)
    return cache[key]
