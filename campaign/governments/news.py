"""News to signers of what their government did with a call: it received the call, or it
answered.

Recording a delivery or an answer starts an announcement
(:func:`announce_delivery`, :func:`announce_response`): one row, written in
the caller's transaction, and nothing else in the request. The announcement
is durable: :func:`queue_news_batch` puts the next batch of its emails in the
outbox, each signer's in their own language, and a recipient row per
(announcement, signature) is written first, whose key keeps anyone from
getting it twice, even when two processes queue at once or a batch is
repeated after a crash. When nobody is left, the announcement is sent.

It goes to the confirmed, counted signers of the call who live in the
country and ticked "Tell me what my government does with this call"; each
email carries a one-click unsubscribe link (RFC 8058) that turns the choice
off (:func:`stop_news`).

News waits its turn behind signers' confirmation emails: a batch is queued
only while fewer than ``limit`` government-news emails wait in the outbox,
which sends oldest first. The driver is ``flask governments-news send``
(``news_cli``), from cron beside the outbox worker (which lives below this
package and cannot call it). Functions never read the request and never
commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import countries, tokens
from ..database import upsert_insert
from ..exports.delivery_options import CHANNEL_LABELS
from ..extensions import db
from ..i18n import public_url
from ..mail.services import enqueue
from ..models import (
    COUNTED,
    Delivery,
    GovernmentNews,
    GovernmentNewsRecipient,
    GovernmentResponse,
    NewsEvent,
    NewsStatus,
    OutboxMessage,
    OutboxStatus,
    Petition,
    Signature,
    utcnow,
)
from ..petitions.services import call_text

KIND = "government_news"


# -- starting an announcement ------------------------------------------------------------


def announce_delivery(delivery: Delivery) -> GovernmentNews:
    """Start telling the signers of the delivery's country that their government received
    the call. Call it in the transaction that records the delivery; again, it changes nothing."""
    if delivery.id is None:
        db.session.flush()
    return _announce(delivery, NewsEvent.DELIVERY, None)


def announce_response(response: GovernmentResponse) -> GovernmentNews:
    """Start telling the signers of the answering country what their government answered.
    Call it in the transaction that records the answer; again, it changes nothing."""
    if response.id is None:
        db.session.flush()
    return _announce(db.session.get(Delivery, response.delivery_id), NewsEvent.RESPONSE, response)


def _announce(
    delivery: Delivery, event: NewsEvent, response: GovernmentResponse | None
) -> GovernmentNews:
    # One per event: a second call, or a second process, leaves the first one standing.
    db.session.execute(
        upsert_insert(GovernmentNews)
        .values(
            petition_id=delivery.petition_id,
            country=delivery.country,
            event=event,
            delivery_id=delivery.id,
            response_id=response.id if response is not None else None,
            status=NewsStatus.SENDING,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing()
    )
    return db.session.scalars(
        select(GovernmentNews).where(
            GovernmentNews.delivery_id == delivery.id, GovernmentNews.event == event
        )
    ).one()


# -- who gets it -----------------------------------------------------------------------


def _recipients(news: GovernmentNews) -> Any:
    """Counted signers of the call in the country who asked, and have not had this one."""
    had_it = select(GovernmentNewsRecipient.signature_id).where(
        GovernmentNewsRecipient.news_id == news.id,
        GovernmentNewsRecipient.signature_id == Signature.id,
    )
    return select(Signature).where(
        Signature.petition_id == news.petition_id,
        Signature.country == news.country,
        COUNTED,
        Signature.government_news,
        Signature.email.is_not(None),
        ~had_it.exists(),
    )


def recipients_left(news: GovernmentNews) -> int:
    return db.session.scalar(select(func.count()).select_from(_recipients(news).subquery()))


def news_in_progress() -> list[GovernmentNews]:
    """Announcements still being sent, oldest first."""
    return list(
        db.session.scalars(
            select(GovernmentNews)
            .where(GovernmentNews.status == NewsStatus.SENDING)
            .order_by(GovernmentNews.id)
        )
    )


def waiting_in_outbox(limit: int) -> int:
    """Government-news emails queued and not yet sent (counted up to ``limit``)."""
    waiting = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.kind == KIND)
        .limit(limit)
    )
    return db.session.scalar(select(func.count()).select_from(waiting.subquery()))


# -- queueing ----------------------------------------------------------------------------


def queue_news_batch(limit: int) -> int:
    """Put up to ``limit`` more emails of the announcements in progress in the outbox; return
    how many. Only as many as keep at most ``limit`` of them waiting there: news never
    holds up signers' confirmation emails for longer than one batch takes to send."""
    room = limit - waiting_in_outbox(limit)
    queued = 0
    for news in news_in_progress():
        if queued >= room:
            break
        queued += _queue_for(news, room - queued)
    return queued


