"""The requests bench/instructions.py counts, made in process through Flask's test client.

bench/instructions.py runs this script with one revision's environment: that
revision's worktree as working directory and first on ``PYTHONPATH``, then
the checkout's bench/ (this script, bench/ceiling_app.py), and the settings
of the load benchmark (production, a SECRET_KEY, mail to a closed port, rate
limits off, ``SIGN_MIN_SECONDS=0``) with an SQLite database of its own.

    python bench/inprocess.py prepare LINKS COUNT
        Natively: migrate the empty database (``flask db upgrade``), seed the
        demo call (``flask seed-demo``), then sign COUNT addresses through the
        sign form and do what each signer's browser does with the emailed
        link: GET the confirm page, keep its session cookie and CSRF token.
        One line per signature, "path cookie csrf", goes to LINKS.
    python bench/inprocess.py drive ENDPOINT COUNT WARMUP [LINKS]
        Under valgrind: start the app, make WARMUP requests to ENDPOINT, then
        COUNT more. ENDPOINT is ceiling (bench/ceiling_app.py), page (the
        petition page, uncached), count (count.json, uncached), sign or
        confirm (LINKS's lines, one each).

Only the commands (``db upgrade``, ``seed-demo``), ``create_app`` and URLs
are used, never the app's modules: a refactor moves modules, and both
revisions of a comparison must run through this one script. Each request's
status is checked, so a failing request cannot pass for a cheap one.
"""

from __future__ import annotations

import gc
import os
import re
import sqlite3
import sys
from collections.abc import Callable
from typing import Any

SLUG = "call-to-governments"
PAGE = f"/petitions/{SLUG}"
FORM_TOKEN = re.compile(rb'name="form_token" type="hidden" value="([^"]+)"')
CSRF = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')
COOKIE = re.compile(r"session=([^;]+)")
CONFIRM_PATH = re.compile(r"https?://[^/\s]+(/petitions/confirm/[^\s\"'<>]+)")
COUNTRIES = ["CH", "FR", "DE", "US", "BR", "IN", "JP", "KE", "GB", "ES"]


def start_app() -> tuple[Any, Any]:
    """The revision's app and a test client without cookies (each request sets its own)."""
    import campaign

    print(f"bench: campaign imported from {campaign.__file__}", flush=True)
    app = campaign.create_app()
    gc.freeze()  # as gunicorn.conf.py's post_worker_init does in each worker
    return app, app.test_client(use_cookies=False)


def expect(response: Any, status: int, what: str) -> Any:
    if response.status_code != status:
        raise SystemExit(f"{what}: {response.status_code}, not {status}")
    return response


def form_token(client: Any) -> str:
    """A sign form token, taken from the page as a browser (and bench/sign.lua) would."""
    page = expect(client.get(PAGE), 200, f"GET {PAGE}")
    match = FORM_TOKEN.search(page.data)
    if not match:
        raise SystemExit(f"GET {PAGE}: no form token")
    return match.group(1).decode()


def signer(client: Any, prefix: str) -> Callable[[int], None]:
    """Post the sign form for the ``i``th address with ``prefix``: a fresh one every time."""
    token = form_token(client)

    def sign(i: int) -> None:
        data = {
            "name": f"Bench Signer {i}",
            "email": f"{prefix}-{i}@example.org",
            "country": COUNTRIES[i % len(COUNTRIES)],
            "consent": "y",
            "public": "y",
            "form_token": token,
        }
        expect(client.post(f"{PAGE}/sign", data=data), 303, "sign")

    return sign


def confirmer(client: Any, links: str) -> Callable[[int], None]:
    """The Confirm button's POST for the ``i``th line of ``links``, with its cookie and token."""
    with open(links) as f:
        lines = [line.split() for line in f if line.strip()]

    def confirm(i: int) -> None:
        path, cookie, csrf = lines[i]
        response = client.post(
            path,
            data={"csrf_token": csrf, "submit": "Confirm"},
            headers={"Cookie": f"session={cookie}"},
        )
        expect(response, 303, "confirm")

    return confirm


def getter(client: Any, path: str) -> Callable[[int], None]:
    def get(i: int) -> None:
        expect(client.get(path), 200, f"GET {path}")

    return get


def drive(endpoint: str, count: int, warmup: int, links: str = "") -> None:
    """WARMUP requests, then COUNT: the second loop is what the counts per request cover."""
    if endpoint == "ceiling":
        from ceiling_app import app

        request = getter(app.test_client(use_cookies=False), "/")
    else:
        _, client = start_app()
        request = {
            "page": lambda: getter(client, f"{PAGE}?uncached"),
            "count": lambda: getter(client, f"{PAGE}/count.json?uncached"),
            "sign": lambda: signer(client, "bench"),
            "confirm": lambda: confirmer(client, links),
        }[endpoint]()
    for i in range(warmup):
        request(i)
    for i in range(warmup, warmup + count):
        request(i)


def prepare(links: str, count: int) -> None:
    """The database migrated and seeded, and ``count`` pending signatures' confirm pages."""
    app, client = start_app()
    runner = app.test_cli_runner()
    for args in (["db", "upgrade"], ["seed-demo"]):
        result = runner.invoke(args=args)
        if result.exit_code != 0:
            raise SystemExit(f"flask {' '.join(args)} failed:\n{result.output}{result.exception}")
    sign = signer(client, "confirm")
    for i in range(count):
        sign(i)
    database = os.environ["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        bodies = connection.execute("SELECT body_text FROM outbox_message ORDER BY id").fetchall()
    paths = [match.group(1) for (body,) in bodies for match in CONFIRM_PATH.finditer(body)]
    if len(paths) != count:
        raise SystemExit(f"{len(paths)} confirm links in the outbox, not {count}")
    lines = []
    for path in paths:
        page = expect(client.get(path), 200, "GET the confirm page")
        cookie = COOKIE.search(page.headers.get("Set-Cookie", ""))
        csrf = CSRF.search(page.data)
        if not cookie or not csrf:
            raise SystemExit(f"GET {path}: no session cookie or no CSRF token")
        lines.append(f"{path} {cookie.group(1)} {csrf.group(1).decode()}\n")
    with open(links, "w") as f:
        f.writelines(lines)
    # One file to copy for each run: nothing left in the write-ahead log.
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def main() -> None:
    command, *args = sys.argv[1:]
    if command == "prepare":
        prepare(args[0], int(args[1]))
    elif command == "drive":
        drive(args[0], int(args[1]), int(args[2]), *args[3:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
