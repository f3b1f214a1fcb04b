"""The app under real gunicorn with the shipped gunicorn.conf.py, and plain HTTP to it."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from .app import ROOT, SECRET_KEY
from .journey import FORM_TOKEN
from .servers import free_port

# Settings of the machine running the tests that would change what gunicorn.conf.py or
# the rate limits do.
_CLEARED = (
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_BIND",
    "RATELIMIT_ENABLED",
    "RATELIMIT_STORAGE_URI",
    "SIGN_RATE_LIMIT",
    "PROXY_COUNT",
)


class Gunicorn:
    """gunicorn serving ``wsgi:app`` in production mode on a free loopback port, its log
    (gunicorn's and the app's JSON lines) kept in ``log_path``."""

    def __init__(self, database_url: str, smtp_port: int, log_path: Path, **settings: str):
        self.port = free_port()
        self.log_path = log_path
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in _CLEARED},
            "CAMPAIGN_ENV": "production",
            "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": database_url,
            "BASE_URL": f"http://127.0.0.1:{self.port}",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(smtp_port),
            "SIGN_MIN_SECONDS": "0",
            **settings,
        }
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                    "--bind", f"127.0.0.1:{self.port}", "wsgi:app",
                ],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                pytest.fail(f"gunicorn did not start:\n{self.log()[-3000:]}")
            time.sleep(0.1)

    def __exit__(self, *exc) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def workers(self) -> int:
        """How many worker processes the gunicorn master runs now."""
        assert self.process is not None
        count = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # a process that ended meanwhile
            count += int(fields[1]) == self.process.pid  # the parent's id
        return count

    def request(self, method: str, path: str, form=None, headers=None):
        """(status, text) of one HTTP request."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = dict(headers or {})
        body = None
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(form)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()

    def form_token(self, slug: str) -> str:
        status, page = self.request("GET", f"/petitions/{slug}")
        assert status == 200
        return FORM_TOKEN.search(page).group(1)

    def sign(self, slug: str, token: str, email: str, address: str | None = None) -> int:
        """Post the sign form (from ``address`` as the proxy says, when given); the status."""
        fields = {"name": "Rate Limited", "email": email, "country": "CH", "consent": "y"}
        headers = {"X-Forwarded-For": address} if address else {}
        status, _ = self.request(
            "POST", f"/petitions/{slug}/sign", {**fields, "form_token": token}, headers
        )
        return status
