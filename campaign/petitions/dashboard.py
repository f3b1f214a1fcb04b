"""A call's dashboard: totals by state, signatures per day, the countries ready to deliver,
and the last hour's busiest addresses and email domains (where a wave of fraud shows first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select

from ..database import email_domain, utc_date
from ..extensions import db
from ..ip_addresses import unpack_ip
from ..models import (
    CountryCount,
    Delivery,
    GovernmentTarget,
    Lifecycle,
    Petition,
    Signature,
    Validity,
    utcnow,
)


@dataclass(frozen=True)
class Bar:
    """One day of the chart, with its geometry already worked out (SVG user units)."""

    day: str
    count: int
    x: float
    y: float
    width: float
    height: float


CHART_WIDTH, CHART_HEIGHT, CHART_DAYS = 600, 160, 30


def totals(petition: Petition) -> dict[str, int]:
    rows = db.session.execute(
        select(Signature.status, Signature.validity, func.count())
        .where(Signature.petition_id == petition.id)
        .group_by(Signature.status, Signature.validity)
    ).all()
    result = dict.fromkeys(("confirmed", "pending", "invalidated", "suspect", "withdrawn"), 0)
    for status, validity, count in rows:
        if status == Lifecycle.WITHDRAWN:
            result["withdrawn"] += count
        elif validity == Validity.INVALIDATED:
            result["invalidated"] += count
        elif validity == Validity.SUSPECT:
            result["suspect"] += count
        elif status == Lifecycle.CONFIRMED:
            result["confirmed"] += count
        else:
            result["pending"] += count
    return result


@dataclass(frozen=True)
class ReadyCountry:
    """A government whose country has reached its threshold and has had no delivery yet."""

    country: str
    body: str
    threshold: int
    count: int
    # When the team was told (None until ``flask governments-news send`` runs).
    reached_at: datetime | None


def ready_to_deliver(petition: Petition) -> list[ReadyCountry]:
    """The call's targets whose country's count has reached the threshold, with no recorded
    delivery to that country yet; from the maintained counts."""
    delivered = select(Delivery.id).where(
        Delivery.petition_id == petition.id, Delivery.country == GovernmentTarget.country
    )
    rows = db.session.execute(
        select(
            GovernmentTarget.country,
            GovernmentTarget.body,
            GovernmentTarget.threshold,
            CountryCount.signature_count,
            GovernmentTarget.threshold_reached_at,
        )
        .join(
            CountryCount,
            and_(
                CountryCount.petition_id == GovernmentTarget.petition_id,
                CountryCount.country == GovernmentTarget.country,
            ),
        )
        .where(
            GovernmentTarget.petition_id == petition.id,
            GovernmentTarget.threshold > 0,
            CountryCount.signature_count >= GovernmentTarget.threshold,
            ~delivered.exists(),
        )
        .order_by(CountryCount.signature_count.desc(), GovernmentTarget.country)
    ).all()
    return [ReadyCountry(*row) for row in rows]


def signatures_per_day(petition: Petition, now: datetime | None = None) -> list[Bar]:
    """Signatures received on each of the last 30 days (UTC), as bars of a chart."""
    now = now or utcnow()
    first = (now - timedelta(days=CHART_DAYS - 1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    day = utc_date(Signature.created_at)
    counts = dict(
        db.session.execute(
            select(day, func.count())
            .where(Signature.petition_id == petition.id, Signature.created_at >= first)
            .group_by(day)
        ).all()
    )
    days = [(first + timedelta(days=n)).strftime("%Y-%m-%d") for n in range(CHART_DAYS)]
    highest = max([counts.get(d, 0) for d in days] + [1])
    slot = CHART_WIDTH / CHART_DAYS
    bars = []
    for n, label in enumerate(days):
        count = counts.get(label, 0)
        height = round(CHART_HEIGHT * count / highest, 1)
        bars.append(
            Bar(label, count, round(n * slot + 1, 1), CHART_HEIGHT - height, slot - 2, height)
        )
    return bars


def busiest_addresses(petition: Petition, now: datetime | None = None) -> list[tuple[str, int]]:
    """The last hour's IP addresses with the most signatures: a wave of fraud shows here."""
    since = (now or utcnow()) - timedelta(hours=1)
    rows = db.session.execute(
        select(Signature.ip_address, func.count().label("n"))
        .where(
            Signature.petition_id == petition.id,
            Signature.created_at >= since,
            Signature.ip_address.is_not(None),
        )
        .group_by(Signature.ip_address)
        .order_by(func.count().desc())
        .limit(10)
    ).all()
    return [(unpack_ip(ip), n) for ip, n in rows]


def busiest_domains(petition: Petition, now: datetime | None = None) -> list[tuple[str, int]]:
    """The last hour's email domains with the most signatures."""
    since = (now or utcnow()) - timedelta(hours=1)
    domain = email_domain(Signature.email_canonical)
    rows = db.session.execute(
        select(domain, func.count())
        .where(
            Signature.petition_id == petition.id,
            Signature.created_at >= since,
            Signature.email_canonical.is_not(None),
        )
        .group_by(domain)
        .order_by(func.count().desc())
        .limit(10)
    ).all()
    return [(d, n) for d, n in rows]
