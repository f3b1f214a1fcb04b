"""``flask receipts public-key``: the site's receipt signing key, to publish."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from . import signing

receipts_cli = AppGroup("receipts", help="Receipts: the key that signs delivery roots.")


@receipts_cli.command("public-key")
def public_key_command() -> None:
    """Print the public key (hex, its id, and PEM) that signs each delivery's Merkle root."""
    raw = signing.public_key_raw()
    click.echo(f"Ed25519 public key: {raw.hex()}")
    click.echo(f"key id (SHA-256 of the key): {signing.key_id(raw)}")
    click.echo(signing.public_key_pem(), nl=False)


def init_app(app: Flask) -> None:
    app.cli.add_command(receipts_cli)
