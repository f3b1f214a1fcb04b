"""A thread that renews a lease for as long as the work it covers goes on.

Why a thread: a lease must outlive the slowest step of the work it covers
(an SMTP server that takes its time over one message, a retention run that
deletes for minutes), or a live worker loses its work to another and both
do it. Renewing from the work's own loop ties the lease to that loop's
slowest step; a thread renews it every ``every_seconds`` whatever the work
is doing, so the lease can stay short and a process that dies (``kill -9``,
a lost host) stops renewing at once: its work is free a lease later.

The worker asks :meth:`Heartbeat.fresh` before each step it must only take
while holding the lease: a heartbeat that could not renew for a while (the
database was unreachable) says no, and the worker stops before the lease
can have run out under it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from types import TracebackType

log = logging.getLogger(__name__)


def holder_id() -> str:
    """Who holds a lease, for a person reading the row: host, process, and a random tail."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Heartbeat:
    """Calls ``renew`` every ``every_seconds`` in a thread, from ``with`` until the block ends.

    ``renew`` runs the statement that extends the lease (on a connection of its
    own: the thread shares none with the work) and returns whether the lease is
    still held; on False the heartbeat stops and :meth:`fresh` says no from then
    on. An exception is logged and counts as a missed beat: the next one tries
    again.
    """

    def __init__(self, renew: Callable[[], bool], every_seconds: float, name: str) -> None:
        self.renew = renew
        self.every_seconds = every_seconds
        self.name = name
        self.lost = False
        # When the last renewal that held began: the lease runs from about then.
        self.renewed_at = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat {name}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self.renewed_at = time.monotonic()  # the claim or lock just taken set the lease
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def fresh(self, within_seconds: float) -> bool:
        """Whether the lease is held and was renewed less than ``within_seconds`` ago."""
        return not self.lost and time.monotonic() - self.renewed_at < within_seconds

    def _beat(self) -> None:
        while not self._stop.wait(self.every_seconds):
            started = time.monotonic()
            try:
                held = self.renew()
            except Exception:
                log.exception("%s: the lease could not be renewed; trying again", self.name)
                continue
            if not held:
                self.lost = True
                log.warning("%s: the lease was lost (taken over after it ran out)", self.name)
                return
            self.renewed_at = started
