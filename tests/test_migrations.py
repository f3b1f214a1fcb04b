"""Data the migrations carry over, on a database of its own (the suite's stays at head)."""

from __future__ import annotations

import flask_migrate
from sqlalchemy import text

from campaign import create_app
from campaign.extensions import db
from campaign.petitions.cli import seed_demo

from .helpers.app import base_config


def test_packages_built_before_deliveries_were_recorded_become_drafts(tmp_path):
    """Before 0009, building a package wrote a public "delivery" and started retention's
    clock. Afterwards it is a draft, nothing is public, the clock has not started, and
    new packages take the ids after the old ones."""
    app = create_app(base_config(f"sqlite:///{tmp_path / 'old.sqlite'}"))
    with app.app_context():
        flask_migrate.upgrade()
        call, _created = seed_demo()
        db.session.commit()
        call_id, slug = call.id, call.slug
        flask_migrate.downgrade(revision="0008")
        db.session.execute(
            text(
                "INSERT INTO delivery (id, petition_id, recipient_country, signature_count,"
                " language, mode, manifest_sha256, created_at) VALUES"
                " (7, :call, 'CH', 12, 'fr', 'names', :sha, '2026-11-20 10:00:00')"
            ),
            {"call": call_id, "sha": "ab" * 32},
        )
        db.session.execute(
            text("UPDATE petition SET delivered_at = '2026-11-20 10:00:00' WHERE id = :call"),
            {"call": call_id},
        )
        db.session.commit()

        flask_migrate.upgrade()
        drafts = db.session.execute(
            text("SELECT id, recipient_country, manifest_sha256 FROM delivery_package")
        ).all()
        assert drafts == [(7, "CH", "ab" * 32)]
        assert db.session.scalar(text("SELECT count(*) FROM delivery")) == 0
        assert db.session.scalar(text("SELECT delivered_at FROM petition")) is None
        db.session.execute(
            text(
                "INSERT INTO delivery_package (petition_id, recipient_country, signature_count,"
                " language, mode, manifest_sha256, created_at) VALUES"
                " (:call, 'FR', 1, 'fr', 'names', :sha, '2026-12-01 10:00:00')"
            ),
            {"call": call_id, "sha": "cd" * 32},
        )
        assert db.session.scalar(text("SELECT max(id) FROM delivery_package")) == 8
        db.session.rollback()

    public = app.test_client()
    assert public.get(f"/petitions/{slug}/governments.json").status_code == 200
    page = public.get(f"/petitions/{slug}/deliveries").get_data(as_text=True)
    assert "ab" * 32 not in page and "Nothing has been delivered yet." in page
