"""A real PgBouncer in transaction mode, in a folder of its own, in front of a PostgreSQL.

Debian's ``pgbouncer`` (bin/system-deps installs it). It refuses to run as
root, so as root it runs as the ``postgres`` user, as bin/pg-scratch does.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from .servers import free_port

# The server connections it keeps open (and may not exceed), and the order it hands
# them out in: round robin, so that consecutive transactions of one client go to
# different server connections, as on a busy site with many clients. With LIFO (the
# default) a lone client would get the same one back each time, which hides the bug a
# fixture like this is for: state kept on one server connection (a prepared statement)
# used from another.
SERVER_CONNECTIONS = 3


class PgBouncer:
    """``with PgBouncer(url) as bouncer:`` ``bouncer.url`` reaches the same database through it."""

    def __init__(self, database_url: str) -> None:
        self.target = make_url(database_url)
        self.folder = Path(tempfile.mkdtemp(prefix="campaign-pgbouncer-"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return self.target.set(host="127.0.0.1", port=self.port).render_as_string(
            hide_password=False
        )

    def _write_config(self) -> Path:
        t = self.target
        (self.folder / "users.txt").write_text(f'"{t.username}" "{t.password or ""}"\n')
        config = self.folder / "pgbouncer.ini"
        config.write_text(
            f"""[databases]
{t.database} = host={t.host} port={t.port} dbname={t.database}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {self.folder}/users.txt
pool_mode = transaction
default_pool_size = {SERVER_CONNECTIONS}
min_pool_size = {SERVER_CONNECTIONS}
max_client_conn = 200
server_round_robin = 1
logfile = {self.folder}/pgbouncer.log
pidfile = {self.folder}/pgbouncer.pid
"""
        )
        return config

    def __enter__(self) -> PgBouncer:
        binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
        if not os.path.exists(binary):
            pytest.fail("pgbouncer is not installed: run bin/system-deps (Debian's pgbouncer)")
        config = self._write_config()
        argv = [binary, str(config)]
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            for path in (self.folder, *self.folder.iterdir()):
                os.chown(path, user.pw_uid, user.pw_gid)
            argv = ["runuser", "-u", "postgres", "--", *argv]
        self.process = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.__exit__()
                    pytest.fail(f"pgbouncer did not start:\n{self.log()}")
                time.sleep(0.05)

    def log(self) -> str:
        path = self.folder / "pgbouncer.log"
        output = ""
        if self.process is not None and self.process.poll() is not None and self.process.stdout:
            output = self.process.stdout.read().decode(errors="replace")
        return (path.read_text() if path.exists() else "") + output

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            # Its own process group (runuser and pgbouncer), which nothing else is in.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
