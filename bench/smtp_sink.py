"""A local SMTP server that accepts and discards every message, and counts them.

aiosmtpd's own Sink handler discards too, but says nothing; the count lets
the benchmark check that every message it timed really reached a server.
Given a file, it also writes one line per message, "<unix time> <recipient>",
when each arrived: the mail benchmark (bench/mail_pace.py) matches those
against each signature's creation time. On SIGTERM it prints "received N"
and exits.

    python bench/smtp_sink.py PORT [TIMES_FILE]
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from typing import TextIO

from aiosmtpd.controller import Controller


class CountingSink:
    def __init__(self, times: TextIO | None = None) -> None:
        self.received = 0
        self.times = times

    async def handle_DATA(self, server, session, envelope) -> str:
        accepted = time.time()
        self.received += 1
        if self.times is not None:
            for recipient in envelope.rcpt_tos:
                self.times.write(f"{accepted:.6f} {recipient}\n")
        return "250 OK"


def main() -> None:
    times = open(sys.argv[2], "a", buffering=1) if len(sys.argv) > 2 else None  # noqa: SIM115
    handler = CountingSink(times)
    controller = Controller(handler, hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()
    if times is not None:
        times.close()
    print(f"received {handler.received}", flush=True)


if __name__ == "__main__":
    main()
