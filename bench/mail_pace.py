"""Mail at a viral peak: how long from a signature to its email accepted by the SMTP server.

Run with ``.venv/bin/python bench/mail_pace.py`` (after ``bin/setup``; wrk and
PostgreSQL come from ``bin/system-deps``). On a scratch PostgreSQL it serves the
app with the shipped gunicorn.conf.py, starts the outbox workers the deploy
guide recommends (``--outbox-workers``, default 2) against a local SMTP server
that notes when each message arrives (bench/smtp_sink.py, given a file), and signs at full
rate with wrk (bench/sign.lua) for ``--seconds`` (default 60). Then it waits
for the outbox to drain and, for every signature, takes the time from its row's
creation to its confirmation email's arrival.

Target (issue 19): under 10 s at the 95th percentile. Everything runs on this
machine's cores at once (web, PostgreSQL, workers, wrk and the SMTP server), so
the figure is a worst case for a real deployment, where they are apart.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import time
from pathlib import Path

from harness import free_port, say
from load import PAGE, VENV, Bench, workdir


class MailPace(Bench):
    def run_pace(self) -> None:
        args = self.args
        self.prepare_database()
        times_file = self.workdir / "accepted.txt"
        smtp_port = free_port()
        self.start(
            "smtp",
            [str(VENV / "python"), "bench/smtp_sink.py", str(smtp_port), str(times_file)],
            self.env,
        )
        self.wait_for_line("smtp", "ready")
        mail = {**self.env, "MAIL_PORT": str(smtp_port)}
        self.env = mail
        self.gunicorn("web", "wsgi:app", env=mail)
        worker = [str(VENV / "flask"), "--app", "wsgi", "outbox", "work"]
        for n in range(args.outbox_workers):
            self.start(f"outbox-{n}", worker, mail)
        say(
            f"signing at full rate for {args.seconds} s ({args.connections} connections), "
            f"{args.outbox_workers} outbox worker(s) sending as it goes"
        )
        signing = self.wrk("signing", PAGE, "sign.lua", args.seconds, PAGE, "pace")
        self.show(signing)
        drained = self.wait_for_drain(args.drain_seconds)
        self.report(times_file, drained)

    def wait_for_line(self, name: str, text: str) -> None:
        deadline = time.monotonic() + 10
        while text not in (self.workdir / f"{name}.log").read_text():
            if time.monotonic() > deadline:
                raise SystemExit(f"{name} did not start; see {self.workdir / name}.log")
            time.sleep(0.1)

    def wait_for_drain(self, seconds: float) -> float:
        """Seconds after the end of signing until nothing is left to send."""
        ended = time.monotonic()
        while time.monotonic() - ended < seconds:
            (left,) = self.sql(
                "SELECT count(*) FROM outbox_message WHERE status IN ('queued', 'sending')"
            )[0]
            if left == 0:
                return time.monotonic() - ended
            time.sleep(0.5)
        raise SystemExit(f"the outbox still had {left} messages {seconds} s after signing ended")

    def report(self, times_file: Path, drained: float) -> None:
        accepted: dict[str, float] = {}
        for line in times_file.read_text().splitlines():
            stamp, recipient = line.split(" ", 1)
            accepted.setdefault(recipient.lower(), float(stamp))
        created = self.sql(
            "SELECT lower(email), extract(epoch FROM created_at) FROM signature "
            "WHERE email LIKE 'bench-pace-%%'"
        )
        delays = sorted(accepted[email] - float(at) for email, at in created if email in accepted)
        missing = len(created) - len(delays)
        if not delays:
            raise SystemExit("no signature's email arrived")
        centile = statistics.quantiles(delays, n=100, method="inclusive")
        say(f"{len(created)} signatures, {len(delays)} emails arrived, {missing} missing")
        say(f"outbox drained {drained:.1f} s after signing ended")
        say(
            "signature to email accepted: "
            f"p50 {centile[49]:.2f} s  p95 {centile[94]:.2f} s  p99 {centile[98]:.2f} s  "
            f"max {delays[-1]:.2f} s   (target: p95 under 10 s)"
        )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="how long to sign at full rate")
    parser.add_argument("--outbox-workers", type=int, default=2, help="outbox worker processes")
    parser.add_argument("--drain-seconds", type=int, default=300, help="wait at most this long")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    cpus = os.cpu_count() or 1
    parser.add_argument("--workers", type=int, default=2 * cpus, help="gunicorn processes")
    parser.add_argument("--gunicorn-threads", type=int, default=2, help="threads per process")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    args = parser.parse_args()
    args.warmup = 0
    return args


def main() -> None:
    args = parse_args()
    with workdir(args.keep) as path:
        bench = MailPace(args, path)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        try:
            bench.run_pace()
        finally:
            bench.stop_all()


if __name__ == "__main__":
    main()
