"""A local SMTP server that accepts and discards every message, and counts them.

aiosmtpd's own Sink handler discards too, but says nothing; the count lets
the benchmark check that every message it timed really reached a server.
On SIGTERM it prints "received N" and exits.

    python bench/smtp_sink.py PORT
"""

from __future__ import annotations

import signal
import sys
import threading

from aiosmtpd.controller import Controller


class CountingSink:
    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received += 1
        return "250 OK"


def main() -> None:
    handler = CountingSink()
    controller = Controller(handler, hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()
    print(f"received {handler.received}", flush=True)


if __name__ == "__main__":
    main()
