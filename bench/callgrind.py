"""Valgrind runs for bench/instructions.py: several at a time, each checked.

Each run is bench/inprocess.py under ``valgrind --tool=callgrind``, on its own
copy of the revision's prepared database, with one hash seed; its total is
the instructions the whole process executed. A run counts only if it
imported ``campaign`` from the revision's tree and, for signing and
confirming, stored or confirmed one signature per post. :meth:`Counter.stop_all`
kills whatever still runs (each run is its own process group).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
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

    def count(self, rev: Revision, endpoint: str, n: int, seed: int) -> int:
        """Instructions of one process: start-up, the warm-up, then ``n`` requests."""
        database = fresh_copy(rev)
        out = database.with_suffix(f".{endpoint}.{n}.seed{seed}.callgrind")
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
        env = {
            **rev.env,
            "DATABASE_URL": f"sqlite:///{database}",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": str(seed),
        }
        started = time.monotonic()
        what = f"{rev.label} {endpoint} ({n}, hash seed {seed})"
        printed = self.valgrind(argv, env, rev.tree, out, what)
        check_imported(rev, printed, endpoint == "ceiling")
        check_database(rev, database, endpoint, self.args.warmup + n)
        match = re.search(r"^totals: (\d+)$", out.read_text(), re.MULTILINE)
        if not match:
            raise SystemExit(f"no totals in {out}")
        total = int(match.group(1))
        say(
            f"  {rev.label:<20} {endpoint:<8} seed {seed}, {n:>4} requests after the warm-up: "
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
