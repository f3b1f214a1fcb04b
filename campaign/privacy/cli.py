"""``flask retention run`` and ``flask privacy find|export|erase EMAIL``."""

from __future__ import annotations

import json

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from ..events import retention as event_retention
from ..extensions import db
from ..job_locks import one_host_at_a_time
from ..models import Petition
from ..organisers import sessions as organiser_sessions
from . import services

retention_cli = AppGroup("retention", help="Delete or erase personal data past its time.")
privacy_cli = AppGroup("privacy", help="Subject access and erasure requests.")


@retention_cli.command("run")
@one_host_at_a_time("retention run")
def retention_run() -> None:
    """Delete stale unconfirmed signatures and erase delivered calls' data (safe from cron)."""
    result = services.run_retention()
    # Organisers' ended sessions go with the rest, a month on (kept for looking into incidents).
    sessions = organiser_sessions.prune(keep_days=30)
    db.session.commit()
    click.echo(
        f"deleted {result.pending_deleted} unconfirmed signatures; "
        f"erased personal data of {result.signatures_erased} signatures; "
        f"deleted {result.registrations_deleted} unconfirmed event registrations; "
        f"erased {result.registrations_erased} event registrations; "
        f"deleted {sessions} old organiser sessions"
    )


@retention_cli.command("set")
@click.argument("slug")
@click.option("--pending-days", type=int, help="Keep unconfirmed signatures (1 or more).")
@click.option("--erase-after-days", type=int, help="Erase after delivery (0 or more).")
def retention_set(slug: str, pending_days: int | None, erase_after_days: int | None) -> None:
    """Show or set a call's retention periods (in days); changes are in the audit log."""
    petition = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if petition is None:
        raise click.ClickException(f"no call with the address {slug!r}")
    try:
        with force_locale("en"):  # the refusals are written for the back office's pages
            services.set_retention(
                petition, pending_days=pending_days, erase_after_days=erase_after_days, actor=None
            )
    except services.RetentionRefused as refused:
        raise click.BadParameter(str(refused), param_hint=f"--{refused.field}") from None
    db.session.commit()
    click.echo(
        f"{slug}: unconfirmed signatures kept {petition.pending_retention_days} days "
        f"(never less than the confirmation link's "
        f"{current_app.config['CONFIRM_MAX_AGE_DAYS']}); personal data erased "
        f"{petition.erase_after_delivery_days} days after the last delivery"
    )


@privacy_cli.command("find")
@click.argument("email")
def privacy_find(email: str) -> None:
    """List the signatures given with EMAIL (on every call)."""
    found = services.signatures_of(email)
    if not found:
        click.echo("no signature with this address")
    for s in found:
        click.echo(
            f"{s.petition.slug}\t{s.status}\t{s.validity}\t{s.country}\t{s.created_at:%Y-%m-%d}"
        )


@privacy_cli.command("export")
@click.argument("email")
@click.option("--out", type=click.File("w"), default="-", help="File to write (default: stdout).")
def privacy_export(email: str, out) -> None:
    """Write everything held about EMAIL as JSON (subject access request)."""
    json.dump(services.subject_access_report(email), out, indent=2, ensure_ascii=False)
    out.write("\n")


@privacy_cli.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def privacy_erase(email: str, yes: bool) -> None:
    """Erase the personal data of EMAIL on every call and event (counts are kept)."""
    found = services.signatures_of(email)
    registrations = [r for r in event_retention.registrations_of(email) if r.email]
    if not found and not registrations:
        click.echo("no signature or event registration with this address")
        return
    if not yes:
        click.confirm(
            f"Erase the personal data of {len(found)} signature(s) and "
            f"{len(registrations)} event registration(s)?",
            abort=True,
        )
    erased = services.erase_person(email)
    db.session.commit()
    click.echo(f"erased {len(erased)} signature(s) and {len(registrations)} event registration(s)")


def init_app(app: Flask) -> None:
    app.cli.add_command(retention_cli)
    app.cli.add_command(privacy_cli)
