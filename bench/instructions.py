#!/usr/bin/env python3
"""Instructions per request, counted by valgrind's callgrind: exact where timings are not.

On this shared machine one wrk run against another of the same code can
differ by 40 %, so a small change in speed cannot be seen in timings. The
instructions a request executes hardly vary from run to run. This script
counts them for the app's own request handling, in process: Flask's test
client calls the app (no server, no network), on a fresh SQLite database in
a temporary folder, with the load benchmark's settings (production, mail to
a closed port so it only queues, rate limits off, ``SIGN_MIN_SECONDS=0``).

Each endpoint (the petition page and count.json, both uncached as the load
benchmark's query string makes them, the sign form's POST with a fresh
address each, the Confirm button's POST) runs in its own valgrind process
(bench/inprocess.py): the app starts, WARMUP requests warm it up, then N
more are made. A second process makes the same warm-up and no more; the
difference, divided by N, is the instructions per request, with start-up and
warm-up taken out. A bare Flask app (bench/ceiling_app.py) measured the same
way is the ceiling, and each endpoint is also given as a ratio to it (the
ceiling's instructions over the endpoint's), as the load benchmark gives its
rates.

    bench/instructions.py                      # the checkout
    bench/instructions.py --rev REV            # git revision REV instead
    bench/instructions.py --against REV        # REV and the checkout (or --rev), one table

Another revision is checked out in a temporary git worktree, removed however
the run ends, and run from it with its worktree first on ``PYTHONPATH``; the
run stops unless every process imported ``campaign`` from the tree it was
meant to. Each revision gets its own database, migrated by its own
migrations. SQLite only: on PostgreSQL the app runs mostly the same Python
(the sign's write is one statement there, with a CTE), and the database's
own work is in another process either way.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import compare

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
ENDPOINTS = {
    "ceiling": "ceiling (bare Flask)",
    "page": "petition page, uncached",
    "count": "count.json, uncached",
    "sign": "sign (form POST)",
    "confirm": "confirm (button POST)",
}
# Requests of each kind made natively first (and as many to warm up): a check that all work.
DRY_RUN = 3
IMPORTED = re.compile(r"^bench: campaign imported from (\S+)$", re.MULTILINE)


def say(text: str) -> None:
    print(text, flush=True)


@dataclass
class Revision:
    """One revision measured: its tree, environment and prepared database."""

    label: str
    tree: Path
    env: dict[str, str]
    folder: Path

    @property
    def template(self) -> Path:
        return self.folder / "prepared.sqlite"

    @property
    def links(self) -> Path:
        return self.folder / "confirm-links.txt"


def closed_port() -> int:
    """A local port nothing listens on (mail only queues; nothing sends it in a request)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def revision(label: str, tree: Path, folder: Path, args: argparse.Namespace) -> Revision:
    folder.mkdir()
    env = {
        **os.environ,
        "CAMPAIGN_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": f"sqlite:///{folder / 'prepared.sqlite'}",
        "BASE_URL": "http://127.0.0.1:5000",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(closed_port()),
        "RATELIMIT_ENABLED": "false",
        "SIGN_MIN_SECONDS": "0",
        # Each process rereads these every second (the call) or five (the blocklists): under
        # load once in hundreds of requests, under valgrind every few. Read in the warm-up.
        "SIGN_CALL_CACHE_SECONDS": "86400",
        "BLOCKLIST_CACHE_SECONDS": "86400",
        "EXPORT_DIR": str(folder / "exports"),
        "PYTHONPATH": os.pathsep.join([str(tree), str(ROOT / "bench")]),
        # The same hashes (and so the same dict and set layouts) in every run.
        "PYTHONHASHSEED": "0",
    }
    rev = Revision(label, tree, env, folder)
    links = max(args.warmup + args.requests, 2 * DRY_RUN)
    say(f"{label}: preparing the database and {links} confirm links")
    run_native(rev, "prepare", str(rev.links), str(links))
    # Natively once more, a few requests of each: every request works, and the bytecode of
    # everything the requests import is compiled before the counted runs.
    for endpoint in ENDPOINTS:
        database = fresh_copy(rev)
        dry = str(DRY_RUN)
        run_native(rev, "drive", endpoint, dry, dry, str(rev.links), database=database)
        database.unlink()
    return rev


