"""The load benchmark: the app under wrk on this machine, with every figure in one run.

Run it as ``bench/load`` (which sets up the machine and the virtualenv first).
It starts a scratch PostgreSQL (bin/pg-scratch), migrates it and seeds the
demo call, then serves the app with gunicorn and the shipped
``gunicorn.conf.py`` on 127.0.0.1 with ``CAMPAIGN_ENV=production`` and mail
pointed at a closed local port (mail only queues), and measures, each for a
fixed time:

1. the ceiling: a bare Flask app (bench/ceiling_app.py) on the same gunicorn
   configuration; every other figure is also given as a ratio to it, twice:
   to the better of two full ceiling runs (before and after everything), and
   to the ceiling measured just before and just after that very run, which is
   what the targets are judged on (on a shared machine the ceiling moves by
   half within minutes, and a ratio is only meaningful at one moment);
   the floor: a bare Flask app that parses a form, does one INSERT on the same
   PostgreSQL and redirects (bench/floor_app.py), running beside the app and
   measured just before and after signing and confirming, which are also
   given as a ratio to it;
2. ``/healthz``, the petition page and ``count.json``;
3. signing: the full form post with a fresh address per request (bench/sign.lua),
   after a full run of the floor (bench/floor.lua);
4. confirming: the Confirm button's POST, one pending signature per request
   (bench/confirm_links.py prepares them, bench/confirm.lua replays them);
5. the page and ``count.json`` again after 1,000,000 confirmed signatures are
   added, to show that counts are maintained counters, not ``COUNT(*)``;
6. the outbox: 5,000 queued messages sent by ``flask outbox work --until-empty``
   to a local SMTP server that discards them (bench/smtp_sink.py).

With ``--baseline REV`` it also serves git revision REV from a temporary
worktree beside the checkout's app and compares the two, interleaved, in
``--rounds`` rounds (bench/compare.py); REV must have the same migrations.

Everything listens on 127.0.0.1 only, every run is bounded, and every
process it started is stopped when it ends, however it ends. Starting and
stopping processes and the wrk runs are bench/harness.py's.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import compare
import psycopg
import tables
from harness import Harness, Result, free_port, say

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
SLUG = "call-to-governments"
PAGE = f"/petitions/{SLUG}"


class Bench(Harness):
    """The runs of the benchmark, in order, on the harness's processes and wrk runs."""

    def prepare_database(self) -> None:
        say("starting a scratch PostgreSQL, migrating, seeding the demo call")
        self.database_url = subprocess.run(
            [str(ROOT / "bin" / "pg-scratch"), "start", str(self.pg_dir)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        self.env = {
            **os.environ,
            "CAMPAIGN_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": self.database_url,
            "BASE_URL": self.base,
            # Nothing listens there: mail only queues while the web runs are measured.
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(free_port()),
            # Read by the abuse-protection layer: a benchmark from one address is not abuse.
            "RATELIMIT_ENABLED": "false",
            "SIGN_MIN_SECONDS": "0",
            "WEB_CONCURRENCY": str(self.args.workers),
            "GUNICORN_THREADS": str(self.args.gunicorn_threads),
            "GUNICORN_LOGLEVEL": "warning",
            "PYTHONPATH": str(ROOT / "bench"),
        }
        self.flask("db", "upgrade")
        self.flask("seed-demo")
        self.add_confirmed(10)

    def add_confirmed(self, count: int) -> None:
        """Bulk-insert confirmed signatures in SQL, then let the reconcile command count them."""
        (petition_id,) = self.sql("SELECT id FROM petition WHERE slug = %s", (SLUG,))[0]
        nonce = secrets.token_hex(4)
        self.sql(
            """
            INSERT INTO signature (public_id, petition_id, name, email, email_canonical,
                country, public, updates, language, status, validity, text_version,
                privacy_version, consent_text, emails_sent, created_at, confirmed_at)
            SELECT 'bulk-' || %(nonce)s || '-' || g, %(petition)s, 'Bulk Signer ' || g,
                'bulk-' || %(nonce)s || '-' || g || '@example.org',
                'bulk-' || %(nonce)s || '-' || g || '@example.org',
                (ARRAY['CH','FR','DE','US','BR','IN','JP','KE','GB','ES'])[1 + g %% 10],
                g %% 3 = 0, false, 'en', 'confirmed', 'ok', 1, 'bench', 'bench', 1,
                now(), now()
            FROM generate_series(1, %(count)s) AS g
            """,
            {"nonce": nonce, "petition": petition_id, "count": count},  # type: ignore[arg-type]
        )
        self.flask("counts", "reconcile")
        # Settle the table now, or autovacuum would do it during the next measurements.
        self.sql("VACUUM (ANALYZE) signature")

    def count_star_ms(self) -> float:
        """What one COUNT(*) of the counted signatures costs: what counters save per request."""
        query = (
            "SELECT count(*) FROM signature s JOIN petition p ON p.id = s.petition_id "
            "WHERE p.slug = %s AND s.status = 'confirmed' AND s.validity = 'ok'"
        )
        url = self.database_url.replace("postgresql+psycopg://", "postgresql://")
        timings = []
        with psycopg.connect(url, autocommit=True) as connection:
            for _ in range(6):
                started = time.perf_counter()
                connection.execute(query, (SLUG,)).fetchall()
                timings.append((time.perf_counter() - started) * 1000)
        return sorted(timings[1:])[2]  # the median, once the first has warmed the cache

    def run(self, baseline: Path | None = None) -> None:
        """Every run in turn, then the tables; with ``baseline`` (a worktree), the comparison."""
        args = self.args
        self.load_before = os.getloadavg()
        self.prepare_database()
        results: dict[str, Result] = {}

        say(f"ceiling: bare Flask on the same gunicorn configuration, {args.seconds} s per run")
        results["ceiling"] = self.ceiling("ceiling (bare Flask), before")

        say("the app, 10 confirmed signatures")
        # wsgi:app, saying where it imported campaign from (bench/served.py); checked here.
        web = self.gunicorn("web", "served:app")
        compare.check_served(self, self.workdir / "web.log", ROOT)
        # Idle while the app is measured, and the app idle while they are.
        ceiling = self.gunicorn("ceiling-near", "ceiling_app:app", self.ceiling_port)
        floor = self.gunicorn("floor-near", "floor_app:app", self.floor_port)
        self.read_runs(results)
        self.write_runs(results)
        compared = compare.run(self, baseline, PAGE, free_port()) if baseline else None
        if args.big:
            self.big_runs(results)
        for server in (web, ceiling, floor):
            self.stop(server)
        say("ceiling again: the ratios use the better of the two, the stricter measure")
        results["ceiling_after"] = self.ceiling("ceiling (bare Flask), after")

        outbox = self.outbox(args.messages)
        for line in tables.report(self, results, outbox):
            say(line)
        if compared:
            say("")
            for line in compare.table(self, compared, args.baseline):
                say(line)

    def read_runs(self, results: dict[str, Result]) -> None:
        """/healthz, the page and count.json, cached and uncached, at 10 signatures."""
        results["healthz"] = self.measure_app("healthz", "/healthz", "/healthz")
        self.count_star = [self.count_star_ms()]
        results["page"] = self.measure_app("page", "petition page", PAGE)
        results["count"] = self.measure_app("count", "count.json", f"{PAGE}/count.json")
        # A query string bypasses each process's one-second cache: every request renders
        # the page or reads the count, which is what shows counters, not COUNT(*), below.
        results["page_render"] = self.measure_app(
            "page_render", "petition page, uncached", f"{PAGE}?uncached"
        )
        results["count_read"] = self.measure_app(
            "count_read", "count.json, uncached", f"{PAGE}/count.json?uncached"
        )

    def write_runs(self, results: dict[str, Result]) -> None:
        """The floor, then signing and confirming, each between two runs of the floor."""
        results["floor"] = self.measure_app(
            "floor",
            "floor (bare Flask, one INSERT)",
            "/sign",
            "floor.lua",
            secrets.token_hex(4),
            port=self.floor_port,
        )
        # Just measured, so it is also the floor just before signing.
        self.last_near["floor"] = (time.monotonic(), results["floor"])
        (before,) = self.sql("SELECT count(*) FROM signature")[0]
        results["sign"] = self.measure_app(
            "sign", "sign (form POST)", PAGE, "sign.lua", PAGE, secrets.token_hex(4), floor=True
        )
        (after,) = self.sql("SELECT count(*) FROM signature")[0]
        posts = results["sign"].requests - results["sign"].extra
        say(f"    {after - before} signatures stored (warm-up included) for {posts} timed posts")

        links = self.confirm_links("confirm-links.txt", results["sign"].rate)
        results["confirm"] = self.confirm("confirm", "confirm (button POST)", links)
        say("    " + self.flask("counts", "reconcile").strip() + "  (reconcile after the runs)")

    def confirm_links(
        self,
        name: str,
        sign_rate: float,
        base: str = "",
        cwd: Path = ROOT,
        env: dict[str, str] | None = None,
    ) -> Path:
        """Pending signatures and their confirm pages, enough for one run; the file's path.

        ``cwd`` and ``env`` choose the revision: its own bench/confirm_links.py, run
        with its ``campaign`` package, makes the links for its own app at ``base``.
        """
        links = self.workdir / name
        # Confirming costs about what signing does: three times the signing rate leaves
        # headroom without spending a minute preparing links that are never used.
        wanted = int(min(max(sign_rate * 3, 100) * self.args.seconds, 40_000))
        say(f"  preparing {wanted} pending signatures and their confirm pages")
        started = time.monotonic()
        script = cwd / "bench" / "confirm_links.py"
        argv = [str(VENV / "python"), str(script), base or self.base, SLUG, str(wanted), str(links)]
        subprocess.run(argv, cwd=cwd, env=env or self.env, check=True)
        say(f"    ready in {time.monotonic() - started:.1f} s")
        self.last_near.clear()  # measured before that work: no longer adjacent to the next run
        return links

    def confirm(self, key: str, label: str, links: Path, port: int = 0) -> Result:
        """The Confirm button's POST, each link once (a warm-up would use some of them up)."""
        args = self.args
        saved_warmup, args.warmup = args.warmup, 0
        try:
            result = self.measure_app(
                key, label, "/", "confirm.lua", str(links), str(args.threads), floor=True, port=port
            )
        finally:
            args.warmup = saved_warmup
        if result.extra:
            say(f"    WARNING: {result.extra} confirms were repeats (lines ran out)")
        return result

    def big_runs(self, results: dict[str, Result]) -> None:
        """The page and count.json again once ``--big`` confirmed signatures are added."""
        size = f"{self.args.big:,}"
        say(f"adding {size} confirmed signatures with INSERT ... SELECT generate_series")
        started = time.monotonic()
        self.add_confirmed(self.args.big)
        say(f"    done in {time.monotonic() - started:.1f} s; counters reconciled")
        self.count_star.append(self.count_star_ms())
        results["page_big"] = self.measure_app("page_big", f"petition page ({size})", PAGE)
        results["count_big"] = self.measure_app(
            "count_big", f"count.json ({size})", f"{PAGE}/count.json"
        )
        results["page_render_big"] = self.measure_app(
            "page_render_big", f"petition page, uncached ({size})", f"{PAGE}?uncached"
        )
        results["count_read_big"] = self.measure_app(
            "count_read_big", f"count.json, uncached ({size})", f"{PAGE}/count.json?uncached"
        )

    def ceiling(self, label: str) -> Result:
        server = self.gunicorn("ceiling", "ceiling_app:app")
        try:
            return self.measure(label, "/")
        finally:
            self.stop(server)

    def outbox(self, messages: int) -> tuple[int, float, int]:
        """Queue exactly ``messages`` and time one worker sending them all."""
        say(f"outbox: {messages} messages to a local SMTP server that discards them")
        (queued,) = self.sql("SELECT count(*) FROM outbox_message WHERE status = 'queued'")[0]
        if queued > messages:
            self.sql(
                "DELETE FROM outbox_message WHERE id IN (SELECT id FROM outbox_message "
                "WHERE status = 'queued' ORDER BY id DESC LIMIT %s)",
                (queued - messages,),
            )
        elif queued < messages:
            # Copies of a real rendered confirmation, each with its own Message-ID.
            self.sql(
                """
                INSERT INTO outbox_message (message_id, kind, signature_id, petition_id,
                    to_address, to_name, subject, body_text, body_html, status, attempts,
                    next_attempt_at, created_at)
                SELECT '<bench-' || g || '-' || m.message_id || '>', m.kind, m.signature_id,
                    m.petition_id, 'copy-' || g || '@example.org', m.to_name, m.subject,
                    m.body_text, m.body_html, 'queued', 0, now(), now()
                FROM generate_series(1, %s) AS g,
                    (SELECT * FROM outbox_message ORDER BY id LIMIT 1) AS m
                """,
                (messages - queued,),
            )
        port = free_port()
        sink = self.start("smtp", [str(VENV / "python"), "bench/smtp_sink.py", str(port)], self.env)
        deadline = time.monotonic() + 10
        while "ready" not in (self.workdir / "smtp.log").read_text():
            if time.monotonic() > deadline:
                raise SystemExit("the SMTP sink did not start")
            time.sleep(0.1)
        env = {**self.env, "MAIL_PORT": str(port)}
        started = time.monotonic()
        self.flask("outbox", "work", "--until-empty", env=env)
        elapsed = time.monotonic() - started
        (sent,) = self.sql("SELECT count(*) FROM outbox_message WHERE status = 'sent'")[0]
        self.stop(sink)
        received = int(re.findall(r"received (\d+)", (self.workdir / "smtp.log").read_text())[-1])
        say(f"  {sent} marked sent, {received} received by the server, in {elapsed:.1f} s")
        return sent, elapsed, received


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each measured run")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured run before each")
    parser.add_argument(
        "--ceiling-seconds", type=int, default=4, help="length of each adjacent ceiling run"
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    cpus = os.cpu_count() or 1
    parser.add_argument("--workers", type=int, default=2 * cpus, help="gunicorn processes")
    parser.add_argument("--gunicorn-threads", type=int, default=2, help="threads per process")
    parser.add_argument(
        "--big",
        type=int,
        help="signatures for the size run: 0 skips it (default 1,000,000, or 0 with --baseline)",
    )
    parser.add_argument("--messages", type=int, default=5000, help="messages for the outbox run")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="also serve git revision REV (HEAD~5, a commit) from a temporary worktree and "
        "compare it with the checkout, interleaved (uncached page and count.json, sign, "
        "confirm). Both share one database, so REV must have the same migrations head and "
        "migration files as the checkout; any other REV is refused",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        help="with --baseline: measure both apps this many times, each first in every other "
        "round, and compare the medians (default 3)",
    )
    args = parser.parse_args()
    if args.big is None:
        args.big = 0 if args.baseline else 1_000_000
    if args.rounds is not None and not args.baseline:
        parser.error("--rounds goes with --baseline")
    if args.rounds is None:
        args.rounds = 3
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    return args


@contextlib.contextmanager
def workdir(keep: bool) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="campaign-bench."))
    # pg-scratch runs the server as the postgres user, which must reach the folder.
    path.chmod(0o755)
    try:
        yield path
    finally:
        if keep:
            say(f"logs kept in {path}")
        else:
            subprocess.run(["rm", "-rf", "--", str(path)], check=False)


def main() -> None:
    args = parse_args()
    with workdir(args.keep) as path:
        bench = Bench(args, path)
        # SIGTERM (a CI timeout, say) unwinds like Ctrl-C, so everything is stopped.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        # The worktree goes last, once nothing it serves is running.
        with compare.checkout(args.baseline, path) as baseline:
            try:
                bench.run(baseline)
            finally:
                bench.stop_all()


if __name__ == "__main__":
    main()
