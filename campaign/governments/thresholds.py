"""Thresholds that act: when a country's count reaches its target's threshold, the team's
admins and editors are told, once.

Confirming is the busiest write, so nothing is checked there: a periodic
:func:`notify_thresholds` (``flask governments-news send``, from cron)
compares the maintained per-country counts with the targets not yet
reached. One conditional UPDATE (``... WHERE threshold_reached_at IS NULL``)
claims every newly reached target and returns it, so two processes never
both tell anyone; the emails are queued in the same transaction. They carry
counts and the call's names, never a signer's data. Nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select

from .. import countries
from ..extensions import db
from ..i18n import public_url
from ..mail.services import enqueue
from ..models import CountryCount, GovernmentTarget, Organiser, OrganiserRole, Petition, utcnow
from ..petitions.services import call_text

KIND = "threshold_reached"

_targets = GovernmentTarget.__table__


@dataclass(frozen=True)
class Reached:
    """A target whose threshold was reached, as its email needs it."""

    petition_id: int
    country: str
    body: str
    threshold: int
    count: int


def notify_thresholds(now: datetime | None = None) -> list[Reached]:
    """Claim every target whose country has reached its threshold since the last run and
    queue an email per active admin and editor; return what was reached."""
    count = (
        select(CountryCount.signature_count)
        .where(
            CountryCount.petition_id == _targets.c.petition_id,
            CountryCount.country == _targets.c.country,
        )
        .scalar_subquery()
    )
    claimed = db.session.execute(
        _targets.update()
        .where(
            _targets.c.threshold > 0,
            _targets.c.threshold_reached_at.is_(None),
            count >= _targets.c.threshold,
        )
        # Not an organiser's edit: updated_at stays as it was.
        .values(threshold_reached_at=now or utcnow(), updated_at=_targets.c.updated_at)
        .returning(_targets.c.id)
    ).scalars()
    reached = _reached(list(claimed))
    if reached:
        team = _team()
        for target in reached:
            _tell(target, team)
    return reached


def _reached(target_ids: list[int]) -> list[Reached]:
    if not target_ids:
        return []
    rows = db.session.execute(
        select(
            GovernmentTarget.petition_id,
            GovernmentTarget.country,
            GovernmentTarget.body,
            GovernmentTarget.threshold,
            CountryCount.signature_count,
        )
        .join(
            CountryCount,
            and_(
                CountryCount.petition_id == GovernmentTarget.petition_id,
                CountryCount.country == GovernmentTarget.country,
            ),
        )
        .where(GovernmentTarget.id.in_(target_ids))
        .order_by(GovernmentTarget.petition_id, GovernmentTarget.country)
    ).all()
    return [Reached(*row) for row in rows]


def _team() -> list[tuple[str, str]]:
    """The active admins and editors: (address, name)."""
    rows = db.session.execute(
        select(Organiser.email, Organiser.name)
        .where(Organiser.active, Organiser.role.in_((OrganiserRole.ADMIN, OrganiserRole.EDITOR)))
        .order_by(Organiser.id)
    )
    return [(email, name) for email, name in rows]


def _tell(target: Reached, team: list[tuple[str, str]]) -> None:
    """The email to each of the team, in the call's own language (the one they write it in)."""
    petition = db.session.get(Petition, target.petition_id)
    language = petition.language
    title = call_text(petition, language).title
    country = countries.name(target.country, language)
    dashboard_url = public_url("organisers.petition_dashboard", language, petition_id=petition.id)
    for address, name in team:
        enqueue(
            kind=KIND,
            to_address=address,
            to_name=name,
            template=KIND,
            subject=_l(
                "Ready to deliver to %(country)s: “%(title)s”", country=country, title=title
            ),
            language=language,
            context={
                "petition": petition,
                "name": name,
                "target": target,
                "country_name": country,
                "dashboard_url": dashboard_url,
            },
            # Not mail to the call's signers: kept out of their failure and bounce reports.
            petition_id=None,
        )