def run_native(rev: Revision, *args: str, database: Path | None = None) -> None:
    env = dict(rev.env)
    if database:
        env["DATABASE_URL"] = f"sqlite:///{database}"
    ceiling = args[:2] == ("drive", "ceiling")
    result = subprocess.run(
        [str(PYTHON), str(ROOT / "bench" / "inprocess.py"), *args],
        cwd=rev.tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"inprocess.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    check_imported(rev, result.stdout, ceiling)


def check_imported(rev: Revision, stdout: str, ceiling: bool) -> None:
    found = IMPORTED.findall(stdout)
    if ceiling:
        return
    if not found or not all(Path(path).is_relative_to(rev.tree) for path in found):
        raise SystemExit(
            f"{rev.label}: campaign imported from {found or 'nowhere'}, not {rev.tree}"
        )


def fresh_copy(rev: Revision) -> Path:
    """A copy of the prepared database, for one run."""
    path = Path(tempfile.mkstemp(suffix=".sqlite", dir=rev.folder)[1])
    shutil.copyfile(rev.template, path)
    return path


class Counter:
    """Valgrind runs, several at a time; stops whatever still runs when the script ends."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.running: set[subprocess.Popen] = set()
        self.lock = threading.Lock()
        self.stopping = False

    def count(self, rev: Revision, endpoint: str, n: int) -> int:
        """Instructions of one process: start-up, the warm-up, then ``n`` requests."""
        database = fresh_copy(rev)
        out = database.with_suffix(f".{endpoint}.{n}.callgrind")
        argv = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            f"--log-file={out}.log",
            str(PYTHON),
            str(ROOT / "bench" / "inprocess.py"),
            "drive",
            endpoint,
            str(n),
            str(self.args.warmup),
            str(rev.links),
        ]
        # Bytecode was compiled natively; no run writes it, so none pays for it alone.
        env = {**rev.env, "DATABASE_URL": f"sqlite:///{database}", "PYTHONDONTWRITEBYTECODE": "1"}
        started = time.monotonic()
        printed = self.valgrind(argv, env, rev.tree, out, f"{rev.label} {endpoint} ({n})")
        check_imported(rev, printed, endpoint == "ceiling")
        check_database(rev, database, endpoint, self.args.warmup + n)
        match = re.search(r"^totals: (\d+)$", out.read_text(), re.MULTILINE)
        if not match:
            raise SystemExit(f"no totals in {out}")
        total = int(match.group(1))
        say(
            f"  {rev.label:<24} {endpoint:<8} {n:>4} requests after the warm-up: "
            f"{total:>15,} instructions ({time.monotonic() - started:.0f} s)"
        )
        if not self.args.keep:
            database.unlink()
        return total

    def valgrind(
        self, argv: list[str], env: dict[str, str], cwd: Path, out: Path, what: str
    ) -> str:
        """Run ``argv`` to the end (unless stopped); what it printed on standard output."""
        # Standard error has the request log, a JSON line a request, and any traceback.
        with open(f"{out}.stdout", "w+") as stdout, open(f"{out}.stderr", "w+") as stderr:
            with self.lock:
                if self.stopping:
                    raise SystemExit("stopped")
                process = subprocess.Popen(
                    argv, cwd=cwd, env=env, stdout=stdout, stderr=stderr, start_new_session=True
                )
                self.running.add(process)
            code = process.wait()
            with self.lock:
                self.running.discard(process)
            stdout.seek(0)
            stderr.seek(0)
            if code != 0:
                tail = "".join(stderr.readlines()[-20:])
                raise SystemExit(f"{what} failed ({code}):\n{stdout.read()}{tail}")
            return stdout.read()

    def stop_all(self) -> None:
        with self.lock:
            self.stopping = True
            running = list(self.running)
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def check_database(rev: Revision, database: Path, endpoint: str, made: int) -> None:
    """Signing stored a signature per post; confirming confirmed one per post."""
    query = {
        "sign": "SELECT count(*) FROM signature WHERE email LIKE 'bench-%'",
        "confirm": "SELECT count(*) FROM signature WHERE status = 'confirmed'",
    }.get(endpoint)
    if not query:
        return
    with contextlib.closing(sqlite3.connect(database)) as connection:
        (found,) = connection.execute(query).fetchone()
    if found != made:
        raise SystemExit(f"{rev.label} {endpoint}: {found} rows, not {made}, after {made} posts")


def per_request(
    counter: Counter, revisions: list[Revision], jobs: int
) -> dict[tuple[str, str], float]:
    """Instructions per request for each (revision label, endpoint); the ceiling once."""
    n = counter.args.requests
    tasks = [(revisions[-1], "ceiling")] + [
        (rev, endpoint) for rev in revisions for endpoint in ENDPOINTS if endpoint != "ceiling"
    ]
    pool = ThreadPoolExecutor(jobs)
    try:
        futures = {
            (rev.label, endpoint, k): pool.submit(counter.count, rev, endpoint, k)
            for rev, endpoint in tasks
            for k in (n, 0)
        }
        totals = {key: future.result() for key, future in futures.items()}
    finally:
        # However it ends (a failed run, Ctrl-C): no valgrind left running, nothing new started.
        counter.stop_all()
        pool.shutdown(cancel_futures=True)
    return {
        (label, endpoint): (totals[(label, endpoint, n)] - totals[(label, endpoint, 0)]) / n
        for label, endpoint, k in totals
        if k == n
    }


def table(
    counts: dict[tuple[str, str], float], revisions: list[Revision], args: argparse.Namespace
) -> Iterator[str]:
    labels = [rev.label for rev in revisions]
    ceiling = next(value for (_, endpoint), value in counts.items() if endpoint == "ceiling")
    yield (
        f"Instructions per request (callgrind, in process through Flask's test client, SQLite): "
        f"{args.requests} requests after {args.warmup} warm-up requests, less a run of the "
        "warm-up alone. Ratio: the ceiling's instructions over the endpoint's."
    )
    yield ""
    if len(labels) == 1:
        yield f"| endpoint | {labels[0]} | ratio to ceiling |"
        yield "|---|---:|---:|"
    else:
        both = " → ".join(labels)
        yield f"| endpoint | {labels[0]} | {labels[1]} | change | ratio to ceiling, {both} |"
        yield "|---|---:|---:|---:|---:|"
    yield f"| {ENDPOINTS['ceiling']} | {ceiling:,.0f} |" + (" | | |" if len(labels) > 1 else " |")
    for endpoint, name in ENDPOINTS.items():
        if endpoint == "ceiling":
            continue
        values = [counts[(label, endpoint)] for label in labels]
        cells = [f"{value:,.0f}" for value in values]
        ratios = [f"{ceiling / value:.4f}" for value in values]
        if len(values) == 2:
            cells += [f"{values[1] / values[0] - 1:+.2%}", " → ".join(ratios)]
        else:
            cells += ratios
        yield f"| {name} | " + " | ".join(cells) + " |"


def label_of(rev: str | None) -> str:
    if rev is None:
        dirty = compare.git("status", "--porcelain", "--untracked-files=no")
        return f"checkout {compare.git('rev-parse', '--short', 'HEAD')}" + ("+" if dirty else "")
    return compare.git("rev-parse", "--short", f"{rev}^{{commit}}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", help="measure git revision REV instead of the checkout")
    parser.add_argument("--against", metavar="REV", help="also measure REV: before and after")
    parser.add_argument("--requests", type=int, default=200, help="counted requests (N)")
    parser.add_argument("--warmup", type=int, default=100, help="warm-up requests before them")
    cpus = os.cpu_count() or 1
    parser.add_argument("--jobs", type=int, default=cpus, help="valgrind processes at a time")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    if args.requests < 1 or args.warmup < 1:
        parser.error("--requests and --warmup must be at least 1")
    if not shutil.which("valgrind"):
        parser.error("valgrind is not installed (apt-get install valgrind)")
    if not PYTHON.exists():
        parser.error(f"{PYTHON} is missing: run bin/setup first")
    return args


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = Path(tempfile.mkdtemp(prefix="campaign-instructions."))
    counter = Counter(args)
    try:
        # The worktrees go last, once nothing runs from them (per_request stops every run).
        with contextlib.ExitStack() as stack:
            before = stack.enter_context(
                compare.checkout(args.against, workdir, "against", same_schema=False)
            )
            after = stack.enter_context(
                compare.checkout(args.rev, workdir, "rev", same_schema=False)
            )
            labels = (
                [label_of(args.against), label_of(args.rev)] if before else [label_of(args.rev)]
            )
            if len(labels) == 2 and labels[0] == labels[1]:
                labels[1] += " (again)"
            trees = [before, after or ROOT] if before else [after or ROOT]
            revisions = [
                revision(label, tree, workdir / f"run-{number}", args)
                for number, (label, tree) in enumerate(zip(labels, trees, strict=True))
            ]
            say(f"counting, {args.jobs} valgrind processes at a time (each ~50x slower)")
            counts = per_request(counter, revisions, args.jobs)
        say("")
        for line in table(counts, revisions, args):
            say(line)
    finally:
        if args.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
