"""Several hosts as the deploy guide builds them, on one machine.

Two app hosts (real gunicorn with the shipped gunicorn.conf.py, two processes
each) behind the guide's nginx file, sharing PostgreSQL through PgBouncer in
transaction mode and Redis for the rate limits; two outbox workers and a
package worker. Everything listens on loopback; every process is stopped
however the test ends. An HTTP client that keeps cookies, as a browser would,
talks to any host: cookies for 127.0.0.1 go to every port, so a session opened
on one host is presented to the other.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from .app import ROOT, SECRET_KEY
from .servers import free_port

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" type="hidden" value="([^"]+)"')


class Hosts:
    def __init__(self, folder: Path, database_url: str, redis_url: str, smtp_port: int) -> None:
        self.folder = folder
        self.ports = [free_port(), free_port()]
        self.env = {
            **os.environ,
            "CAMPAIGN_ENV": "production",
            "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": database_url,
            "DATABASE_PGBOUNCER": "1",
            "DATABASE_POOL_SIZE": "4",
            "DATABASE_MAX_OVERFLOW": "0",
            "RATELIMIT_STORAGE_URI": redis_url,
            "WEB_CONCURRENCY": "2",
            "GUNICORN_THREADS": "2",
            # nginx in front: the address is the last one it forwards.
            "PROXY_COUNT": "1",
            "BASE_URL": f"http://127.0.0.1:{self.ports[0]}",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(smtp_port),
            "OUTBOX_BATCH_SIZE": "10",
            # Signers here post at once; the limits per address are what is tested.
            "SIGN_MIN_SECONDS": "0",
        }
        self.processes: dict[str, subprocess.Popen] = {}

    def spawn(self, name: str, *argv: str) -> subprocess.Popen:
        """Start a process as a machine of its own: its own local folder for scratch files, so
        that nothing a test checks can pass by the hosts' sharing one disk."""
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        scratch = self.folder / f"{name}-disk"
        scratch.mkdir()
        process = subprocess.Popen(
            argv, cwd=ROOT, env={**self.env, "EXPORT_DIR": str(scratch)}, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        self.processes[name] = process
        return process

    def flask(self, *args: str, stdin: str = "") -> str:
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=ROOT, env=self.env, input=stdin, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def start(self) -> None:
        for n, port in enumerate(self.ports):
            self.spawn(
                f"host-{n}", sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                "--bind", f"127.0.0.1:{port}", "wsgi:app",
            )  # fmt: skip
        for n in range(2):
            self.spawn(
                f"outbox-{n}", sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "work"
            )
        self.spawn("packages", sys.executable, "-m", "flask", "--app", "wsgi", "export", "work")
        deadline = time.monotonic() + 30
        for port in self.ports:
            while not self._answers(port):
                if time.monotonic() > deadline:
                    pytest.fail(f"the host on port {port} did not start:\n{self.logs()}")
                time.sleep(0.1)

    @staticmethod
    def _answers(port: int) -> bool:
        try:
            return Client().request(port, "GET", "/healthz")[0] == 200
        except OSError:
            return False

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def logs(self) -> str:
        return "\n".join(f"== {name}\n{self.log(name)[-3000:]}" for name in self.processes)

    def kill(self, name: str) -> None:
        """As a machine that loses power would: no chance to hand anything back."""
        os.killpg(self.processes[name].pid, signal.SIGKILL)
        self.processes[name].wait()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class Client:
    """HTTP/1.1 to 127.0.0.1 on any port, with one cookie jar for them all, as a browser."""

    def __init__(self, address: str | None = None) -> None:
        self.cookies: dict[str, str] = {}
        self.address = address  # sent as X-Forwarded-For: the client's address to the app

    def request(self, port: int, method: str, path: str, form: dict | None = None):
        """(status, headers, body as bytes)."""
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {}
        body = None
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(form, doseq=True)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.address:
            headers["X-Forwarded-For"] = self.address
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.headers, data

    def page(self, port: int, path: str) -> str:
        status, _, body = self.request(port, "GET", path)
        assert status == 200, (port, path, status, body[:300])
        return body.decode()

    def post_form(self, port: int, path: str, fields: dict, token_from: str | None = None):
        """POST ``fields`` with the CSRF token of the page at ``token_from`` (or ``path``)."""
        match = CSRF.search(self.page(port, token_from or path))
        assert match, f"no CSRF token on {token_from or path}"
        return self.request(port, "POST", path, {**fields, "csrf_token": match.group(1)})

    def sign(self, port: int, slug: str, email: str, country: str = "CH") -> int:
        page = self.page(port, f"/petitions/{slug}")
        fields = {
            "name": f"Signer {email.split('@')[0]}", "email": email, "country": country,
            "consent": "y", "public": "y", "form_token": FORM_TOKEN.search(page).group(1),
        }  # fmt: skip
        return self.request(port, "POST", f"/petitions/{slug}/sign", fields)[0]
