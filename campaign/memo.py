"""Values each process keeps for a few seconds instead of reading them on every request.

For data that changes a few times a day but is needed on every signature
(the call a form posts to, the blocklists). Each app keeps its own store in
``app.extensions``, so one test's values never reach the next test's app.
A process sees a change made elsewhere within the given time; the process
that made it can :func:`forget` at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")

# Keys may come from URLs (slugs): past this many, a store starts again empty.
MAX_KEYS = 1000


def remembered(store: str, key: Hashable, seconds: float, load: Callable[[], T]) -> T:
    """``load()``'s value for ``key``, reused for ``seconds`` (0: always loaded afresh)."""
    if not seconds:
        return load()
    values: dict[Hashable, tuple[T, float]] = current_app.extensions.setdefault(store, {})
    now = time.monotonic()
    hit = values.get(key)  # read once: another thread may clear the store meanwhile
    if hit is not None and now - hit[1] < seconds:
        return hit[0]
    value = load()
    if len(values) >= MAX_KEYS:
        values.clear()
    values[key] = (value, now)
    return value


def forget(store: str) -> None:
    """Drop every value of ``store`` in this process, so the next request loads afresh."""
    current_app.extensions.pop(store, None)
