"""``flask governments import|record-delivery``."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from ..extensions import db
from ..models import DeliveryChannel, Petition
from . import deliveries, importing

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


def _date(_ctx, _param, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("give the date as YYYY-MM-DD") from None


@governments_cli.command("record-delivery")
@click.argument("slug")
@click.option("--country", required=True, help="The recipient's country code, e.g. CH.")
@click.option("--channel", required=True, type=click.Choice([c.value for c in DeliveryChannel]))
@click.option(
    "--date", "delivered_on", required=True, callback=_date, help="Delivered on, YYYY-MM-DD."
)
@click.option(
    "--package",
    "package_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="The package's ZIP, as built by this site.",
)
@click.option("--body", default=None, help="The body it went to (default: the target's).")
@click.option(
    "--by", "handed_over_by", default=None, help="Who handed it over (kept in the back office)."
)
def record_delivery_command(
    slug: str,
    country: str,
    channel: str,
    delivered_on: date,
    package_file: str,
    body: str | None,
    handed_over_by: str | None,
) -> None:
    """Record that SLUG's package for COUNTRY was handed over; it becomes public.

    The ZIP's COUNTRY/manifest.json must hash to a package this site built for
    that call and country.
    """
    petition = _petition(slug)
    code = country.strip().upper()
    with force_locale("en"):
        try:
            delivery = _record_from_zip(
                petition,
                code,
                package_file,
                delivered_on=delivered_on,
                channel=channel,
                body=body,
                handed_over_by=handed_over_by,
            )
        except deliveries.DeliveryRefused as refused:
            db.session.rollback()
            raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(
        f"recorded: {code} on {delivery.delivered_on.isoformat()} ({delivery.channel}) to "
        f"{delivery.body}, {delivery.signature_count} signatures, "
        f"manifest.json SHA-256 {delivery.manifest_sha256}"
    )


def _record_from_zip(
    petition: Petition, code: str, package_file: str, **details
) -> deliveries.Delivery:
    """Find the package the ZIP's manifest names among those built here, and record it."""
    sha256 = deliveries.manifest_sha256(package_file, code)
    package = deliveries.package_by_manifest(petition, code, sha256)
    if package is None:
        raise deliveries.DeliveryRefused(
            f"this site never built a package for {code} of {petition.slug} whose "
            f"manifest.json has the SHA-256 {sha256}: was it changed, or built elsewhere?"
        )
    return deliveries.record_delivery(petition, package, actor=None, **details)


def init_app(app: Flask) -> None:
    app.cli.add_command(governments_cli)
