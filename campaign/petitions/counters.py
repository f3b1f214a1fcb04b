"""The one gate for a signature's state, and the counters it keeps right.

Every change of a signature's state (confirm, withdraw, invalidate, restore,
release) goes through :func:`transition`, which moves the row with a
conditional UPDATE (so two requests can never both move it) and adjusts
``signature_count`` and the per-country counts by the difference it makes
to what counts. :func:`reconcile_counts` recomputes them from the rows, to
prove there is no drift and mend it if there ever is. Nothing here commits.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, func, select, text, update
from sqlalchemy.orm.attributes import set_committed_value

from ..database import dialect_name
from ..extensions import db
from ..models import COUNTED, CountryCount, Lifecycle, Petition, Signature, Validity, is_counted

# The counters are the hottest rows of a busy day: every confirmation adds to the
# same call's count. They are bumped last, just before the commit, and on
# PostgreSQL in the very statement that moves the signature, so each transaction
# holds their row locks for as short a time as possible. Plain SQL on the tables:
# a count is not an edit of the call, so the ORM's onupdate for updated_at must
# not fire.
_CALL_SQL = "UPDATE petition SET signature_count = signature_count + :delta WHERE id = :petition_id"
_COUNTRY_INSERT = "INSERT INTO country_count (petition_id, country, signature_count)"
_COUNTRY_CONFLICT = """
    ON CONFLICT (petition_id, country)
    DO UPDATE SET signature_count = country_count.signature_count + excluded.signature_count
"""
_BUMP_CALL = text(_CALL_SQL)
_BUMP_COUNTRY = text(
    f"{_COUNTRY_INSERT} VALUES (:petition_id, :country, :delta) {_COUNTRY_CONFLICT}"
)


def adjust_counters(petition_id: int, country: str, delta: int) -> None:
    """Add ``delta`` to a call's count and to its country's count."""
    params = {"petition_id": petition_id, "country": country, "delta": delta}
    db.session.execute(_BUMP_CALL, params)
    db.session.execute(_BUMP_COUNTRY, params)


# Every transition is one UPDATE, its SET columns taken from the parameters.
_signatures = Signature.__table__
_MOVE = _signatures.update().where(
    _signatures.c.id == bindparam("_id"),
    _signatures.c.status == bindparam("_old_status"),
    _signatures.c.validity == bindparam("_old_validity"),
)


@cache
def _move_and_count(columns: tuple[str, ...]) -> Any:
    """PostgreSQL: the transition's UPDATE and both counters in one statement.

    The counters are bumped from the ``moved`` row, so when another request
    moved the signature first nothing is counted, and the statement reports
    no row. One round trip where the UPDATE and then the counters took two.
    The SET columns are the transition's own keywords, looked up on the table.
    """
    sets = ", ".join(f"{_signatures.c[name].name} = :{name}" for name in columns)
    sql = f"""
        WITH moved AS (
            UPDATE signature SET {sets}
            WHERE id = :_id AND status = :_old_status AND validity = :_old_validity
            RETURNING id
        ), bumped AS ({_CALL_SQL} AND EXISTS (SELECT FROM moved) RETURNING id)
        {_COUNTRY_INSERT} SELECT :petition_id, :country, :delta FROM moved {_COUNTRY_CONFLICT}
    """  # noqa: S608 - column names from the table, every value a parameter
    return text(sql)


def transition(
    signature: Signature,
    *,
    status: Lifecycle | None = None,
    validity: Validity | None = None,
    **values: Any,
) -> bool:
    """Move ``signature`` to a new state and keep the counters right.

    Returns False, changing nothing, when the row is no longer in the state
    this object last saw (another request moved it first).
    """
    changes = move(signature, status=status, validity=validity, **values)
    if changes is None:
        return False
    for key, value in changes.items():
        set_committed_value(signature, key, value)
    return True


class SignatureState(Protocol):
    """What a transition needs to know of a signature: an ORM row or plain columns."""

    id: int
    petition_id: int
    country: str
    status: str
    validity: str


def move(
    signature: SignatureState,
    *,
    status: Lifecycle | None = None,
    validity: Validity | None = None,
    **values: Any,
) -> dict[str, Any] | None:
    """The write of :func:`transition`: the columns it changed, or None if it lost a race.

    Called directly only with plain columns read for one write (the Confirm
    button's ``lifecycle.LinkTarget``), where there is no ORM object to update.
    """
    old = (signature.status, signature.validity)
    new = (status or old[0], validity or old[1])
    changes = {"status": new[0], "validity": new[1], **values}
    params = {"_id": signature.id, "_old_status": old[0], "_old_validity": old[1], **changes}
    delta = int(is_counted(*new)) - int(is_counted(*old))
    if delta and dialect_name() == "postgresql":
        counted = {"petition_id": signature.petition_id, "country": signature.country}
        statement = _move_and_count(tuple(changes))
        moved = db.session.execute(statement, {**params, **counted, "delta": delta}).rowcount == 1
    else:  # SQLite has no UPDATE inside WITH; its one writer at a time holds no row locks
        moved = db.session.execute(_MOVE, params).rowcount == 1
        if moved and delta:
            adjust_counters(signature.petition_id, signature.country, delta)
    return changes if moved else None


def reconcile_counts(petition: Petition) -> tuple[int, int]:
    """Recompute a call's counters from its rows; return (before, after).

    Drift should never happen; this is the periodic check that proves it and
    mends it if a bug or a manual edit ever causes it.
    """
    counted = (Signature.petition_id == petition.id) & COUNTED
    by_country = dict(
        db.session.execute(
            select(Signature.country, func.count()).where(counted).group_by(Signature.country)
        ).all()
    )
    before = petition.signature_count
    total = sum(by_country.values())
    db.session.execute(
        update(Petition).where(Petition.id == petition.id).values(signature_count=total)
    )
    db.session.execute(delete(CountryCount).where(CountryCount.petition_id == petition.id))
    if by_country:
        db.session.execute(
            CountryCount.__table__.insert(),
            [
                {"petition_id": petition.id, "country": code, "signature_count": n}
                for code, n in by_country.items()
            ],
        )
    db.session.refresh(petition)
    return before, total
