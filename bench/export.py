"""Export benchmark: press CSV and delivery package at 100,000 and 1,000,000 signatures.

Run with ``.venv/bin/python bench/export.py`` (add ``--sizes 100000`` for a
quick run). For each size it seeds a temporary SQLite database with
``flask seed-signatures`` (every signer public, so the press CSV has as
many rows as there are signatures: the worst case), then runs each export
as a command in a child process of its own and reads that child's CPU time
and peak resident memory (``RUSAGE_CHILDREN``), so the figures are the
export's alone. Wall time and CPU time are both shown: on a shared machine
the first depends on the neighbours. It also times the public list's pages
(first, a deep page, a search, a country) at that size.

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
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"{'signatures':>10}  {'what':<26} {'wall s':>7} {'CPU s':>7} {'rows/s':>9} {'peak MB':>8}"
    )
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
            seed = ("seed-signatures", SLUG, str(size), "--seed", "1", "--public-share", "1")
            report(size, "seed-signatures", *measured(env, *seed), size)
            out = f"{work}/press.csv"
            seconds, cpu, peak = measured(env, "export", "press", SLUG, "--out", out)
            with open(out, encoding="utf-8") as f:
                public = sum(1 for _ in f) - 1
            report(size, f"press CSV ({public:,} rows)", seconds, cpu, peak, public)
            web = subprocess.run(
                [sys.executable, __file__, "--web-press"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            for line in web.stdout.splitlines():
                print(f"{size:>10,}  {line}", flush=True)
            if size <= 100_000:
                delivery = ("export", "delivery", SLUG, "--out", f"{work}/deliveries")
                report(size, "delivery, all countries", *measured(env, *delivery), size)
                delivery = (*delivery[:3], "--country", "CH", *delivery[3:])
                report(size, "delivery, Switzerland", *measured(env, *delivery), None)
            pages = subprocess.run(
                [sys.executable, __file__, "--list-pages"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            for line in pages.stdout.splitlines():
                print(f"{size:>10,}  {line}")


def measured(env: dict[str, str], *args: str) -> tuple[float, float, int]:
    """Run a flask command in a fresh child; return (wall s, CPU s, peak resident MB)."""
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
    cpu, peak = result.stdout.strip().splitlines()[-1].split()
    return elapsed, float(cpu), int(peak)


def child(args: list[str]) -> None:
    """Run the command as this process's only child, so RUSAGE_CHILDREN is its alone."""
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{usage.ru_utime + usage.ru_stime:.2f} {usage.ru_maxrss // 1024}")


def list_pages() -> None:
    """Time the public list's pages through the app (run in the seeded environment)."""
    from campaign import create_app

    app = create_app()
    client = app.test_client()
    base = f"/petitions/{SLUG}/signatories"
    client.get(base)  # templates compiled, connections open
    first = client.get(base).get_data(as_text=True)
    cursor = first.split("after=", 1)[1].split('"', 1)[0].split("&", 1)[0]
    for label, url in (
        ("list: first page", base),
        ("list: next page", f"{base}?after={cursor}"),
        ("list: search a name", f"{base}?q=m%C3%BCller"),
        ("list: one country", f"{base}?country=NP"),
    ):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        print(f"{label:<22} {elapsed:>7.0f} ms", flush=True)


def web_press() -> None:
    """The press CSV through the web app: written to the database while streamed, then
    served from the stored snapshot; wall time of each and this process's peak RSS."""
    from campaign import create_app
    from campaign.exports import snapshots

    app = create_app()
    client = app.test_client()
    url = f"/petitions/{SLUG}/signatories.csv"
    for label in ("web CSV: write + stream", "web CSV: from database"):
        started = time.perf_counter()
        cpu = time.process_time()
        response = client.get(url, buffered=False)
        size = sum(len(chunk) for chunk in response.response)
        response.close()
        snapshots.wait_for_jobs(600)
        elapsed, used = time.perf_counter() - started, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        mb = size / 1e6
        print(f"{label:<26} {elapsed:>7.2f} {used:>7.2f} {mb:>7.0f}MB {peak:>8}", flush=True)


def report(size: int, label: str, seconds: float, cpu: float, peak: int, rows: int | None) -> None:
    rate = f"{rows / seconds:,.0f}" if rows else "-"
    print(f"{size:>10,}  {label:<26} {seconds:>7.1f} {cpu:>7.1f} {rate:>9} {peak:>8}", flush=True)


if __name__ == "__main__":
    # This checkout's app, not whichever one the environment has installed (a worktree's
    # bench would otherwise time the main checkout's code).
    sys.path.insert(0, ROOT)
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "--list-pages":
        list_pages()
    elif len(sys.argv) > 1 and sys.argv[1] == "--web-press":
        web_press()
    else:
        main()
