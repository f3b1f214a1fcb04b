"""gunicorn's own log lines hold no full IP address, with the shipped gunicorn.conf.py.

The app cuts client addresses in its JSON lines (campaign/logging.py);
gunicorn writes lines of its own, before any request reaches the app. A
malformed request is one: gunicorn answers 400 and logs "Invalid request
from ip=...". Real gunicorn, a real socket. Logs keep 127.0.0.1 (the
machine's own, nobody's), so the client comes from another loopback
address, 127.0.0.3, which logs cut like any client's: no network needed.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from campaign.scrubbing import truncate_ip

from .helpers.app import ROOT, SECRET_KEY
from .helpers.servers import free_port

FULL_IPV4 = re.compile(r"(?<![\d.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d.]|/24)")


CLIENT = "127.0.0.3"


def _raw_request(address: str, port: int, data: bytes) -> bytes:
    with socket.create_connection((address, port), timeout=10, source_address=(CLIENT, 0)) as s:
        s.sendall(data)
        chunks = []
        while chunk := s.recv(4096):
            chunks.append(chunk)
        return b"".join(chunks)


def test_gunicorn_logs_a_malformed_request_without_the_full_client_address(database_url):
    address, port = "127.0.0.1", free_port()
    env = {
        **os.environ,
        "CAMPAIGN_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
         "--bind", f"{address}:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                answer = _raw_request(
                    address, port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                )
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.1)
        assert answer.startswith(b"HTTP/1.1 200")
        answer = _raw_request(address, port, b"NOT A REQUEST LINE\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 400")
        time.sleep(0.3)  # gunicorn writes its line after answering
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0].decode(errors="replace")

    assert f"Invalid request from ip={truncate_ip(CLIENT)}" in output, output
    assert CLIENT not in output
    full = [ip for ip in FULL_IPV4.findall(output) if ip not in ("127.0.0.1", "0.0.0.0")]
    assert not full, output
