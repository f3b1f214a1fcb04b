"""Helpers for the letters' tests: the letter's content for the demo call, a call of one's
own, images to upload, and the settings form."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from PIL import Image
from sqlalchemy import delete, select

from campaign.extensions import db
from campaign.letters.content import LetterContent
from campaign.letters.services import letter_content
from campaign.models import (
    AuditEntry,
    OrganisationSettings,
    Petition,
    PetitionState,
    PetitionTranslation,
)

# 10:00 in Geneva on 3 December 2026.
NOON = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
SETTINGS_URL = "/organiser/organisation"


def content(app, petition_id: int, language: str, country: str = "CH", **kwargs) -> LetterContent:
    """The letter's content, read in an app context of its own (as the package worker does)."""
    counts = kwargs.pop("counts", {"CH": 3, "FR": 1234, "AE": 1})
    now = kwargs.pop("now", NOON)
    with app.app_context():
        petition = db.session.get(Petition, petition_id)
        return letter_content(petition, language, country, now, counts)


def drop_translation(app, petition_id: int, language: str) -> None:
    with app.app_context():
        db.session.execute(
            delete(PetitionTranslation).where(
                PetitionTranslation.petition_id == petition_id,
                PetitionTranslation.language == language,
            )
        )
        db.session.commit()


def drop_settings(app) -> None:
    with app.app_context():
        db.session.execute(delete(OrganisationSettings))
        db.session.commit()


def settings_row(app) -> dict | None:
    with app.app_context():
        row = db.session.scalar(select(OrganisationSettings))
        if row is None:
            return None
        return {
            column.name: getattr(row, column.name)
            for column in OrganisationSettings.__table__.columns
            if column.name != "updated_at"
        }


def audit_actions(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        )


def make_call(app, *, summary: str, body: str, slug: str = "plain-call") -> int:
    """A call in English of our own, with no translation and no target."""
    with app.app_context():
        petition = Petition(
            slug=slug,
            title="Keep the clinics open",
            summary=summary,
            body_markdown=body,
            organisation="Clinic Friends",
            organisation_url="https://clinics.example.org",
            language="en",
            state=PetitionState.OPEN,
            timezone="Europe/Zurich",
        )
        db.session.add(petition)
        db.session.commit()
        return petition.id


def image_bytes(fmt: str = "PNG", size=(1000, 800), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (20, 60, 160) if mode == "RGB" else None).save(out, format=fmt)
    return out.getvalue()


def settings_form(token: str, **overrides) -> dict:
    data = {
        "csrf_token": token,
        "name": "Clinic Friends",
        "postal_address": "Rue des Clinics 4\r\n\r\n1204 Geneva\r\nSwitzerland",
        "contact_email": "letters@example.org",
        "website": "https://clinics.example.org",
        "place": "Geneva",
        "place_fr": "Genève",
        "place_es": "Ginebra",
        "signatory": "Ada Lovelace, Director",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
