"""The back office's long lists (signatures, the review queue, the audit log), a page at
a time: one query for the page, one for the count, and the page numbers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from .extensions import db


def page_of(query: Select[Any], page: int, per_page: int) -> tuple[list[Any], int]:
    """The rows of page ``page`` (from 1) of an ordered ``query``, and how many rows in all."""
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(query.limit(per_page).offset((max(page, 1) - 1) * per_page))
    return list(rows), total


class Pagination:
    """Page numbers for a list of ``total`` items shown ``per_page`` at a time."""

    def __init__(self, page: int, per_page: int, total: int) -> None:
        self.per_page, self.total = per_page, total
        self.pages = max(1, (total + per_page - 1) // per_page)
        self.page = min(max(page, 1), self.pages)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages
