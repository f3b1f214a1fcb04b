"""The call's page as the public reads it, drawn for the public view and for an editor's
preview of a draft (``backoffice.petition_preview``) alike, so a preview is the page."""

from __future__ import annotations

from flask import render_template

from .. import countries
from ..i18n import current_language
from ..models import Petition
from ..notables.services import visible_notables
from . import chart, services
from .forms import SignatureForm


def render_call_page(
    petition: Petition, form: SignatureForm, status: int = 200, *, preview: bool = False
) -> tuple[str, int]:
    """The call's page; ``preview`` marks it as not published and shows the form inert."""
    by_country = services.country_counts(petition)
    language = current_language()
    return (
        render_template(
            "petitions/show.html",
            petition=petition,
            form=form,
            preview=preview,
            notables=visible_notables(petition),
            country_counts=by_country,
            country_chart=chart.country_chart(
                by_country, lambda code: countries.name(code, language)
            ),
            country_name=lambda code: countries.name(code, language),
        ),
        status,
    )
