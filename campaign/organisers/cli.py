"""``flask organiser ...``: accounts are created and disabled on the server.

Passwords come from a hidden prompt, or from standard input with
``--password-stdin`` (for scripts), never from the command line where the
shell history and ``ps`` would keep them.
"""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from ..extensions import db
from ..models import Organiser, OrganiserRole
from . import audit, services, sessions

organiser_cli = AppGroup("organiser", help="Manage organiser accounts.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _get(email: str) -> Organiser:
    organiser = services.find_organiser(email)
    if organiser is None:
        raise click.ClickException(f"No organiser has the address {email}.")
    return organiser


@organiser_cli.command("create")
@click.argument("email")
@click.option(
    "--role", required=True, type=click.Choice([r.value for r in OrganiserRole]), help="Role."
)
@click.option("--name", default="", help="Name shown in the organisers' area.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_command(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create an organiser account."""
    password = _read_password(password_stdin)
    try:
        organiser = services.create_organiser(email, role, password, name)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from None
    audit.record(None, "create_organiser", "organiser", organiser.id, {"role": role})
    db.session.commit()
    click.echo(f"created {organiser.email} ({organiser.role})")


@organiser_cli.command("list")
def list_command() -> None:
    """List organiser accounts."""
    for organiser in db.session.scalars(select(Organiser).order_by(Organiser.email)):
        state = "invited" if organiser.invited else "active" if organiser.active else "disabled"
        two_step = "2fa" if organiser.totp_secret else "-"
        click.echo(f"{organiser.email}\t{organiser.role}\t{state}\t{two_step}\t{organiser.name}")


def _set_active(email: str, active: bool) -> None:
    organiser = _get(email)
    services.set_active(organiser, active)
    action = "enable_organiser" if active else "disable_organiser"
    audit.record(None, action, "organiser", organiser.id, {"fields": ["active"]})
    db.session.commit()
    click.echo(f"{'enabled' if active else 'disabled'} {organiser.email}")


@organiser_cli.command("disable")
@click.argument("email")
def disable_command(email: str) -> None:
    """Disable an account; its sessions end at once."""
    _set_active(email, False)


@organiser_cli.command("enable")
@click.argument("email")
def enable_command(email: str) -> None:
    """Enable a disabled account again."""
    _set_active(email, True)


@organiser_cli.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def set_password_command(email: str, password_stdin: bool) -> None:
    """Set a new password; the account's sessions end and its lockouts are lifted."""
    organiser = _get(email)
    try:
        services.set_password(organiser, _read_password(password_stdin))
    except services.AccountError as error:
        raise click.ClickException(str(error)) from None
    audit.record(None, "set_password", "organiser", organiser.id, {"fields": ["password"]})
    db.session.commit()
    click.echo(f"password changed for {organiser.email}")


@organiser_cli.command("reset-two-step")
@click.argument("email")
def reset_two_step_command(email: str) -> None:
    """Turn off an organiser's second factor (a lost phone); their sessions end."""
    organiser = _get(email)
    services.disable_totp(organiser)
    audit.record(None, "disable_two_factor", "organiser", organiser.id, {"fields": ["totp"]})
    db.session.commit()
    click.echo(f"two-step sign-in turned off for {organiser.email}")


@organiser_cli.command("prune-sessions")
@click.option(
    "--keep-days",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="Keep sessions that ended more recently, to look back after an incident.",
)
def prune_sessions_command(keep_days: int) -> None:
    """Delete sessions that ended or ran out (safe from cron, daily)."""
    deleted = sessions.prune(keep_days)
    db.session.commit()
    click.echo(f"deleted {deleted} old sessions")


def init_app(app: Flask) -> None:
    app.cli.add_command(organiser_cli)
