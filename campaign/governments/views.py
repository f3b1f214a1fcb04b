"""The public scoreboard of a call's governments, as a page, JSON and an Atom feed.

``/petitions/<slug>/governments`` shows every government the call addresses
on a world map and in a table, then each delivery and answer;
``governments.json`` is the same for partner sites (CORS open, like the
call's own JSON) and ``governments.atom`` an entry per delivery and answer.
All three are cacheable and read nothing personal: no contact address, no
organiser, nobody's name. The call's page shows a summary
(:func:`government_summary`).
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify, render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from .. import countries
from ..i18n import current_language
from ..models import Petition
from ..petitions import services as petition_services
from ..security import public_cache
from . import bp, feed, worldmap
from .scoreboard import (
    STANCE_LABELS,
    STATE_LABELS,
    TEXT_LANGUAGES,
    Standing,
    State,
    response_text,
    scoreboard,
    state_counts,
    summary,
)


def _petition_or_404(slug: str) -> Petition:
    petition = petition_services.get_public_petition(slug)
    if petition is None:
        abort(404)
    return petition


def _open_to_any_origin(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.app_template_global()
def government_summary(petition: Petition) -> dict[State, int] | None:
    """How many of the call's governments are in each state, for the call's page;
    None when it addresses none."""
    return summary(petition)


def _map_description(counts: dict[State, int], total: int) -> str:
    parts = [
        _("%(state)s: %(num)d", state=STATE_LABELS[state], num=n)
        for state, n in counts.items()
        if n
    ]
    return ngettext(
        "%(num)d government addressed. %(states)s. The table below lists it.",
        "%(num)d governments addressed. %(states)s. The table below lists each.",
        total,
        states="; ".join(parts),
    )


def _world_map(standings: list[Standing], language: str) -> Markup:
    return worldmap.world_map(
        {standing.code: standing.state for standing in standings},
        {
            standing.code: _(
                "%(country)s: %(state)s",
                country=standing.name(language),
                state=STATE_LABELS[standing.state],
            )
            for standing in standings
        },
        _("Map of the governments this call addresses, coloured by where each stands"),
        _map_description(state_counts(standings), len(standings)),
    )


@bp.get("/petitions/<slug:slug>/governments", endpoint="scoreboard")
@public_cache
def scoreboard_page(slug: str):
    petition = _petition_or_404(slug)
    language = current_language()
    # In the order of the reader's alphabet, as the country list of the sign form.
    order = {code: i for i, (code, _name) in enumerate(countries.choices(language))}
    standings = sorted(scoreboard(petition), key=lambda s: (order.get(s.code, len(order)), s.code))
    return render_template(
        "governments/scoreboard.html",
        petition=petition,
        title=petition_services.call_text(petition, language).title,
        standings=standings,
        counts=state_counts(standings),
        world_map=_world_map(standings, language) if standings else None,
        not_drawn=[s.name(language) for s in standings if not worldmap.drawn(s.code)],
        swatch=worldmap.swatch,
        state_labels=STATE_LABELS,
        stance_labels=STANCE_LABELS,
        full_text=lambda response: response_text(response, language, petition.language),
        country_name=lambda code: countries.name(code, language),
    )


def _json_standing(standing: Standing) -> dict[str, Any]:
    delivery, response = standing.delivery, standing.response
    return {
        "code": standing.code,
        "name": standing.name("en"),
        # The country's name in each of the site's languages (CLDR's, through Babel).
        "names": {lang: standing.name(lang) for lang in TEXT_LANGUAGES},
        "body": standing.body,
        "signature_count": standing.signature_count,
        "threshold": standing.threshold,
        "state": standing.state.value,
        "delivered_at": delivery.delivered_on.isoformat() if delivery else None,
        "delivery_manifest_sha256": delivery.manifest_sha256 if delivery else None,
        "response": (
            {
                "date": response.responded_on.isoformat(),
                "stance": response.stance,
                "summary": response.summary,
                "url": response.source_url,
                # The full text by language, in the site's languages' order; those recorded.
                "texts": {
                    lang: (response.texts or {})[lang]
                    for lang in TEXT_LANGUAGES
                    if (response.texts or {}).get(lang)
                },
            }
            if response
            else None
        ),
    }


@bp.get("/petitions/<slug:slug>/governments.json")
@public_cache
def scoreboard_json(slug: str):
    petition = _petition_or_404(slug)
    body = {
        "slug": petition.slug,
        "governments": [_json_standing(standing) for standing in scoreboard(petition)],
    }
    return _open_to_any_origin(jsonify(body))


@bp.get("/petitions/<slug:slug>/governments.atom", endpoint="feed")
@public_cache
def feed_atom(slug: str):
    petition = _petition_or_404(slug)
    language = current_language()
    title = petition_services.call_text(petition, language).title
    response = Response(feed.atom(petition, title, language), mimetype="application/atom+xml")
    response.charset = "utf-8"
    return _open_to_any_origin(response)
