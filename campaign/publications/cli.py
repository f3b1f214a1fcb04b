"""``flask publications seed-demo``: the demo's publication (bin/demo runs it)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from ..extensions import db
from .demo import seed_demo_publication

publications_cli = AppGroup("publications", help="Reports organisers publish.")


@publications_cli.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo publication and its sample PDFs (idempotent; after seed-demo)."""
    publication, created = seed_demo_publication()
    db.session.commit()
    verb = "created" if created else "already present"
    click.echo(f"demo publication {verb}: /publications/{publication.slug}")


def init_app(app: Flask) -> None:
    app.cli.add_command(publications_cli)
