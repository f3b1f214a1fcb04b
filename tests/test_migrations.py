"""Data the migrations carry over, on a database of its own (the suite's stays at head)."""

from __future__ import annotations

import hashlib
import json
import re

import flask_migrate
from sqlalchemy import inspect, text

from campaign import create_app, demo_content
from campaign.extensions import db
from campaign.models import Organiser
from campaign.petitions.cli import seed_demo

from .helpers.app import base_config
from .helpers.backoffice import add_signature, signed_in


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


def _legacy_digest(call) -> str:
    """A translation's source digest as it was taken before 0015: four parts, no
    organisation text."""
    parts = [call.title, call.summary, call.body_markdown, call.background_markdown]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _columns(table: str) -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns(table)}


def test_notable_translations_come_and_go_and_older_translations_ask_for_the_new_text(
    tmp_path, password_hash
):
    """0015 adds the notables' translations and the organisation text to the call's
    translation. Down, they go and the call's translations stay; up again over a
    translation saved before, the French page shows the English organisation text
    (marked) and the back office calls the translation out of date, until the demo
    seed (as bin/demo runs it) fills in the text and the notables' titles."""
    app = create_app(base_config(f"sqlite:///{tmp_path / 'notables.sqlite'}"))
    with app.app_context():
        flask_migrate.upgrade()
        call, _created = seed_demo()
        db.session.commit()
        call_id, slug = call.id, call.slug
        # Each of the 16 notables' titles and 6 categories in the five languages beside English.
        assert db.session.scalar(text("SELECT count(*) FROM notable_translation")) == 16 * 5
        assert db.session.scalar(text("SELECT count(*) FROM notable_category_translation")) == 6 * 5

        flask_migrate.downgrade(revision="0013")
        tables = set(inspect(db.engine).get_table_names())
        assert not {"notable_translation", "notable_category_translation"} & tables
        assert "organisation_blurb" not in _columns("petition_translation")
        # What the code before 0015 had recorded for the French translation.
        db.session.execute(
            text("UPDATE petition_translation SET source_digest = :digest"),
            {"digest": _legacy_digest(call)},
        )
        db.session.commit()

        flask_migrate.upgrade()
        assert "organisation_blurb" in _columns("petition_translation")
        assert (
            db.session.scalars(text("SELECT organisation_blurb FROM petition_translation")).all()
            == [""] * 5
        )
        assert db.session.scalar(text("SELECT count(*) FROM notable_translation")) == 0
        organiser = Organiser(
            email="editor@example.org", name="Editor", role="editor", password_hash=password_hash
        )
        db.session.add(organiser)
        db.session.commit()
        account = {"token": organiser.session_token}

    public = app.test_client()
    french = public.get(f"/fr/petitions/{slug}").get_data(as_text=True)
    assert f'<span lang="en">{demo_content.CALL["organisation_blurb"]}</span>' in french
    assert '<span class="notable-title" lang="en">Former President of Mexico</span>' in french
    editor = signed_in(app.test_client(), account)
    listing = editor.get(f"/organiser/calls/{call_id}/translations").get_data(as_text=True)
    assert "Out of date" in re.search(r'<tr id="lang-fr">.*?</tr>', listing, re.S)[0]

    with app.app_context():
        seed_demo()
        db.session.commit()
    french = public.get(f"/fr/petitions/{slug}").get_data(as_text=True)
    assert f"<span>{demo_content.TRANSLATIONS['fr']['organisation_blurb']}</span>" in french
    assert '<span class="notable-title">Ancien président du Mexique</span>' in french
    listing = editor.get(f"/organiser/calls/{call_id}/translations").get_data(as_text=True)
    assert "Up to date" in re.search(r'<tr id="lang-fr">.*?</tr>', listing, re.S)[0]


