"""Delivery package benchmark (issue 16): the tagged, archival PDFs at full size.

Run with ``.venv/bin/python bench/delivery.py`` (``--runs one`` or
``--runs all`` for one of the two). It measures, each in a fresh SQLite
database seeded with ``flask seed-signatures`` (names drawn from every
script, so every font is loaded and every shaping path taken):

* **one**: one government's package of 100,000 signatures (all signed from
  Switzerland): ``flask export delivery SLUG --country CH``. Target: under
  60 s and under 500 MB resident.
* **all**: the all-countries package for 1,000,000 signatures (42
  countries): ``flask export delivery SLUG``. Target: under 10 minutes.

Each export runs as a command in a child process of its own, whose CPU time
and peak resident memory are read from ``RUSAGE_CHILDREN`` (see
``bench/export.py``): the figures are the export's alone. Wall time depends
on what else the machine runs; CPU time much less.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import zipfile

from export import SLUG, flask, measured, report

RUNS = {
    "one": (100_000, ("--country", "CH")),
    "all": (1_000_000, ()),
}


def run(name: str) -> None:
    size, where = RUNS[name]
    with tempfile.TemporaryDirectory(prefix="campaign-bench-") as work:
        env = {
            **os.environ,
            "CAMPAIGN_ENV": "development",
            "DATABASE_URL": f"sqlite:///{work}/bench.sqlite",
            "EXPORT_DIR": f"{work}/exports",
        }
        for args in (["db", "upgrade"], ["seed-demo"]):
            flask(env, *args)
        seed = ("seed-signatures", SLUG, str(size), "--seed", "1", *where)
        report(size, "seed-signatures", *measured(env, *seed), size)
        out = f"{work}/deliveries"
        label = "delivery, CH only" if where else "delivery, all countries"
        seconds, cpu, peak = measured(env, "export", "delivery", SLUG, *where, "--out", out)
        report(size, label, seconds, cpu, peak, size)
        (path,) = (os.path.join(out, f) for f in os.listdir(out) if f.endswith(".zip"))
        with zipfile.ZipFile(path) as archive:
            pdfs = [i for i in archive.infolist() if i.filename.endswith(".pdf")]
            biggest = max(pdfs, key=lambda i: i.file_size)
            total = sum(i.file_size for i in pdfs)
        print(
            f"{size:>10,}  {len(pdfs)} PDFs, {total / 1e6:,.0f} MB in all;"
            f" largest {biggest.filename} {biggest.file_size / 1e6:,.0f} MB",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", default="one,all", help="one, all, or both (one,all)")
    names = parser.parse_args().runs.split(",")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"{'signatures':>10}  {'what':<26} {'wall s':>7} {'CPU s':>7} {'rows/s':>9} {'peak MB':>8}"
    )
    for name in names:
        run(name)


if __name__ == "__main__":
    main()
