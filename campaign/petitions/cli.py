"""``flask seed-demo`` and ``flask counts reconcile``."""

from __future__ import annotations

from types import SimpleNamespace

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from .. import demo_content
from ..extensions import db
from ..job_locks import one_host_at_a_time
from ..models import (
    SETTINGS_ID,
    GovernmentTarget,
    NotableCategoryTranslation,
    NotableSignatory,
    NotableTranslation,
    OrganisationSettings,
    Petition,
    PetitionState,
    PetitionTranslation,
)
from ..notables.services import notables_of
from .counters import reconcile_counts
from .services import TRANSLATED_FIELDS, text_digest


def seed_demo() -> tuple[Petition, bool]:
    """Load the demo call, its notable signatories, its translations (the notables' titles
    and categories too), the governments it addresses (never a delivery or an answer) and
    the organisation's letterhead.

    Running it again changes nothing; parts missing from an older seed are added, and
    settings an administrator saved are left as they are.
    """
    data = demo_content.CALL
    petition = db.session.scalar(select(Petition).where(Petition.slug == data["slug"]))
    created = petition is None
    if petition is None:
        petition = Petition(**data, state=PetitionState.OPEN, featured=True)
        db.session.add(petition)
        db.session.flush()
    _add_missing_notables(petition)
    _add_missing_translations(petition)
    db.session.flush()  # the notables just added need their ids
    notables = notables_of(petition)
    _add_missing_notable_titles(notables)
    _add_missing_category_names(petition, notables)
    _add_missing_targets(petition)
    _add_missing_organisation()
    return petition, created


def _add_missing_notables(petition: Petition) -> None:
    existing = set(
        db.session.scalars(
            select(NotableSignatory.name).where(NotableSignatory.petition_id == petition.id)
        )
    )
    for order, person in enumerate(demo_content.NOTABLE_SIGNATORIES):
        if person["name"] in existing:
            continue
        db.session.add(
            NotableSignatory(
                petition_id=petition.id,
                sort_order=order,
                consent_note="Publicly listed as a first signatory when the call was published.",
                **person,
            )
        )


def _add_missing_translations(petition: Petition) -> None:
    stored = {
        translation.language: translation
        for translation in db.session.scalars(
            select(PetitionTranslation).where(PetitionTranslation.petition_id == petition.id)
        )
    }
    for language, text in demo_content.TRANSLATIONS.items():
        translation = stored.get(language)
        if translation is None:
            db.session.add(
                PetitionTranslation(
                    petition_id=petition.id,
                    language=language,
                    source_version=petition.text_version,
                    source_digest=text_digest(petition),
                    **text,
                )
            )
        elif not translation.organisation_blurb and petition.organisation_blurb:
            _add_missing_blurb(petition, translation, text["organisation_blurb"])


def _add_missing_blurb(petition: Petition, translation: PetitionTranslation, blurb: str) -> None:
    """A translation seeded before the organisation's text could be translated gets the
    demo's. Up to date before (its digest was taken without that text), it stays so."""
    before = SimpleNamespace(**{field: getattr(petition, field) for field in TRANSLATED_FIELDS})
    before.organisation_blurb = ""
    was_current = translation.source_digest == text_digest(before)  # type: ignore[arg-type]
    translation.organisation_blurb = blurb
    if was_current:
        translation.source_digest = text_digest(petition)


def _add_missing_notable_titles(notables: list[NotableSignatory]) -> None:
    """Titles in French and Spanish, for the notables whose English title is still the
    demo's (a translation of a title changed since would be wrong)."""
    for language, titles in demo_content.NOTABLE_TRANSLATIONS.items():
        translated = set(
            db.session.scalars(
                select(NotableTranslation.notable_id).where(
                    NotableTranslation.notable_id.in_([n.id for n in notables]),
                    NotableTranslation.language == language,
                )
            )
        )
        for notable in notables:
            if notable.id not in translated and notable.title in titles:
                db.session.add(
                    NotableTranslation(
                        notable_id=notable.id,
                        language=language,
                        title=titles[notable.title],
                        source_title=notable.title,
                    )
                )


def _add_missing_category_names(petition: Petition, notables: list[NotableSignatory]) -> None:
    for language, names in demo_content.CATEGORY_TRANSLATIONS.items():
        named = set(
            db.session.scalars(
                select(NotableCategoryTranslation.category).where(
                    NotableCategoryTranslation.petition_id == petition.id,
                    NotableCategoryTranslation.language == language,
                )
            )
        )
        for category in dict.fromkeys(n.category for n in notables):
            if category not in named and category in names:
                db.session.add(
                    NotableCategoryTranslation(
                        petition_id=petition.id,
                        language=language,
                        category=category,
                        name=names[category],
                    )
                )


def _add_missing_targets(petition: Petition) -> None:
    addressed = set(
        db.session.scalars(
            select(GovernmentTarget.country).where(GovernmentTarget.petition_id == petition.id)
        )
    )
    for target in demo_content.GOVERNMENT_TARGETS:
        if target["country"] not in addressed:
            db.session.add(GovernmentTarget(petition_id=petition.id, **target))


def _add_missing_organisation() -> None:
    if db.session.get(OrganisationSettings, SETTINGS_ID) is None:
        db.session.add(OrganisationSettings(id=SETTINGS_ID, **demo_content.ORGANISATION))


counts_cli = AppGroup("counts", help="Check the maintained signature counters.")


@counts_cli.command("reconcile")
@one_host_at_a_time("counts reconcile")
def reconcile_command() -> None:
    """Recompute every call's counters from the signatures and report any drift."""
    for petition in db.session.scalars(select(Petition).order_by(Petition.id)):
        before, after = reconcile_counts(petition)
        drift = "" if before == after else f" (corrected from {before})"
        click.echo(f"{petition.slug}: {after}{drift}")
    db.session.commit()


def init_app(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Load the demo Call to Governments (idempotent)."""
        petition, created = seed_demo()
        db.session.commit()
        verb = "created" if created else "already present"
        click.echo(
            f"demo call {verb}: /petitions/{petition.slug} ({len(petition.notables)} notables)"
        )

    app.cli.add_command(counts_cli)
