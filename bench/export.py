"""Export benchmark: press CSV and delivery package at 100,000 and 1,000,000 signatures.

Run with ``.venv/bin/python bench/export.py`` (add ``--sizes 100000`` for a
quick run). For each size it seeds a temporary SQLite database with
``flask seed-signatures``, then times each export in a child process of its
own and reads that child's peak resident memory (``ru_maxrss`` of
``RUSAGE_CHILDREN``), so the figures are the export's alone.

Targets (issue 4): press CSV of 1,000,000 rows in under 10 s with under
150 MB resident; delivery package of 100,000 signatures in under 60 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SLUG = "call-to-governments"


def flask(env: dict[str, str], *args: str) -> tuple[float, int]:
    """Run one flask command in a child; return (seconds, peak RSS of that child in MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss is the largest child so far: a child smaller than an earlier one is hidden.
    return elapsed, peak // 1024 if peak > before else -1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'signatures':>10}  {'export':<22} {'seconds':>8} {'rows/s':>9} {'peak MB':>8}")
    # Smallest children first would hide larger ones in ru_maxrss: measure in a fresh
    # grandchild per export instead, through this same script.
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="campaign-bench-") as work:
            env = {
                **os.environ,
                "CAMPAIGN_ENV": "development",
                "DATABASE_URL": f"sqlite:///{work}/bench.sqlite",
                "EXPORT_DIR": f"{work}/exports",
            }
            for args in (["db", "upgrade"], ["seed-demo"]):
                flask(env, *args)
            seconds, _peak = flask(env, "seed-signatures", SLUG, str(size), "--seed", "1")
            report(size, "seed-signatures", seconds, size, None)
            out = f"{work}/press.csv"
            seconds, peak = measured(env, "export", "press", SLUG, "--out", out)
            public = sum(1 for _ in open(out, encoding="utf-8")) - 1
            report(size, f"press CSV ({public} rows)", seconds, public, peak)
            if size <= 100_000:
                seconds, peak = measured(
                    env, "export", "delivery", SLUG, "--out", f"{work}/deliveries"
                )
                report(size, "delivery, all countries", seconds, size, peak)


def measured(env: dict[str, str], *args: str) -> tuple[float, int]:
    """Time a flask command in a fresh child that reports its own peak memory."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    return elapsed, int(result.stdout.strip().splitlines()[-1])


def child(args: list[str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)


def report(size: int, label: str, seconds: float, rows: int, peak: int | None) -> None:
    peak_text = "-" if peak is None else str(peak)
    rate = rows / seconds if seconds else 0
    print(f"{size:>10,}  {label:<22} {seconds:>8.1f} {rate:>9,.0f} {peak_text:>8}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
    else:
        main()
