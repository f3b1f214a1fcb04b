"""A government's answer to a recorded delivery: recording it, and editing it later.

An answer has a date (not before the delivery, not in the future where the
call is run), a stance, a short summary, the full text in the languages the
organisers have it in, and a link to the official source. Both recording and
editing are written to the audit log; the caller commits, so the answer, its
entry and the news to the signers who asked land together (a first answer is
news; a corrected one is not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Delivery, GovernmentResponse, Organiser, Petition, Stance
from ..organisers import audit
from . import news
from .scoreboard import TEXT_LANGUAGES, today_for

SUMMARY_MAX = 1000
TEXT_MAX = 100_000
URL_MAX = 500


class AnswerRefused(ValueError):
    """The answer breaks a rule; the message says which, for the organiser (a lazy
    string, translated when it is shown)."""


@dataclass(frozen=True)
class Answer:
    """What an organiser records of a government's answer."""

    responded_on: date
    stance: Stance
    summary: str
    # The full text by language code (TEXT_LANGUAGES); languages without one left out.
    texts: dict[str, str] = field(default_factory=dict)
    source_url: str | None = None


def date_problem(delivery: Delivery, day: date, today: date) -> LazyString | None:
    """Why ``day`` cannot be the answer's date, or None."""
    if day < delivery.delivered_on:
        return _l("The answer cannot be dated before the delivery it answers.")
    if day > today:
        return _l("The answer cannot be dated in the future.")
    return None


def url_problem(url: str | None) -> LazyString | None:
    """Why ``url`` cannot be the official source's address, or None (none is fine)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > URL_MAX:
        return _l("Please enter a full web address starting with http:// or https://.")
    return None


def _check(delivery: Delivery, answer: Answer, today: date) -> None:
    problems = [date_problem(delivery, answer.responded_on, today), url_problem(answer.source_url)]
    if not answer.summary.strip() or len(answer.summary) > SUMMARY_MAX:
        problems.append(
            _l("Please summarise the answer in at most %(max)d characters.", max=SUMMARY_MAX)
        )
    if set(answer.texts) - set(TEXT_LANGUAGES):
        problems.append(_l("The full text can only be recorded in the site's languages."))
    if any(len(text) > TEXT_MAX for text in answer.texts.values()):
        problems.append(_l("The full text is too long."))
    refused = [problem for problem in problems if problem is not None]
    if refused:
        raise AnswerRefused(refused[0])


def _values(answer: Answer) -> dict[str, Any]:
    return {
        "responded_on": answer.responded_on,
        "stance": Stance(answer.stance).value,
        "summary": answer.summary.strip(),
        "texts": {lang: text for lang, text in answer.texts.items() if text.strip()},
        "source_url": answer.source_url or None,
    }


def _audited(response: GovernmentResponse) -> dict[str, Any]:
    """What the audit log keeps of an answer: public text, so the values themselves,
    but only which languages the full text is in (it can be long)."""
    return {
        "responded_on": response.responded_on,
        "stance": response.stance,
        "summary": response.summary,
        "text_languages": sorted(response.texts or {}),
        "source_url": response.source_url,
    }


def record_response(
    delivery: Delivery, answer: Answer, actor: Organiser | None, today: date | None = None
) -> GovernmentResponse:
    """Record the government's answer to ``delivery`` (which has none yet).

    Raises :class:`AnswerRefused` if the answer breaks a rule or the delivery
    is already answered (edit that answer instead).
    """
    if delivery.response is not None:
        raise AnswerRefused(_l("This delivery already has an answer: edit it instead."))
    petition = db.session.get(Petition, delivery.petition_id)
    assert petition is not None
    _check(delivery, answer, today or today_for(petition))
    response = GovernmentResponse(
        delivery=delivery, recorded_by_id=actor.id if actor else None, **_values(answer)
    )
    db.session.add(response)
    db.session.flush()
    audit.record(
        actor,
        "record_government_response",
        "government_response",
        response.id,
        {"delivery_id": delivery.id, "country": delivery.country, **_audited(response)},
    )
    news.announce_response(response)
    return response


def edit_response(
    response: GovernmentResponse, answer: Answer, actor: Organiser | None, today: date | None = None
) -> GovernmentResponse:
    """Change a recorded answer; the audit log keeps what changed."""
    delivery = response.delivery
    petition = db.session.get(Petition, delivery.petition_id)
    assert petition is not None
    _check(delivery, answer, today or today_for(petition))
    before = _audited(response)
    for name, value in _values(answer).items():
        setattr(response, name, value)
    changes = audit.diff(before, _audited(response))
    if changes:
        db.session.flush()
        audit.record(actor, "edit_government_response", "government_response", response.id, changes)
    return response


def delivery_of(petition: Petition, delivery_id: int) -> Delivery | None:
    """A delivery of this call (None for another call's)."""
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None or delivery.petition_id != petition.id:
        return None
    return delivery
