"""A local SMTP server that accepts every message and writes when each one arrived.

One line per message, "<unix time> <recipient>", to the file named on the
command line: the mail benchmark matches it against each signature's creation
time. Like bench/smtp_sink.py it discards the message itself, prints "ready"
once listening and "received N" on SIGTERM.

    python bench/smtp_timing.py PORT TIMES_FILE
"""

from __future__ import annotations

import signal
import sys
import threading
import time

from aiosmtpd.controller import Controller


class TimingSink:
    def __init__(self, path: str) -> None:
        self.received = 0
        self.times = open(path, "a", buffering=1)  # noqa: SIM115 - closed in main()

    async def handle_DATA(self, server, session, envelope) -> str:
        accepted = time.time()
        self.received += 1
        for recipient in envelope.rcpt_tos:
            self.times.write(f"{accepted:.6f} {recipient}\n")
        return "250 OK"


def main() -> None:
    handler = TimingSink(sys.argv[2])
    controller = Controller(handler, hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()
    handler.times.close()
    print(f"received {handler.received}", flush=True)


if __name__ == "__main__":
    main()