def test_signature_sources_come_and_go_and_keep_every_signature(tmp_path):
    """0014 adds where each form post came from; going down drops only that, keeping each
    signature and the indexes that keep one confirmed signature per mailbox."""
    app = create_app(base_config(f"sqlite:///{tmp_path / 'sources.sqlite'}"))
    with app.app_context():
        flask_migrate.upgrade()
        call, _created = seed_demo()
        db.session.flush()
        add_signature(call.id, "ada@example.org")
        db.session.execute(text("UPDATE signature SET ref = 'newsletter', partner = 'amnesty-ch'"))
        db.session.execute(
            text(
                "INSERT INTO discarded_posts (petition_id, ref, partner, posts)"
                " VALUES (:call, 'newsletter', '', 2)"
            ),
            {"call": call.id},
        )
        db.session.commit()

        flask_migrate.downgrade(revision="0016")  # just before 0014 (0016 comes before it)
        schema = inspect(db.engine)
        assert {"ref", "partner"}.isdisjoint(c["name"] for c in schema.get_columns("signature"))
        assert "discarded_posts" not in schema.get_table_names()
        indexes = {i["name"] for i in schema.get_indexes("signature")}
        assert {"ix_signature_petition_state", "uq_signature_confirmed_email"} <= indexes
        assert db.session.scalar(text("SELECT email FROM signature")) == "ada@example.org"

        flask_migrate.upgrade()
        schema = inspect(db.engine)
        indexes = {i["name"] for i in schema.get_indexes("signature")}
        assert "ix_signature_petition_state_source" in indexes
        assert "ix_signature_petition_state" not in indexes
        row = db.session.execute(text("SELECT email, status, ref FROM signature")).one()
        assert tuple(row) == ("ada@example.org", "confirmed", None)
        assert db.session.scalar(text("SELECT count(*) FROM discarded_posts")) == 0


def test_stored_files_come_and_go(tmp_path):
    """0017 adds the tables that keep press snapshots and packages for every host."""
    app = create_app(base_config(f"sqlite:///{tmp_path / 'files.sqlite'}"))
    with app.app_context():
        flask_migrate.upgrade()
        assert {"stored_file", "stored_file_chunk"} <= set(inspect(db.engine).get_table_names())
        flask_migrate.downgrade(revision="0014")
        tables = set(inspect(db.engine).get_table_names())
        assert "stored_file" not in tables and "stored_file_chunk" not in tables
        assert "discarded_posts" in tables  # 0014's own table stays
        flask_migrate.upgrade()
        assert "stored_file_chunk" in inspect(db.engine).get_table_names()


def test_publications_come_and_go_and_take_only_their_files(tmp_path):
    """0023 lets a stored file belong to no call (a publication's PDF); going back deletes
    those files, and only those, before a call is required again."""
    import io

    from campaign import stored_files
    from campaign.models import FileKind

    app = create_app(base_config(f"sqlite:///{tmp_path / 'publications.sqlite'}"))
    with app.app_context():
        flask_migrate.upgrade()
        call, _created = seed_demo()
        db.session.flush()
        stored_files.store(db.session, FileKind.PRESS, call.id, "press.csv", io.BytesIO(b"a,b"))
        stored_files.store(db.session, FileKind.PUBLICATION, None, "r.pdf", io.BytesIO(b"%PDF"))
        db.session.commit()
        tables = set(inspect(db.engine).get_table_names())
        assert {"publication", "publication_translation", "publication_file"} <= tables

        flask_migrate.downgrade(revision="0022")
        tables = set(inspect(db.engine).get_table_names())
        assert not {"publication", "publication_file", "publication_cover"} & tables
        kinds = db.session.execute(text("SELECT kind, name FROM stored_file")).all()
        assert [tuple(row) for row in kinds] == [("press", "press.csv")]
        assert db.session.scalar(text("SELECT count(*) FROM stored_file_chunk")) == 1
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("stored_file")}
        assert columns["petition_id"]["nullable"] is False

        flask_migrate.upgrade()
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("stored_file")}
        assert columns["petition_id"]["nullable"] is True
        assert db.session.scalar(text("SELECT count(*) FROM stored_file")) == 1
