"""Where exports keep their files: ``EXPORT_DIR``, shared by every web process and the CLI.

Press snapshots live under ``press/``, delivery packages (personal data,
erased with the call's other personal data) under ``deliveries/<slug>/``.
Small and free of the export code itself, so the privacy services can find
the packages they erase without loading it.
"""

from __future__ import annotations

import os

from flask import current_app


def export_dir() -> str:
    return current_app.config.get("EXPORT_DIR") or os.path.join(
        current_app.instance_path, "exports"
    )


def delivery_packages_dir(slug: str) -> str:
    """Where the organisers' page keeps a call's packages (they hold personal data)."""
    return os.path.join(export_dir(), "deliveries", slug)
