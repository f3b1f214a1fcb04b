"""``flask governments import|record-delivery``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from ..extensions import db
from ..models import Petition
from . import importing

governments_cli = AppGroup("governments", help="A call's governments: targets and deliveries.")


def _petition(slug: str) -> Petition:
    """Any call, drafts included: targets are set up before a call opens."""
    petition = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if petition is None:
        raise click.ClickException(f"no call with the slug {slug!r}")
    return petition


@governments_cli.command("import")
@click.argument("slug")
@click.argument("csv_file", metavar="FILE.csv", type=click.File("rb"))
def import_command(slug: str, csv_file) -> None:
    """Add or update SLUG's targets from a CSV file: all rows, or none if any is bad.

    Columns: country,body,email,language,threshold (see the README).
    """
    petition = _petition(slug)
    # The services' messages are translated: the command line reads them in English.
    with force_locale("en"):
        try:
            result = importing.import_targets(petition, csv_file.read(), actor=None)
        except importing.ImportRefused as refused:
            db.session.rollback()
            for problem in refused.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException("nothing was imported: please correct the file") from None
    db.session.commit()
    changed = result.added + result.updated
    click.echo(
        f"{len(result.added)} added, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged" + (f": {' '.join(changed)}" if changed else "")
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(governments_cli)
