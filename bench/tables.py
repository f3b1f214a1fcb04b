"""The tables bench/load.py prints at the end of a run, as lines of Markdown.

Only formatting: every figure comes from the runs the benchmark made (its
``Bench``). Each ratio to an adjacent reference (the ceiling, or the floor for
signing and confirming) divides by the mean of the reference's run just
before and just after, as :func:`adjacent_ratio` does.
"""

from __future__ import annotations

import contextlib
import os
import platform
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from load import Bench, Result

# Targets from issue 7, as ratios to the ceiling measured in the same run.
TARGETS = {"page": 0.50, "count": 0.70, "sign": 0.15, "confirm": 0.15}
P99_LIMIT_MS = {"sign": 250.0, "confirm": 250.0}
OUTBOX_TARGET = 300.0


def report(
    bench: Bench, results: dict[str, Result], outbox: tuple[int, float, int]
) -> Iterator[str]:
    yield ""
    yield machine()
    start, end = bench.load_before[0], os.getloadavg()[0]
    busy = start > (os.cpu_count() or 1) / 2
    yield (
        f"load average (1 min): {start:.1f} before the runs"
        + (" (something else was running: the figures are low)" if busy else "")
        + f", {end:.1f} at the end (the benchmark's own load)"
    )
    yield (
        f"gunicorn: {bench.args.workers} gthread workers x {bench.args.gunicorn_threads} "
        f"threads; wrk -t{bench.args.threads} -c{bench.args.connections}, "
        f"{bench.args.seconds} s per run"
    )
    yield ""
    yield from main_table(bench, results)
    yield ""
    yield from floor_table(bench, results)
    sent, elapsed, received = outbox
    rate = sent / elapsed if elapsed else 0.0
    verdict = "met" if rate >= OUTBOX_TARGET and received == sent else "MISSED"
    yield ""
    yield (
        f"outbox: {sent} messages in {elapsed:.1f} s = {rate:.0f} messages/s "
        f"({received} received; target ≥ {OUTBOX_TARGET:.0f}/s: {verdict})"
    )
    yield ""
    yield from uncached_table(bench, results)


def main_table(bench: Bench, results: dict[str, Result]) -> Iterator[str]:
    # The strict figure: the better of two full runs, minutes apart, makes every
    # ratio smaller, never larger. The targets are judged on the adjacent ceiling.
    ceiling = max(results["ceiling"].rate, results["ceiling_after"].rate)
    yield (
        "| endpoint | req/s | p50 ms | p99 ms | errors | ratio, best ceiling "
        "| adjacent ceiling req/s | ratio, adjacent | target (on the adjacent ratio) |"
    )
    yield "|---|---:|---:|---:|---:|---:|---:|---:|---|"
    order = ["ceiling", "ceiling_after"] + [k for k in results if not k.startswith("ceiling")]
    for key in order:
        result = results[key]
        near, adjacent = "", ""
        if key in bench.adjacent:
            near, ratio = adjacent_ratio(result, bench.adjacent[key])
            adjacent = f"{ratio:.2f}"
        target = ""
        if key in TARGETS:
            ok = bool(adjacent) and float(adjacent) >= TARGETS[key]
            if key in P99_LIMIT_MS:
                ok = ok and result.p99_ms < P99_LIMIT_MS[key] and result.errors == 0
            limit = f", p99 < {P99_LIMIT_MS[key]:.0f} ms, 0 errors" if key in P99_LIMIT_MS else ""
            target = f"≥ {TARGETS[key]:.2f}{limit}: {'met' if ok else 'MISSED'}"
        yield (
            f"| {result.label} | {result.rate:.0f} | {result.p50_ms:.1f} | "
            f"{result.p99_ms:.1f} | {result.errors} | {result.rate / ceiling:.2f} | {near} "
            f"| {adjacent} | {target} |"
        )


def floor_table(bench: Bench, results: dict[str, Result]) -> Iterator[str]:
    yield (
        "Signing and confirming against the floor (bare Flask, one INSERT, the same "
        "PostgreSQL), measured just before and just after each:"
    )
    yield ""
    yield (
        "| endpoint | req/s | adjacent floor req/s | ratio, adjacent floor "
        "| ratio, adjacent ceiling |"
    )
    yield "|---|---:|---:|---:|---:|"
    for key in ("sign", "confirm"):
        result = results[key]
        near_floor, to_floor = adjacent_ratio(result, bench.adjacent_floor[key])
        _, to_ceiling = adjacent_ratio(result, bench.adjacent[key])
        yield (
            f"| {result.label} | {result.rate:.0f} | {near_floor} | {to_floor:.2f} "
            f"| {to_ceiling:.2f} |"
        )


def uncached_table(bench: Bench, results: dict[str, Result]) -> Iterator[str]:
    yield (
        "Every request rendered or read (uncached)"
        + (", at both sizes:" if bench.args.big else ":")
    )
    yield ""
    yield "| signatures | page req/s | page p50 / p99 ms | count req/s | count p50 / p99 ms |"
    yield "|---|---:|---|---:|---|"
    sizes = [("10", results["page_render"], results["count_read"])]
    if bench.args.big:
        sizes.append((f"{bench.args.big:,}", results["page_render_big"], results["count_read_big"]))
    for size, page, count in sizes:
        yield (
            f"| {size} | {page.rate:.0f} | {page.p50_ms:.1f} / {page.p99_ms:.1f} | "
            f"{count.rate:.0f} | {count.p50_ms:.1f} / {count.p99_ms:.1f} |"
        )
    yield ""
    text = f"{bench.count_star[0]:.1f} ms at 10 signatures"
    if bench.args.big:
        text += f" and {bench.count_star[1]:.1f} ms at {bench.args.big:,}"
    yield (
        f"For comparison, one COUNT(*) of the counted signatures takes {text} "
        "(once per request without the maintained counters)."
    )


def adjacent_ratio(result: Result, adjacent: tuple[Result, Result]) -> tuple[str, float]:
    """The reference runs just before and after, as "before / after" req/s, and the ratio.

    The ratio divides by the mean of the two: a reference measured at the same moment.
    """
    before, after = adjacent
    return f"{before.rate:.0f} / {after.rate:.0f}", result.rate / ((before.rate + after.rate) / 2)


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError), open("/proc/meminfo") as f:
        kib = int(f.readline().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB memory"
    return (
        f"machine: {os.cpu_count()} CPUs (nproc), {model}{memory}; "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )
