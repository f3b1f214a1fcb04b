"""The lease on one claimed batch, kept alive by a heartbeat while the batch is sent.

Why renew rather than lease for the whole batch: a lease long enough for the
slowest batch (200 messages to a slow server) holds a dead worker's mail for
that long; a short lease that a live worker renews (every third of
``OUTBOX_LEASE_SECONDS``, in a thread, see :mod:`campaign.heartbeat`) frees
a dead worker's mail within one lease, and a live worker keeps its batch
however long the server takes over it.

Why nothing is sent twice: before each message the worker asks
:meth:`BatchLease.holds`, which says yes only while the message is still
this worker's at the last renewal and that renewal is recent (less than two
thirds of a lease ago, so at least a third of a lease is left to hand the
message to the server and mark it). A worker whose heartbeat could not reach
the database stops before its lease can have run out; another then takes
the batch over. What remains is the crash between the server accepting a
message and its mark, which sends that one message twice (with its stable
Message-ID), as the design allows.
"""

from __future__ import annotations

from types import TracebackType

from ..extensions import db
from ..heartbeat import Heartbeat
from . import leases


class BatchLease:
    """``with BatchLease(ids, worker, seconds) as lease``: renewed until the block ends."""

    def __init__(self, message_ids: list[int], worker_id: str, lease_seconds: int) -> None:
        self.engine = db.engine  # read here: the heartbeat's thread has no app context
        self.worker_id = worker_id
        self.lease_seconds = lease_seconds
        self.held = frozenset(message_ids)
        self.heartbeat = Heartbeat(self._renew, lease_seconds / 3, f"outbox worker {worker_id}")

    def __enter__(self) -> BatchLease:
        self.heartbeat.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.heartbeat.__exit__(kind, error, traceback)

    def holds(self, message_id: int) -> bool:
        """Whether this worker may hand ``message_id`` to the server now."""
        return message_id in self.held and self.heartbeat.fresh(self.lease_seconds * 2 / 3)

    def _renew(self) -> bool:
        with self.engine.connect() as connection:
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            held = leases.renew(autocommit, sorted(self.held), self.worker_id, self.lease_seconds)
        # Sent rows drop out as they are marked; an unsent one missing was taken over.
        self.held = frozenset(held)
        return True
