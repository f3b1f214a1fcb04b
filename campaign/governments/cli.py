"""``flask governments import|record-delivery``."""

from __future__ import annotations

from flask import Flask
from flask.cli import AppGroup

governments_cli = AppGroup("governments", help="A call's governments: targets and deliveries.")


def init_app(app: Flask) -> None:
    app.cli.add_command(governments_cli)
