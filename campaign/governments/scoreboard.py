"""Where each government a call addresses stands: the one definition of its state.

A government is ``collecting`` while its country's confirmed signatures are
below its threshold, ``ready`` once they reach it, ``delivered`` when a
delivery to it is recorded and awaits an answer, ``no_reply`` once that wait
is longer than the call's ``reply_wait_days``, and ``responded`` when its
answer is recorded. The latest delivery to a government is its current round:
its date, manifest and answer are what the scoreboard shows (earlier rounds
stay in the feed). Deliveries are matched to a government by country, as a
call addresses one government per country.

Every public view of the scoreboard (page, JSON, feed, map, the call page's
summary) and the organisers' list of answers read it from here.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from .. import countries
from ..extensions import db
from ..i18n import LANGUAGE_NAMES
from ..models import (
    CountryCount,
    Delivery,
    GovernmentResponse,
    GovernmentTarget,
    Petition,
    Stance,
    utcnow,
)
from ..timezones import to_local, valid_timezone


class State(enum.StrEnum):
    COLLECTING = "collecting"
    READY = "ready"
    DELIVERED = "delivered"
    NO_REPLY = "no_reply"
    RESPONDED = "responded"


STATE_LABELS = {
    State.COLLECTING: _l("Collecting signatures"),
    State.READY: _l("Ready to deliver"),
    State.DELIVERED: _l("Delivered, awaiting a reply"),
    State.NO_REPLY: _l("No reply"),
    State.RESPONDED: _l("Responded"),
}

STANCE_LABELS = {
    Stance.SUPPORTS: _l("Supports the call"),
    Stance.PARTLY_SUPPORTS: _l("Partly supports the call"),
    Stance.DECLINES: _l("Declines the call"),
    Stance.ACKNOWLEDGED: _l("Acknowledged receipt only"),
}

# The languages an answer's full text may be recorded in: the site's six (the official
# languages of the United Nations, as governments write to it).
TEXT_LANGUAGES: tuple[str, ...] = tuple(LANGUAGE_NAMES)


@dataclass(frozen=True)
class Standing:
    """One addressed government on the scoreboard."""

    code: str
    body: str
    threshold: int
    signature_count: int
    state: State
    delivery: Delivery | None
    response: GovernmentResponse | None
    # Days since the latest delivery, while no answer is recorded.
    days_waiting: int | None

    def name(self, language: str = "en") -> str:
        return countries.name(self.code, language)


def today_for(petition: Petition) -> date:
    """Today's date where the call is run (deliveries and answers carry plain dates)."""
    zone = petition.timezone if valid_timezone(petition.timezone) else "UTC"
    local = to_local(utcnow(), zone)
    assert local is not None
    return local.date()


def days_since(delivery: Delivery, today: date) -> int:
    return max((today - delivery.delivered_on).days, 0)


def state_of(
    signature_count: int,
    threshold: int,
    delivered_on: date | None,
    answered: bool,
    wait_days: int,
    today: date,
) -> State:
    """The state of one government: the single rule every page follows. ``delivered_on``
    and ``answered`` are its latest delivery's (None and False before any)."""
    if delivered_on is not None:
        if answered:
            return State.RESPONDED
        if (today - delivered_on).days > wait_days:
            return State.NO_REPLY
        return State.DELIVERED
    if signature_count >= threshold:
        return State.READY
    return State.COLLECTING


def latest_deliveries(petition: Petition) -> dict[str, Delivery]:
    """The latest recorded delivery to each country, with its answer loaded."""
    rows = db.session.scalars(
        select(Delivery)
        .where(Delivery.petition_id == petition.id)
        .options(selectinload(Delivery.response))
        .order_by(Delivery.delivered_on, Delivery.id)
    )
    return {delivery.country: delivery for delivery in rows}


def scoreboard(petition: Petition, today: date | None = None) -> list[Standing]:
    """Every government the call addresses, in order of country code."""
    today = today or today_for(petition)
    targets = db.session.scalars(
        select(GovernmentTarget)
        .where(GovernmentTarget.petition_id == petition.id)
        .order_by(GovernmentTarget.country)
    ).all()
    if not targets:
        return []
    counts = dict(
        db.session.execute(
            select(CountryCount.country, CountryCount.signature_count).where(
                CountryCount.petition_id == petition.id,
                CountryCount.country.in_([target.country for target in targets]),
            )
        ).all()
    )
    delivered = latest_deliveries(petition)
    standings = []
    for target in targets:
        count = max(counts.get(target.country, 0), 0)
        delivery = delivered.get(target.country)
        state = state_of(
            count,
            target.threshold,
            delivery.delivered_on if delivery is not None else None,
            delivery is not None and delivery.response is not None,
            petition.reply_wait_days,
            today,
        )
        standings.append(
            Standing(
                code=target.country,
                body=target.body,
                threshold=target.threshold,
                signature_count=count,
                state=state,
                delivery=delivery,
                response=delivery.response if delivery is not None else None,
                days_waiting=(
                    days_since(delivery, today)
                    if delivery is not None and delivery.response is None
                    else None
                ),
            )
        )
    return standings


def summary(petition: Petition) -> dict[State, int] | None:
    """How many of the call's governments are in each state (every state listed), or None
    when it addresses none: what the call's page shows, read as plain columns, since
    that page is the most read of all and needs no more."""
    governments = db.session.execute(
        select(GovernmentTarget.country, GovernmentTarget.threshold, CountryCount.signature_count)
        .outerjoin(
            CountryCount,
            and_(
                CountryCount.petition_id == GovernmentTarget.petition_id,
                CountryCount.country == GovernmentTarget.country,
            ),
        )
        .where(GovernmentTarget.petition_id == petition.id)
    ).all()
    if not governments:
        return None
    latest = {
        country: (delivered_on, answered)
        for country, delivered_on, answered in db.session.execute(
            select(Delivery.country, Delivery.delivered_on, GovernmentResponse.id.is_not(None))
            .outerjoin(GovernmentResponse)
            .where(Delivery.petition_id == petition.id)
            .order_by(Delivery.delivered_on, Delivery.id)
        )
    }
    today = today_for(petition)
    counted = Counter(
        state_of(
            max(count or 0, 0),
            threshold,
            *latest.get(country, (None, False)),
            petition.reply_wait_days,
            today,
        )
        for country, threshold, count in governments
    )
    return {state: counted.get(state, 0) for state in State}


def state_counts(standings: list[Standing]) -> dict[State, int]:
    """How many governments are in each state, every state listed (in order)."""
    counted = Counter(standing.state for standing in standings)
    return {state: counted.get(state, 0) for state in State}


def response_text(response: GovernmentResponse, language: str, fallback: str) -> tuple[str, str]:
    """The answer's full text in ``language`` if recorded, else in ``fallback`` (the
    call's language), else in the first language it has: (language, text), or
    ("", "") when no full text was recorded."""
    texts = {lang: text for lang, text in (response.texts or {}).items() if text}
    for lang in (language, fallback, *TEXT_LANGUAGES, *sorted(texts)):
        if lang in texts:
            return lang, texts[lang]
    return "", ""
