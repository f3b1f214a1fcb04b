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
rates (bench/callgrind.py runs and checks the valgrind processes).

With one hash seed a count hardly moves from run to run, but it does move
with the seed: string hashes lay out dicts and the interpreter's method
cache, and code moved between modules moves those layouts too. So each
endpoint is counted under ``--seeds`` seeds (``PYTHONHASHSEED`` 0, 1, ...; 3
by default), and the table gives the median and the range.

    bench/instructions.py                      # the checkout
    bench/instructions.py --rev REV            # git revision REV instead
    bench/instructions.py --against REV        # REV and the checkout (or --rev), one table

Another revision is checked out in a temporary git worktree, removed however
the run ends, and run from it with its worktree first on ``PYTHONPATH``; the
run stops unless every process imported ``campaign`` from the tree it was
meant to. Each revision gets its own database, migrated by its own
migrations. SQLite only: SQLite works inside the app's process, so its work
is counted too. On PostgreSQL the app runs mostly the same Python (the
sign's write is one statement there, with a CTE), and the server's work
would be in another process, which this would not count.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import compare
from callgrind import PYTHON, Counter, Revision, check_imported, fresh_copy, say

ROOT = Path(__file__).resolve().parent.parent
ENDPOINTS = {
    "ceiling": "ceiling (bare Flask)",
    "page": "petition page, uncached",
    "count": "count.json, uncached",
    "sign": "sign (form POST)",
    "confirm": "confirm (button POST)",
}
# Requests of each kind made natively first (and as many to warm up): a check that all work.
DRY_RUN = 3


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


def per_request(
    counter: Counter, revisions: list[Revision], jobs: int
) -> dict[tuple[str, str], list[float]]:
    """Instructions per request for each (revision label, endpoint), one per hash seed.

    The ceiling is counted once, with the last revision's environment (it imports no
    ``campaign``).
    """
    n, seeds = counter.args.requests, range(counter.args.seeds)
    tasks = [(revisions[-1], "ceiling")] + [
        (rev, endpoint) for rev in revisions for endpoint in ENDPOINTS if endpoint != "ceiling"
    ]
    pool = ThreadPoolExecutor(jobs)
    try:
        futures = {
            (rev.label, endpoint, seed, k): pool.submit(counter.count, rev, endpoint, k, seed)
            for seed in seeds
            for rev, endpoint in tasks
            for k in (n, 0)
        }
        totals = {key: future.result() for key, future in futures.items()}
    finally:
        # However it ends (a failed run, Ctrl-C): no valgrind left running, nothing new started.
        counter.stop_all()
        pool.shutdown(cancel_futures=True)
    return {
        (rev.label, endpoint): [
            (totals[(rev.label, endpoint, seed, n)] - totals[(rev.label, endpoint, seed, 0)]) / n
            for seed in seeds
        ]
        for rev, endpoint in tasks
    }


def table(
    counts: dict[tuple[str, str], list[float]], labels: list[str], args: argparse.Namespace
) -> Iterator[str]:
    """Per endpoint, each revision's median over the hash seeds, its range, and the change."""
    yield (
        "Instructions per request (callgrind, in process through Flask's test client, SQLite): "
        f"{args.requests} requests after {args.warmup} warm-up requests, less a run of the "
        f"warm-up alone; the median over {args.seeds} hash seeds (PYTHONHASHSEED 0 to "
        f"{args.seeds - 1}), and the lowest to the highest. Ratio: the ceiling's median over "
        "the endpoint's."
    )
    yield ""
    columns = [f"{label}: median (lowest to highest)" for label in labels]
    if len(labels) == 2:
        columns += ["change of medians", f"ratio to ceiling, {' → '.join(labels)}"]
    else:
        columns += ["ratio to ceiling"]
    yield "| endpoint | " + " | ".join(columns) + " |"
    yield "|---|" + "---:|" * len(columns)
    (ceiling,) = (values for (_, endpoint), values in counts.items() if endpoint == "ceiling")
    top = statistics.median(ceiling)
    yield f"| {ENDPOINTS['ceiling']} | {spread(ceiling)} |" + " |" * (len(columns) - 1)
    for endpoint, name in list(ENDPOINTS.items())[1:]:
        values = [counts[(label, endpoint)] for label in labels]
        medians = [statistics.median(v) for v in values]
        cells = [spread(v) for v in values]
        if len(labels) == 2:
            cells.append(f"{medians[1] / medians[0] - 1:+.2%}")
        cells.append(" → ".join(f"{top / median:.4f}" for median in medians))
        yield f"| {name} | " + " | ".join(cells) + " |"
    widest = max(max(v) / min(v) - 1 for v in counts.values())
    yield ""
    yield (
        f"Hash seeds: the seed alone moved one endpoint's count by up to {widest:.1%} "
        "(highest over lowest, one revision): dicts and the method cache are laid out by "
        "the hashes. A change of the medians within that says little."
    )


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f} ({min(values):,.0f} to {max(values):,.0f})"


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
    parser.add_argument(
        "--seeds",
        type=int,
        default=3,
        help="hash seeds (PYTHONHASHSEED 0, 1, ...) to count each endpoint under: a count "
        "hardly moves between runs with one seed, but by a few per cent between seeds",
    )
    cpus = os.cpu_count() or 1
    parser.add_argument("--jobs", type=int, default=cpus, help="valgrind processes at a time")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    if min(args.requests, args.warmup, args.seeds) < 1:
        parser.error("--requests, --warmup and --seeds must be at least 1")
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
        for line in table(counts, labels, args):
            say(line)
    finally:
        if args.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
