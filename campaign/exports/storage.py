"""The package worker's scratch folder: ``EXPORT_DIR``, local to each host.

Press snapshots and delivery packages are kept in the database
(:mod:`campaign.stored_files`), where every host reads the same bytes; no
folder needs sharing. ``EXPORT_DIR`` (by default ``instance/exports``)
remains only because building a package writes its PDFs, lists and ZIP to
files first (fpdf2 and ``zipfile`` write files, and a package of every
government is tens of megabytes): the worker builds it in a folder of its
own under ``EXPORT_DIR``, copies the ZIP into the database a chunk at a
time, and removes the folder.
"""

from __future__ import annotations

import os

from flask import current_app


def scratch_dir() -> str:
    return current_app.config.get("EXPORT_DIR") or os.path.join(
        current_app.instance_path, "exports"
    )
