"""Helpers for the governments' tests: the demo call's targets as rows, and the back office."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, GovernmentTarget

from ..helpers.backoffice import csrf_token

SLUG = "call-to-governments"


def calls_base(petition: dict) -> str:
    return f"/organiser/calls/{petition['id']}"


def targets_snapshot(app) -> dict[str, tuple]:
    """Every target of every call, by country, as comparable tuples."""
    with app.app_context():
        return {
            t.country: (t.body, t.emails, t.postal_address, t.languages, t.threshold)
            for t in db.session.scalars(select(GovernmentTarget))
        }


def audit_entries(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        entries = list(
            db.session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        )
        for entry in entries:
            db.session.expunge(entry)
        return entries


def post_form(client, page: str, data: dict, *, to: str | None = None, **kwargs):
    """Post ``data`` to ``to`` (or ``page``) with the CSRF token read from ``page``."""
    token = csrf_token(client, page)
    return client.post(to or page, data={"csrf_token": token, **data}, **kwargs)
