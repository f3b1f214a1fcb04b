"""URL converters."""

from typing import Any

from werkzeug.routing import BaseConverter, IntegerConverter, Map


class SlugConverter(BaseConverter):
    """Lower-case words joined by hyphens; no dots, so ``/<slug>.json`` is never ambiguous."""

    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"


class RowIdConverter(IntegerConverter):
    """``<int:…>`` for row ids: a number no database column holds is a 404, not a 500.

    SQLite stores integers in 64 bits and the driver raises OverflowError on a
    larger one (PostgreSQL's integer is 32 bits and raises its own error), so an
    id past the largest a column can hold never reaches a query.
    """

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)
