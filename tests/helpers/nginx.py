"""Debian's nginx running the deploy guide's configuration (deploy/nginx/campaign.conf).

The shipped file is rendered as the guide's envsubst renders it (only its own
CAMPAIGN_* variables), included in a minimal nginx.conf whose every path is
in a temporary folder, and run in the foreground on free ports with a
self-signed certificate for ``localhost``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from .app import ROOT
from .servers import free_port

TEMPLATE = ROOT / "deploy" / "nginx" / "campaign.conf"
_VARIABLE = re.compile(r"\$\{(CAMPAIGN_[A-Z_]+)\}")

_MAIN = """daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log notice;
{user}
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/campaign.conf;
}}
"""


def render(template: str, values: dict[str, str]) -> str:
    """``envsubst '${CAMPAIGN_...} ...'``: the named variables only, every one of them given."""
    missing = set(_VARIABLE.findall(template)) - set(values)
    assert not missing, f"the test gives no value for {sorted(missing)}"
    return _VARIABLE.sub(lambda match: values[match.group(1)], template)


class Nginx:
    """``with Nginx(upstream_port) as proxy:`` HTTPS on ``proxy.port``, in front of the app
    (or of several app hosts: a list of ports, one ``server`` line each)."""

    def __init__(self, upstream_port: int | list[int], template: str | None = None) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="campaign-nginx-"))
        self.port = free_port()
        self.upstream_port = upstream_port
        self.template = template if template is not None else TEMPLATE.read_text()
        self.process: subprocess.Popen | None = None

    def _configure(self) -> Path:
        folder = self.folder
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost",
             "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
            check=True, capture_output=True,
        )  # fmt: skip
        ports = self.upstream_port if isinstance(self.upstream_port, list) else [self.upstream_port]
        servers = "".join(f"server 127.0.0.1:{port};\n" for port in ports)
        (folder / "upstreams.conf").write_text(servers)
        values = {
            "CAMPAIGN_SERVER_NAME": "localhost",
            "CAMPAIGN_HTTP_LISTEN": f"127.0.0.1:{free_port()}",
            "CAMPAIGN_HTTPS_LISTEN": f"127.0.0.1:{self.port}",
            "CAMPAIGN_TLS_CERTIFICATE": str(folder / "cert.pem"),
            "CAMPAIGN_TLS_KEY": str(folder / "key.pem"),
            "CAMPAIGN_UPSTREAMS": str(folder / "upstreams.conf"),
            "CAMPAIGN_STATIC_DIR": str(ROOT / "static"),
            "CAMPAIGN_CACHE_DIR": str(folder / "cache"),
            "CAMPAIGN_LOG_DIR": str(folder),
        }
        (folder / "campaign.conf").write_text(render(self.template, values))
        # As root, nginx's workers would run as nobody, who cannot read this checkout.
        user = "user root;" if os.geteuid() == 0 else ""
        main = folder / "nginx.conf"
        main.write_text(_MAIN.format(folder=folder, user=user))
        return main

    def __enter__(self) -> Nginx:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.path.exists(binary):
            pytest.fail("nginx is not installed: run bin/system-deps (Debian's nginx)")
        main = self._configure()
        self.process = subprocess.Popen(
            [binary, "-p", str(self.folder), "-e", str(self.folder / "error.log"), "-c", str(main)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = self.error_log()
                    self.__exit__()
                    pytest.fail(f"nginx did not start:\n{log}")
                time.sleep(0.05)

    def error_log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text() if path.exists() else ""

    def access_log(self) -> str:
        path = self.folder / "campaign.access.log"
        return path.read_text() if path.exists() else ""

    @staticmethod
    def tls() -> ssl.SSLContext:
        """The client's TLS: the certificate is self-signed, made for this run."""
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            # Its own process group (the master and its worker), which nothing else is in.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
