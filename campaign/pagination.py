"""The back office's long lists (signatures, the review queue, the audit log), a page at
a time: one query for the page, one for the count, and the page numbers.

The page number comes from the address, so anything can arrive there: "0", "-1",
"abc", "1e9" or twenty digits. None of it reaches the database as typed (PostgreSQL
refuses integers beyond 2^63): an unreadable number is page 1, one past the end is the
last page, and the person is told which they are looking at.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import flash, request
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, func, select

from .extensions import db

Row = TypeVar("Row")

# Far past the end of any list; keeps page numbers small integers everywhere.
MAX_PAGE = 10**9


def pages_for(total: int, per_page: int) -> int:
    """How many pages ``total`` items take (an empty list still has its one page)."""
    return max(1, (total + per_page - 1) // per_page)


def page_of(query: Select[Any], page: int, per_page: int) -> tuple[list[Any], int]:
    """The rows of page ``page`` (from 1; past the end, the last page) of an ordered
    ``query``, and how many rows in all."""
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = min(max(page, 1), pages_for(total, per_page))
    rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page))
    return list(rows), total


class Pagination:
    """Page numbers for a list of ``total`` items shown ``per_page`` at a time."""

    def __init__(self, page: int, per_page: int, total: int) -> None:
        self.per_page, self.total = per_page, total
        self.pages = pages_for(total, per_page)
        self.requested = page
        self.page = min(max(page, 1), self.pages)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def past_the_end(self) -> bool:
        return self.requested > self.pages


def page_asked(args: Mapping[str, str], name: str = "page") -> tuple[int, bool]:
    """(the page asked for, whether it could be read): a whole number from 1, at most
    :data:`MAX_PAGE`; none asked is page 1, anything else unreadable is page 1 too."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return 1, True
    if raw.isascii() and raw.isdigit():
        number = MAX_PAGE if len(raw) > len(str(MAX_PAGE)) else min(int(raw), MAX_PAGE)
        if number >= 1:
            return number, True
    return 1, False


def list_page(
    fetch: Callable[[int], tuple[list[Row], int]], per_page: int
) -> tuple[list[Row], Pagination]:
    """One page of a back-office list, for the ``?page=`` of the current request.

    ``fetch(page)`` gives that page's rows and the total (:func:`page_of` does). An
    unreadable page number shows the first page, one past the end the last page, each
    with a message saying so, never an error.
    """
    page, readable = page_asked(request.args)
    rows, total = fetch(page)
    pagination = Pagination(page, per_page, total)
    if not readable:
        flash(_("The page number in the address is not valid: this is the first page."), "info")
    elif pagination.past_the_end:
        flash(
            ngettext(
                "There is only %(num)d page: here it is.",
                "There are only %(num)d pages: this is the last one.",
                pagination.pages,
            ),
            "info",
        )
    return rows, pagination
