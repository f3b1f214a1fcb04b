"""What every export reads: which signatures of a call, in batches of how many rows, dated how.

The rules of what counts and what is public are defined once, in
:mod:`campaign.models` (``COUNTED``, ``PUBLICLY_LISTED``); here they are
only narrowed to one call, so the public list, the press downloads, the
delivery packages and the admins' export cannot drift apart.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, select

from ..models import COUNTED, PUBLICLY_LISTED, NotableSignatory, Signature

# A signature's own columns, in one order: what the admins' full export shows (its CSV
# header), and the values of each synthetic row seeding inserts.
SIGNER_COLUMNS = (
    "public_id",
    "name",
    "email",
    "country",
    "public",
    "updates",
    "language",
    "created_at",
    "confirmed_at",
)

# Rows fetched per round trip when streaming; the memory an export needs is about this many rows.
STREAM_BATCH = 5000


def counted(petition_id: int) -> ColumnElement[bool]:
    """The call's signatures that count, and so may be exported."""
    return and_(Signature.petition_id == petition_id, COUNTED)


def publicly_listed(petition_id: int) -> ColumnElement[bool]:
    """The call's counted signatures whose signers chose to be shown.

    ``PUBLICLY_LISTED`` is the partial indexes' own condition, as literal
    text: SQLite uses a partial index only when the query repeats it term
    for term.
    """
    return and_(Signature.petition_id == petition_id, PUBLICLY_LISTED)


def not_a_listed_notable(petition_id: int) -> ColumnElement[bool]:
    """A signature promoted to notable is listed once, among the notables."""
    linked = select(NotableSignatory.signature_id).where(
        NotableSignatory.petition_id == petition_id,
        NotableSignatory.visible,
        NotableSignatory.signature_id.is_not(None),
    )
    return Signature.id.not_in(linked)
