"""Personal data leaving through the organisers' pages: the admins' full export, and its audit.

Every download of personal data (the full export, a delivery package) is
recorded in the audit log: who, what and when, never the data itself.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Organiser, Petition, Signature
from ..organisers import audit
from ..timezones import iso_utc
from .queries import SIGNER_COLUMNS, STREAM_BATCH, counted

log = logging.getLogger(__name__)

# The admins' full export: its CSV header and the signature columns it reads, in this order.
# Where each was posted from (the link's ref, the embed's partner) comes last.
FULL_COLUMNS = (*SIGNER_COLUMNS, "ref", "partner")


def full_rows(petition: Petition) -> Iterator[tuple[str, ...]]:
    """Every counted signature with its personal data, for organisers with the admin role."""
    query = (
        select(*(Signature.__table__.c[name] for name in FULL_COLUMNS))
        .where(counted(petition.id))
        .order_by(Signature.id)
        .execution_options(stream_results=True, yield_per=STREAM_BATCH)
    )
    for row in db.session.execute(query):
        yield tuple(_cell(value) for value in row)


def _cell(value: Any) -> str:
    """A value as the full export writes it: flags as yes/no, times in ISO 8601 UTC."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return iso_utc(value)
    return value


def record_download(
    *, petition: Petition, kind: str, actor: Organiser | None, rows: int | None
) -> None:
    """Record a download of personal data in the audit log: who, what and when, never the data.

    The caller commits (a streamed download commits before its first byte).
    """
    audit.record(actor, "export.download", "petition", petition.id, {"kind": kind, "rows": rows})
    log.info("export download: petition=%s kind=%s rows=%s", petition.slug, kind, rows)
