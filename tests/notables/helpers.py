"""Helpers for the notables' translation tests: the back office's pages for them, read and
posted as a browser would, and what the database holds."""

from __future__ import annotations

import html
import re

from sqlalchemy import delete, select

from campaign.extensions import db
from campaign.models import (
    AuditEntry,
    NotableCategoryTranslation,
    NotableSignatory,
    NotableTranslation,
)

_INPUT = re.compile(r"<input\b[^>]*>")


def translation_urls(petition: dict, language: str = "fr") -> dict[str, str]:
    base = f"/organiser/calls/{petition['id']}/notables/translations"
    return {"list": base, "edit": f"{base}/{language}"}


def page_fields(page: str) -> dict[str, str]:
    """The values a browser would send from the page's text and hidden inputs (ticked
    boxes are left to the caller)."""
    fields = {}
    for tag in _INPUT.findall(page):
        name = re.search(r'\bname="([^"]*)"', tag)
        kind = re.search(r'\btype="([^"]*)"', tag)
        if name is None or (kind and kind.group(1) in ("checkbox", "submit")):
            continue
        value = re.search(r'\bvalue="([^"]*)"', tag)
        fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return fields


def notable_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(NotableSignatory.id).where(NotableSignatory.name == name))


def title_field(app, name: str) -> str:
    return f"title_{notable_id(app, name)}"


def category_field(page: str, category: str) -> str:
    """The field of ``category`` on the page: its label names it."""
    label = re.escape(html.escape(category))
    match = re.search(rf'<label for="(category_[0-9a-f]{{12}})" lang="en">{label}</label>', page)
    assert match, f"no field for the category {category!r}"
    return match.group(1)


def stored_titles(app, language: str) -> dict[str, tuple[str, str]]:
    """{notable's name: (translated title, title it was written from)}."""
    with app.app_context():
        rows = db.session.execute(
            select(NotableSignatory.name, NotableTranslation.title, NotableTranslation.source_title)
            .join(NotableSignatory, NotableSignatory.id == NotableTranslation.notable_id)
            .where(NotableTranslation.language == language)
        )
        return {name: (title, source) for name, title, source in rows}


def stored_categories(app, language: str) -> dict[str, str]:
    with app.app_context():
        rows = db.session.execute(
            select(NotableCategoryTranslation.category, NotableCategoryTranslation.name).where(
                NotableCategoryTranslation.language == language
            )
        )
        return dict(rows.all())


def without_notable_translations(app) -> None:
    """The demo comes with French and Spanish titles; start from none."""
    with app.app_context():
        db.session.execute(delete(NotableTranslation))
        db.session.execute(delete(NotableCategoryTranslation))
        db.session.commit()


def audit_entries(app, *actions: str) -> list[AuditEntry]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEntry).where(AuditEntry.action.in_(actions)).order_by(AuditEntry.id)
            )
        )
