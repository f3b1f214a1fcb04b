"""Page numbers for the back office's long lists (signatures, the audit log)."""

from __future__ import annotations


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
