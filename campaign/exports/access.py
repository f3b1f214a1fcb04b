"""Who may use the organisers' export pages.

A placeholder until the organiser area (accounts and roles, built on another
branch) is merged: every organiser view is refused unless the configuration
opens it for tests. At merge time ``organiser_required`` checks the signed-in
organiser's role instead, and nothing else here changes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app


def organiser_required(role: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse the view (403) to anyone without ``role`` ("organiser" or "admin")."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_app.config.get("EXPORTS_OPEN_FOR_TESTS"):
                abort(403)
            return view(*args, **kwargs)

        wrapper.required_role = role  # type: ignore[attr-defined]
        return wrapper

    return decorator


def current_user_label() -> str | None:
    """Who is downloading, for the audit hook (None until sign-in exists)."""
    return None
