"""Reading calls: which one a page shows, its text in the reader's language, its counts.

The other parts of the feature have modules named by what they do:
``signing`` (a new signature and its email), ``lifecycle`` (confirming and
withdrawing), ``counters`` (the one gate for every change of a signature's
state), ``abuse`` (what holds a new signature back), ``editing`` and
``translations`` (the back office's writing), ``dashboard``. Functions here
never commit: the caller does.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from flask import current_app, g
from sqlalchemy import and_, or_, select

from .. import memo
from ..extensions import db
from ..i18n import InLanguage
from ..models import CountryCount, Petition, PetitionState, PetitionTranslation, utcnow


def get_public_petition(slug: str) -> Petition | None:
    """A call anyone may see (drafts are the organisers' only)."""
    petition = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if petition is None or not petition.is_public:
        return None
    return petition


def petition_to_sign(slug: str) -> Petition | None:
    """The call a sign form posts to, read at most once a second by each process.

    Every signature needs the call (is it open, its text version, its title
    for the email), and reading it was a fifth of the cost of a signature.
    The instance is detached from any session and shared by the process's
    threads for ``SIGN_CALL_CACHE_SECONDS``: only read its columns (no
    relationships), and load the call afresh to render a page with it. A call
    closed or edited by its organisers is seen within that time.
    """
    if not current_app.config["SIGN_CALL_CACHE_SECONDS"]:
        return get_public_petition(slug)

    def load() -> Petition | None:
        petition = get_public_petition(slug)
        if petition is not None:
            db.session.expunge(petition)  # its columns stay loaded; commits no longer expire it
        return petition

    return memo.remembered(
        "campaign.calls_to_sign", slug, current_app.config["SIGN_CALL_CACHE_SECONDS"], load
    )


def featured_petition() -> Petition | None:
    """The call the home page shows: a featured one, else one open for signing, else the
    latest published."""
    open_now = and_(
        Petition.state == PetitionState.OPEN,
        or_(Petition.closes_at.is_(None), Petition.closes_at > utcnow()),
    )
    return db.session.scalar(
        select(Petition)
        .where(Petition.state != PetitionState.DRAFT)
        .order_by(Petition.featured.desc(), open_now.desc(), Petition.id.desc())
        .limit(1)
    )


def public_calls() -> list[Petition]:
    """Every published call: those open for signing first, then closed, then delivered,
    the most recently opened first within each."""
    calls = db.session.scalars(
        select(Petition)
        .where(Petition.state != PetitionState.DRAFT)
        .order_by(Petition.opened_at.desc(), Petition.id.desc())
    ).all()
    rank = {PetitionState.OPEN: 1, PetitionState.CLOSED: 2, PetitionState.DELIVERED: 3}
    # Stable: the date order stays within each group. A call past its closing date is
    # closed whatever its state says (Petition.is_open).
    return sorted(calls, key=lambda call: 0 if call.is_open else rank[call.state])


@dataclass(frozen=True)
class CallText:
    """A call's own text in one language, and which language it really is in."""

    language: str
    title: str
    summary: str
    body_markdown: str
    background_markdown: str
    # "Who runs this call": its own language, since a translation saved before it could be
    # translated has none and the main one is shown.
    organisation_blurb: InLanguage


def call_text(petition: Petition, language: str) -> CallText:
    """The call's text in ``language`` when organisers wrote one, else in its main language.

    Remembered for the rest of the request (or command), since a page asks
    for the title several times.
    """
    cache = g.setdefault("call_texts", {})
    key = (petition.id, language)
    if key not in cache:
        source: Petition | PetitionTranslation = petition
        if language != petition.language:
            translation = db.session.scalar(
                select(PetitionTranslation).where(
                    PetitionTranslation.petition_id == petition.id,
                    PetitionTranslation.language == language,
                )
            )
            if translation is not None:
                source = translation
        blurb = InLanguage(petition.organisation_blurb, petition.language)
        if source.organisation_blurb:
            blurb = InLanguage(source.organisation_blurb, source.language)
        cache[key] = CallText(
            language=source.language,
            title=source.title,
            summary=source.summary,
            body_markdown=source.body_markdown,
            background_markdown=source.background_markdown,
            organisation_blurb=blurb,
        )
    return cache[key]


# The parts of a call written in each language (see PetitionTranslation).
TRANSLATED_FIELDS = (
    "title",
    "summary",
    "body_markdown",
    "background_markdown",
    "organisation_blurb",
)


def text_digest(source: Petition | PetitionTranslation) -> str:
    """A fingerprint of a call's text in one language, all its translated parts.

    For the main text, ``text_version`` changes only with the title and the
    call's text (the parts signatures are bound to); the digest also changes
    with the summary, background and organisation text, so a translation
    written before any of them changed can be shown out of date.
    """
    parts = [getattr(source, field) or "" for field in TRANSLATED_FIELDS]
    # The organisation text became translatable last (migration 0015). Left out while
    # empty, so a call without one keeps the digest its translations were saved against
    # and they stay up to date; a call with one marks them out of date, rightly: they
    # lack it until an editor translates it.
    if not parts[-1]:
        parts.pop()
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def country_counts(petition: Petition) -> list[tuple[str, int]]:
    """(country code, count) for countries with counted signatures, largest first."""
    rows = db.session.execute(
        select(CountryCount.country, CountryCount.signature_count)
        .where(CountryCount.petition_id == petition.id, CountryCount.signature_count > 0)
        .order_by(CountryCount.signature_count.desc(), CountryCount.country)
    )
    return [(country, count) for country, count in rows]
