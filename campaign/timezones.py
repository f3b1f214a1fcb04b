"""Times are stored in UTC; each call has a time zone in which organisers read and
enter its dates (opening, closing, moderation searches)."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@cache
def timezone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def to_utc(local: datetime | None, zone: str) -> datetime | None:
    """A wall-clock time in the call's time zone (from a form) as UTC, for storing."""
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def to_utc_bound(local: datetime | None, zone: str) -> datetime | None:
    """:func:`to_utc` for a search's bound ("from", "before"): a time so far back or ahead
    that UTC cannot hold it (0001-01-01 east of Greenwich) is the earliest or latest
    time there is, which is what such a bound means."""
    try:
        return to_utc(local, zone)
    except OverflowError:
        extreme = datetime.min if local is not None and local.year < 5000 else datetime.max
        return extreme.replace(tzinfo=UTC)


def to_local(moment: datetime | None, zone: str) -> datetime | None:
    """A stored UTC time as wall-clock time in ``zone``, without tzinfo (for a form)."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def iso_utc(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z (``2026-05-26T07:00:00Z``), as public data and exports
    write times; None for none."""
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


def local_time(moment: datetime | None, zone: str) -> str:
    """``2026-05-26 09:00 Europe/Zurich``: how organisers read a call's dates."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(zone) if valid_timezone(zone) else UTC)
    return f"{local:%Y-%m-%d %H:%M} {zone}"
