"""The demo's publication: the institute's report, published, related to the demo call,
with its texts in every language and a generated sample PDF in each (``flask
publications seed-demo``, which ``bin/demo`` runs after ``flask seed-demo``)."""

from __future__ import annotations

import io
from datetime import date

from babel.dates import format_date
from sqlalchemy import select

from .. import demo_content
from ..extensions import db
from ..models import Petition, Publication
from . import services
from .sample import sample_pdf


def seed_demo_publication() -> tuple[Publication, bool]:
    """Add the demo publication if it is missing (and any language it lacks); returns
    it and whether it was created. The caller commits."""
    data = demo_content.PUBLICATION
    published_on = date.fromisoformat(data["published_on"])
    publication = db.session.scalar(select(Publication).where(Publication.slug == data["slug"]))
    created = publication is None
    if publication is None:
        call = db.session.scalar(
            select(Petition.id).where(Petition.slug == demo_content.CALL["slug"])
        )
        texts = demo_content.PUBLICATION_TEXTS[data["language"]]
        publication = services.create(
            {
                "slug": data["slug"],
                "language": data["language"],
                "published_on": published_on,
                "petition_id": call,
            },
            texts["title"],
            texts["summary_markdown"],
            None,
        )
        publication.is_demo = True
    written = {translation.language for translation in publication.translations}
    for language, texts in demo_content.PUBLICATION_TEXTS.items():
        if language not in written:  # an organiser's edits stay as they are
            services.save_texts(publication, language, dict(texts), None)
        if services.file_in(publication, language) is None:
            pdf = sample_pdf(
                language,
                demo_content.PUBLICATION_SAMPLE_NOTICE[language],
                texts["title"],
                texts["summary_markdown"],
                format_date(published_on, "long", locale=language),
            )
            services.set_file(publication, language, io.BytesIO(pdf), None)
    if created:
        services.set_published(publication, True, None)
    return publication, created