def _queue_for(news: GovernmentNews, limit: int) -> int:
    """Queue one announcement for up to ``limit`` more signers; mark it sent when none is left."""
    signatures = db.session.scalars(_recipients(news).order_by(Signature.id).limit(limit)).all()
    more_url = _more_url(news.delivery.petition_id)
    queued = 0
    for signature in signatures:
        claimed = db.session.execute(
            upsert_insert(GovernmentNewsRecipient)
            .values(news_id=news.id, signature_id=signature.id, queued_at=utcnow())
            .on_conflict_do_nothing()
            .returning(GovernmentNewsRecipient.signature_id)
        ).scalar()
        if claimed is None:
            continue  # another process queued this one
        enqueue(**news_email(news, signature, more_url))
        queued += 1
    if len(signatures) < limit:
        news.status = NewsStatus.SENT
        news.finished_at = utcnow()
    return queued


def _more_url_endpoint() -> str | None:
    """The public page of a call's governments (``/petitions/<slug>/governments``), if the
    site has it; found by its path, whatever its endpoint is called."""
    for rule in current_app.url_map.iter_rules():
        path = rule.rule
        if (
            path.startswith("/petitions/<")
            and path.endswith(">/governments")
            and rule.arguments == {"slug"}
            and "GET" in (rule.methods or ())
        ):
            return rule.endpoint
    return None


def _more_url(petition_id: int) -> Callable[[str], str]:
    """The link to read more, in a reader's language: the call's governments' page, or
    else the call's page."""
    slug = db.session.get(Petition, petition_id).slug
    endpoint = _more_url_endpoint() or "petitions.show"
    return lambda language: public_url(endpoint, language, slug=slug)


def news_email(
    news: GovernmentNews, signature: Signature, more_url: Callable[[str], str]
) -> dict[str, Any]:
    """The email of ``news`` to ``signature``, as :func:`..mail.services.enqueue` takes it."""
    delivery = news.delivery
    petition = db.session.get(Petition, delivery.petition_id)
    language = signature.language
    title = call_text(petition, language).title
    token = tokens.make(tokens.Purpose.GOVERNMENT_NEWS_UNSUBSCRIBE, signature.public_id)
    unsubscribe_url = public_url("governments.news_unsubscribe", language, token=token)
    response = news.response if news.event == NewsEvent.RESPONSE else None
    if response is not None:
        subject = _l("%(body)s answered “%(title)s”", body=delivery.body, title=title)
    else:
        subject = _l("“%(title)s” was handed to %(body)s", title=title, body=delivery.body)
    context = {
        "petition": petition,
        "name": signature.name or "",
        "delivery": delivery,
        "response": response,
        "country_name": countries.name(delivery.country, language),
        "channel": CHANNEL_LABELS.get(delivery.channel, ""),
        "more_url": more_url(language),
        "unsubscribe_url": unsubscribe_url,
    }
    return {
        "kind": KIND,
        "to_address": signature.email,
        "to_name": signature.name or "",
        "template": KIND,
        "subject": subject,
        "language": language,
        "context": context,
        "signature_id": signature.id,
        "petition_id": petition.id,
        "headers": {
            # RFC 8058: mail apps offer a one-click unsubscribe that POSTs to this URL.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }


# -- unsubscribing -----------------------------------------------------------------------


def subscriber(public_id: str) -> Signature | None:
    """The signature an unsubscribe link's token names."""
    return db.session.scalar(select(Signature).where(Signature.public_id == public_id))


def stop_news(signature: Signature) -> bool:
    """Stop news of the signer's government; returns False if it was already off."""
    if not signature.government_news:
        return False
    signature.government_news = False
    return True
