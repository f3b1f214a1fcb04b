"""The public scoreboard of a call's governments, as a page, JSON and an Atom feed."""

from __future__ import annotations

from . import bp  # noqa: F401 - its routes are added here
