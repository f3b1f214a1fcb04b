"""Writing a call: its content and schedule, its address, and the versions of its text.

Each signature records the text version it was signed under, so a change to
the title or the call's text makes a new version and keeps the text as it
stood. Functions never read the request and never commit: the caller does.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from ..extensions import db
from ..forms import SLUG_RULE
from ..models import Organiser, Petition, PetitionState, PetitionTextVersion, utcnow
from ..organisers import audit

# Words that are URLs of their own under /petitions/.
RESERVED_SLUGS = frozenset({"confirm", "withdraw", "unsubscribe"})
CONTENT_FIELDS = (
    "slug",
    "title",
    "summary",
    "body_markdown",
    "background_markdown",
    "organisation",
    "organisation_url",
    "organisation_blurb",
    "language",
    "state",
    "goal",
    "timezone",
    "opened_at",
    "closes_at",
    "featured",
)


def slug_problem(slug: str, petition_id: int | None = None) -> str | None:
    """Why ``slug`` cannot be a call's address, or None if it can."""
    if not SLUG_RULE.match(slug):
        return "rule"
    if slug in RESERVED_SLUGS:
        return "reserved"
    taken = db.session.scalar(
        select(Petition.id).where(Petition.slug == slug, Petition.id != (petition_id or -1))
    )
    return "taken" if taken is not None else None


def all_petitions() -> list[Petition]:
    return list(db.session.scalars(select(Petition).order_by(Petition.id.desc())))


def _content(petition: Petition) -> dict[str, Any]:
    return {field: getattr(petition, field) for field in CONTENT_FIELDS}


def _record_text_version(petition: Petition, actor: Organiser | None, note: str) -> None:
    db.session.add(
        PetitionTextVersion(
            petition_id=petition.id,
            version=petition.text_version,
            title=petition.title,
            body_markdown=petition.body_markdown,
            note=note,
            created_by_id=actor.id if actor else None,
        )
    )


def save_petition(
    petition: Petition | None, values: dict[str, Any], actor: Organiser | None, note: str = ""
) -> Petition:
    """Create a call (``petition`` None) or change one, versioning its text.

    A change of title or text bumps ``text_version`` (signatures record the
    version they were signed under) and keeps the new text as a version; the
    text before it is kept too if it never was (calls made before versioning).
    """
    creating = petition is None
    before: dict[str, Any] = {}
    if petition is None:
        petition = Petition(text_version=1, signature_count=0)
        db.session.add(petition)
    else:
        before = _content(petition)
    text_changed = not creating and (
        values["title"] != petition.title or values["body_markdown"] != petition.body_markdown
    )
    if text_changed:
        known = db.session.scalar(
            select(PetitionTextVersion.id).where(
                PetitionTextVersion.petition_id == petition.id,
                PetitionTextVersion.version == petition.text_version,
            )
        )
        if known is None:
            _record_text_version(petition, None, "")
    for field, value in values.items():
        setattr(petition, field, value)
    if petition.state == PetitionState.OPEN and petition.opened_at is None:
        petition.opened_at = utcnow()
    db.session.flush()
    if petition.featured:
        # One call is featured on the home page.
        db.session.execute(
            update(Petition)
            .where(Petition.id != petition.id, Petition.featured)
            .values(featured=False)
            .execution_options(synchronize_session="fetch")
        )
    if creating:
        _record_text_version(petition, actor, note)
        audit.record(actor, "create_petition", "petition", petition.id, _content(petition))
    else:
        if text_changed:
            petition.text_version += 1
            _record_text_version(petition, actor, note)
        changes = audit.diff(before, _content(petition))
        if changes:
            audit.record(actor, "edit_petition", "petition", petition.id, changes)
    return petition


def text_versions(petition: Petition) -> list[PetitionTextVersion]:
    return list(
        db.session.scalars(
            select(PetitionTextVersion)
            .where(PetitionTextVersion.petition_id == petition.id)
            .order_by(PetitionTextVersion.version.desc())
        )
    )


def text_history(petition: Petition) -> list[PetitionTextVersion]:
    """Changes to the text since the call opened (the public page's short history)."""
    if petition.opened_at is None or petition.text_version <= 1:
        return []
    return list(
        db.session.scalars(
            select(PetitionTextVersion)
            .where(
                PetitionTextVersion.petition_id == petition.id,
                PetitionTextVersion.created_at > petition.opened_at,
            )
            .order_by(PetitionTextVersion.version.desc())
            .limit(10)
        )
    )
