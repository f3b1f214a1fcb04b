"""Before and after in one run: ``bench/load --baseline REV``.

A change such as a refactor must not slow anything beyond this machine's
noise, and on a shared machine only figures measured moments apart compare.
With ``--baseline REV`` the benchmark checks REV out in a temporary git
worktree (removed at the end, however the run ends) and serves that
revision's app as a second gunicorn beside the checkout's: the same
virtualenv, database, settings and gunicorn.conf.py (the checkout's). It then
measures the uncached page, the uncached count.json, signing and confirming
for both apps, interleaved, in ``--rounds`` rounds (3 by default): for each
endpoint one app, then the other, each between runs of the adjacent ceiling
(and of the floor, for signing and confirming), the baseline first in the
first round, the current app in the second, and so on. One round proves
little on a shared machine (the same code against itself has swung by 40 %),
so the comparison table gives, per endpoint, each app's median ratio over
the rounds with its range, the change of the medians, and the range of the
changes within a round; the adjacent ceilings' own spread is printed as the
noise a change has to exceed.

Both apps share one database, so REV must have the same migrations: the same
head (what ``flask db heads`` prints) and the same files in
migrations/versions. Anything else is refused before anything starts.

The virtualenv has the checkout installed in editable mode. Its import hook
comes after the ordinary path search, so the baseline's server runs with its
worktree as working directory and first on ``PYTHONPATH``; bench/served.py
logs where each worker imported ``campaign`` from, and the run stops unless
every worker names the worktree. Confirm links are single-use: each app gets
its own set in each round, made by its own revision's bench/confirm_links.py
with its own ``campaign`` package (a refactor may move what that script
imports), sized from that round's signing rate as the single run's are.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import statistics
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tables import adjacent_ratio

if TYPE_CHECKING:
    from load import Bench, Result

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"


def say(text: str) -> None:
    print(text, flush=True)


def git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed:\n{result.stderr.strip()}")
    return result.stdout.strip()


@contextlib.contextmanager
def checkout(
    rev: str | None, workdir: Path, name: str = "baseline", same_schema: bool = True
) -> Iterator[Path | None]:
    """REV in a temporary git worktree ``workdir/name``, checked and ready to serve.

    ``same_schema``: refuse REV unless its migrations are the checkout's (the
    two apps are to share one database).
    """
    if not rev:
        yield None
        return
    commit = git("rev-parse", "--verify", "--end-of-options", f"{rev}^{{commit}}")
    path = workdir / name
    say(f"{name}: {rev} ({commit[:12]}) checked out in a temporary git worktree")
    git("worktree", "add", "--detach", "--quiet", str(path), commit)
    try:
        if same_schema:
            same_migrations(path / "migrations", ROOT / "migrations", rev)
        # Compiled catalogues are built, not committed (bin/setup does the checkout's).
        pybabel = [str(VENV / "pybabel"), "-q", "compile", "-d", str(path / "translations")]
        subprocess.run(pybabel, check=True)
        yield path
    finally:
        # Only this worktree: `git worktree prune` would touch every other one too.
        removed = subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=ROOT)
        if removed.returncode != 0:
            say(f"WARNING: the worktree {path} is left; remove it with git worktree remove")


def same_migrations(baseline: Path, current: Path, rev: str) -> None:
    """Refuse a baseline whose schema could differ from the one the database was migrated to."""
    from alembic.script import ScriptDirectory

    heads = [sorted(ScriptDirectory(str(folder)).get_heads()) for folder in (baseline, current)]
    files = [
        {path.name: path.read_bytes() for path in (folder / "versions").glob("*.py")}
        for folder in (baseline, current)
    ]
    differing = sorted(
        name
        for name in files[0].keys() | files[1].keys()
        if files[0].get(name) != files[1].get(name)
    )
    if heads[0] != heads[1] or differing:
        raise SystemExit(
            f"--baseline {rev}: its migrations differ from the checkout's "
            f"(heads {', '.join(heads[0]) or 'none'} against {', '.join(heads[1]) or 'none'}; "
            f"files that differ in migrations/versions: {', '.join(differing) or 'none'}). "
            "Both apps are served from one database, so the baseline must have the same "
            "migrations head and the same migration files."
        )


@dataclass
class App:
    """One of the two apps compared: where it is served and with what."""

    name: str
    port: int
    cwd: Path
    env: dict[str, str]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def baseline_app(bench: Bench, tree: Path, port: int) -> App:
    """The baseline's environment: its worktree first on the path, its own BASE_URL."""
    env = {
        **bench.env,
        "BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONPATH": os.pathsep.join([str(tree), str(ROOT / "bench")]),
    }
    probe = subprocess.run(
        [str(VENV / "python"), "-c", "import campaign; print(campaign.__file__)"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(probe).is_relative_to(tree):
        raise SystemExit(f"the baseline's environment imports campaign from {probe}, not {tree}")
    return App("baseline", port, tree, env)


def check_served(bench: Bench, log: Path, tree: Path, timeout: float = 30) -> None:
    """Wait until every worker has said where it imported from; all must be under ``tree``."""
    pattern = re.compile(r"^bench: campaign imported from (\S+); wsgi from (\S+)$", re.MULTILINE)
    deadline = time.monotonic() + timeout
    while True:
        found = pattern.findall(log.read_text(errors="replace"))
        if len(found) >= bench.args.workers:
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"{len(found)} of {bench.args.workers} workers started; see {log}")
        time.sleep(0.2)
    stray = {path for pair in found for path in pair if not Path(path).is_relative_to(tree)}
    if stray:
        raise SystemExit(f"{log.stem} imported {', '.join(sorted(stray))}, not from {tree}")
    say(f"  {log.stem}: all {len(found)} workers imported campaign and wsgi from {tree}")


Results = dict[str, dict[str, list["Result"]]]


def run(bench: Bench, tree: Path, page: str, port: int) -> Results:
    """Both apps measured in rounds; results by endpoint, then by app, one per round."""
    rounds = bench.args.rounds
    say(f"before and after: the baseline and the current app, {rounds} rounds")
    baseline = baseline_app(bench, tree, port)
    current = App("current", bench.port, ROOT, bench.env)
    server = bench.gunicorn("baseline", "served:app", port, baseline.env, tree)
    check_served(bench, bench.workdir / "baseline.log", tree)
    results: Results = {key: {"baseline": [], "current": []} for key in ENDPOINTS}
    for number in range(rounds):
        # Alternating, so that neither app always runs first (on warmer caches, say).
        apps = (baseline, current) if number % 2 == 0 else (current, baseline)
        say(f"  round {number + 1} of {rounds}: the {apps[0].name} app first")
        one_round(bench, apps, page, number, results)
    bench.stop(server)
    return results


def one_round(
    bench: Bench, apps: tuple[App, App], page: str, number: int, results: Results
) -> None:
    """Each endpoint for both apps in the order given, each run between its adjacent ones."""
    for key, path in (
        ("page_render", f"{page}?uncached"),
        ("count_read", f"{page}/count.json?uncached"),
    ):
        for app in apps:
            label = f"{ENDPOINTS[key]} [{app.name} {number + 1}]"
            result = bench.measure_app(f"{app.name}:{key}:{number}", label, path, port=app.port)
            results[key][app.name].append(result)
    for app in apps:
        label = f"{ENDPOINTS['sign']} [{app.name} {number + 1}]"
        script = ("sign.lua", page, secrets.token_hex(4))
        result = bench.measure_app(
            f"{app.name}:sign:{number}", label, page, *script, floor=True, port=app.port
        )
        results["sign"][app.name].append(result)
    # Links are single-use: a fresh set per app and round, both made before either confirm
    # run so that the two runs follow each other.
    links = {
        app.name: links_for(bench, app, results["sign"][app.name][-1].rate, number) for app in apps
    }
    for app in apps:
        label = f"{ENDPOINTS['confirm']} [{app.name} {number + 1}]"
        key = f"{app.name}:confirm:{number}"
        results["confirm"][app.name].append(bench.confirm(key, label, links[app.name], app.port))
        links[app.name].unlink()


def links_for(bench: Bench, app: App, sign_rate: float, number: int) -> Path:
    """A fresh set of confirm links for ``app``, by its own revision's script if it has one."""
    own_script = (app.cwd / "bench" / "confirm_links.py").exists()
    say(f"  confirm links for the {app.name} app")
    return bench.confirm_links(
        f"confirm-links-{app.name}-{number}.txt",
        sign_rate,
        base=app.base,
        cwd=app.cwd if own_script else ROOT,
        env=app.env,
    )


ENDPOINTS = {
    "page_render": "petition page, uncached",
    "count_read": "count.json, uncached",
    "sign": "sign (form POST)",
    "confirm": "confirm (button POST)",
}


def table(bench: Bench, results: Results, rev: str) -> Iterator[str]:
    """Per endpoint, both apps' ratios over the rounds, and the change of the medians."""
    rounds = len(results["sign"]["baseline"])
    yield (
        f"Before and after in this run: baseline {rev} against the checkout, {rounds} rounds, "
        "each app first in every other round."
    )
    yield (
        "Ratios to the adjacent ceiling (or floor): the median over the rounds, and its range. "
        "Change: the current median / the baseline median - 1; and within each round, the "
        "current ratio / the baseline ratio - 1, lowest to highest."
    )
    yield ""
    yield (
        "| endpoint | ratio to | req/s, median: baseline → current | baseline ratio "
        "| current ratio | change of medians | change within a round |"
    )
    yield "|---|---|---:|---:|---:|---:|---:|"
    for key, label in ENDPOINTS.items():
        rates = [statistics.median(r.rate for r in results[key][name]) for name in APPS]
        rate = f"{rates[0]:.0f} → {rates[1]:.0f}"
        for reference, adjacent in (("ceiling", bench.adjacent), ("floor", bench.adjacent_floor)):
            if f"baseline:{key}:0" not in adjacent:
                continue
            before, after = (ratios(results, adjacent, key, name) for name in APPS)
            middle = [statistics.median(values) for values in (before, after)]
            paired = [a / b - 1 for a, b in zip(after, before, strict=True)]
            yield (
                f"| {label} | {reference} | {rate} "
                f"| {spread(before)} | {spread(after)} | {middle[1] / middle[0] - 1:+.0%} "
                f"| {min(paired):+.0%} to {max(paired):+.0%} |"
            )
            rate = ""  # given once per endpoint
    yield ""
    yield noise(bench)


APPS = ("baseline", "current")


def ratios(
    results: Results, adjacent: dict[str, tuple[Result, Result]], key: str, name: str
) -> list[float]:
    """One app's ratio to the adjacent reference for ``key``, round by round."""
    return [
        adjacent_ratio(result, adjacent[f"{name}:{key}:{number}"])[1]
        for number, result in enumerate(results[key][name])
    ]


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.3f} to {max(values):.3f})"


def noise(bench: Bench) -> str:
    """How far the ceiling moved within one endpoint's pair of adjacent runs."""
    spreads = [
        abs(before.rate - after.rate) / ((before.rate + after.rate) / 2)
        for key, (before, after) in bench.adjacent.items()
        if ":" in key
    ]
    return (
        f"Noise: in these runs the ceiling just before and just after one run differed by "
        f"{min(spreads):.0%} to {max(spreads):.0%} (a change within that says nothing)."
    )
