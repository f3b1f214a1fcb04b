"""``flask seed-signatures`` and ``flask export press|delivery|work|settings``."""

from __future__ import annotations

import logging
import sys
import time

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from ..extensions import db
from ..models import DeliveryMode, Petition
from ..petitions.counters import reconcile_counts
from ..petitions.services import get_public_petition
from .delivery_options import FIELD_COLUMNS, LANGUAGES, country_stats
from .delivery_settings import SettingsRefused, change_delivery_settings
from .press import write_press
from .seeding import seed_signatures


def _petition(slug: str) -> Petition:
    petition = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if petition is None:
        raise click.ClickException(f"no call with the slug {slug!r}")
    return petition


@click.command("seed-signatures")
@with_appcontext
@click.argument("slug")
@click.argument("count", type=click.IntRange(min=1))
@click.option("--seed", type=int, default=None, help="Random seed, for reproducible data.")
@click.option(
    "--public-share",
    type=click.FloatRange(0, 1),
    default=0.35,
    show_default=True,
    help="Share of signers who chose to be shown publicly.",
)
@click.option(
    "--country",
    default=None,
    help="Sign every one from this country (ISO code), names still from every script.",
)
def seed_signatures_command(
    slug: str, count: int, seed: int | None, public_share: float, country: str | None
) -> None:
    """Insert COUNT synthetic confirmed signatures into the call SLUG (demos, benchmarks)."""
    petition = _petition(slug)
    started = time.perf_counter()
    chunks = seed_signatures(petition, count, seed=seed, public_share=public_share, country=country)
    with click.progressbar(length=count, label="Inserting signatures", file=sys.stderr) as bar:
        for size in chunks:
            db.session.commit()
            bar.update(size)
    _before, total = reconcile_counts(petition)
    db.session.commit()
    elapsed = time.perf_counter() - started
    click.echo(f"{count} signatures added in {elapsed:.1f} s; {slug} now counts {total}.")


export_cli = AppGroup("export", help="Press downloads and delivery packages.")


@export_cli.command("press")
@click.argument("slug")
@click.option(
    "--out", "out", type=click.File("wb"), required=True, help="File to write ('-': stdout)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option("--bom", is_flag=True, help="Start with a UTF-8 byte order mark (for spreadsheets).")
def press_command(slug: str, out, fmt: str, bom: bool) -> None:
    """Write the public signatory list of SLUG: the same bytes as the press download."""
    petition = get_public_petition(slug)
    if petition is None:
        raise click.ClickException(f"no public call with the slug {slug!r}")
    written = write_press(petition, fmt, out, bom=bom)
    if out is not sys.stdout.buffer and getattr(out, "name", "-") != "<stdout>":
        click.echo(f"{written} bytes written to {out.name}", err=True)


@export_cli.command("delivery")
@click.argument("slug")
@click.option(
    "--country", default=None, help="Recipient country code (default: all, one folder each)."
)
@click.option(
    "--lang",
    "language",
    type=click.Choice(list(LANGUAGES)),
    default="en",
    show_default=True,
    help="Language of the cover letter.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, writable=True),
    required=True,
    help="Folder to write the ZIP into.",
)
def delivery_command(slug: str, country: str | None, language: str, out_dir: str) -> None:
    """Make the delivery package of SLUG for one government or all (a draft: nothing public).

    Once handed over, record it with ``flask governments record-delivery``.
    """
    # Here, not at the top: it loads fpdf2 and HarfBuzz (0.25-1 s, ~40 MB per process).
    from .delivery import DeliveryError, build_delivery

    petition = get_public_petition(slug)
    if petition is None:
        raise click.ClickException(f"no public call with the slug {slug!r}")
    code = country.upper() if country else None
    stats = country_stats(petition)
    total = stats[code].count if code and code in stats else sum(s.count for s in stats.values())
    with click.progressbar(length=max(total, 1), label="Writing packages", file=sys.stderr) as bar:
        try:
            result = build_delivery(
                petition, out_dir=out_dir, country=code, language=language, progress=bar.update
            )
        except DeliveryError as error:
            raise click.ClickException(str(error)) from None
    db.session.commit()
    for package in result.packages:
        click.echo(
            f"{package.country}: {package.count} signatures, "
            f"manifest.json SHA-256 {package.manifest_sha256}"
        )
    click.echo(result.zip_path)
    click.echo(
        "Nothing is public yet: once handed over, record it with "
        "`flask governments record-delivery`.",
        err=True,
    )


@export_cli.command("work")
@click.option("--stop-after", type=float, default=None, help="Stop after this many seconds.")
@click.option("--until-empty", is_flag=True, help="Stop when no package is waiting (for cron).")
def work_command(stop_after: float | None, until_empty: bool) -> None:
    """Build the packages asked for in the back office until stopped (SIGTERM or Ctrl-C).

    Run one or more beside the outbox worker: each claims a job with a lease,
    and a job whose worker died is taken over when its lease runs out.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # Here, not at the top: it loads fpdf2 and HarfBuzz, which web processes never need.
    from . import job_worker

    try:
        job_worker.work(stop_after=stop_after, until_empty=until_empty)
    except KeyboardInterrupt:
        click.echo("package worker stopped")


@export_cli.command("settings")
@click.argument("slug")
@click.option(
    "--mode",
    type=click.Choice([m.value for m in DeliveryMode]),
    help="names: packages list the signers; counts_only: totals only, nobody named.",
)
@click.option(
    "--fields",
    help=f"Comma-separated fields of the delivered list, from: {', '.join(FIELD_COLUMNS)}.",
)
def settings_command(slug: str, mode: str | None, fields: str | None) -> None:
    """Show or change how SLUG is delivered (the back office has a page for it too)."""
    petition = _petition(slug)
    chosen = [f.strip() for f in fields.split(",")] if fields is not None else None
    try:
        with force_locale("en"):  # the refusals are written for the back office's pages
            change_delivery_settings(
                petition, mode=mode or petition.delivery_mode, fields=chosen, actor=None
            )
    except SettingsRefused as refused:
        raise click.BadParameter(str(refused), param_hint=f"--{refused.field}") from None
    db.session.commit()
    click.echo(f"{slug}: delivery_mode={petition.delivery_mode} fields={petition.delivery_fields}")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_signatures_command)
    app.cli.add_command(export_cli)
