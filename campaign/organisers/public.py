"""Public pages of the organisers' feature: portraits of notable signatories and
the unsubscribe page of updates to supporters.

Both live outside ``/organiser/``: anyone may fetch them, and no session is
needed.
"""

from __future__ import annotations

from flask import Blueprint, current_app

from ..models import NotableSignatory

bp = Blueprint("organisers_public", __name__)


def portrait_path(notable: NotableSignatory) -> str | None:
    """The portrait's path (no language prefix: one URL for every page), or None."""
    if not notable.portrait_hash:
        return None
    return current_app.url_map.bind("localhost").build(
        "organisers_public.portrait",
        {"notable_id": notable.id, "digest": notable.portrait_hash[:16]},
    )


@bp.get("/media/notables/<int:notable_id>/<digest>")
def portrait(notable_id: int, digest: str):  # filled in with the notables
    from flask import abort

    abort(404)
