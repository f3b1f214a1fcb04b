"""The load benchmark's harness: the processes it starts, and its wrk runs.

bench/load.py's ``Bench`` is a ``Harness``: this module starts and stops the
servers (each in its own process group, so stopping one stops its
children), runs flask commands and SQL on the scratch database, and runs wrk
with bench/report.lua's one-line JSON report, each measured run between runs
of the ceiling and the floor (:meth:`Harness.measure_app`), kept for the
adjacent ratios.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"


@dataclass
class Result:
    """One wrk run, from the JSON line bench/report.lua prints."""

    label: str
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    extra: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def say(text: str) -> None:
    print(text, flush=True)


class Harness:
    """The processes a run starts and stops, and its wrk runs with their adjacent references."""

    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.processes: list[subprocess.Popen] = []
        self.pg_dir = workdir / "pg"
        self.database_url = ""
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env: dict[str, str] = {}
        # The ceiling and floor apps, kept running beside the real one for the adjacent runs.
        self.ceiling_port = free_port()
        self.floor_port = free_port()
        self.last_near: dict[str, tuple[float, Result]] = {}
        self.adjacent: dict[str, tuple[Result, Result]] = {}
        self.adjacent_floor: dict[str, tuple[Result, Result]] = {}

    # -- processes ---------------------------------------------------------------

    def start(
        self, name: str, argv: list[str], env: dict[str, str], cwd: Path = ROOT
    ) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group, so stopping it stops its children
        )
        log.close()
        self.processes.append(process)
        return process

    def stop(self, process: subprocess.Popen, timeout: float = 20) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if process in self.processes:
            self.processes.remove(process)

    def stop_all(self) -> None:
        for process in list(self.processes):
            self.stop(process)
        subprocess.run(
            [str(ROOT / "bin" / "pg-scratch"), "stop", str(self.pg_dir)],
            check=False,
            capture_output=True,
        )

    def flask(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            [str(VENV / "flask"), "--app", "wsgi", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def sql(self, statement: str, params: tuple = ()) -> list[tuple]:
        url = self.database_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url, autocommit=True) as connection:
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def gunicorn(
        self,
        name: str,
        app: str,
        port: int | None = None,
        env: dict[str, str] | None = None,
        cwd: Path = ROOT,
    ) -> subprocess.Popen:
        """Serve ``app`` with the checkout's gunicorn.conf.py; return once it answers."""
        port = port or self.port
        argv = [
            str(VENV / "gunicorn"),
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            app,
        ]
        process = self.start(name, argv, env or self.env, cwd)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.workdir / name}.log")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                    return process
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not answer within 30 s")

    # -- wrk -----------------------------------------------------------------------

    def wrk(
        self, label: str, path: str, script: str, seconds: float, *args: str, port: int = 0
    ) -> Result:
        argv = [
            "wrk",
            f"-t{self.args.threads}",
            f"-c{self.args.connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "-s",
            f"bench/{script}",
            f"http://127.0.0.1:{port or self.port}{path}",
        ]
        if args:
            argv += ["--", *args]
        output = subprocess.run(
            argv, cwd=ROOT, capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
        match = re.search(r"^BENCH_JSON (.*)$", output, re.MULTILINE)
        if not match:
            raise SystemExit(f"wrk printed no report:\n{output}")
        data = json.loads(match.group(1))
        errors = sum(data[key] for key in ("connect", "read", "write", "status", "timeout"))
        return Result(
            label=label,
            requests=data["requests"],
            seconds=data["duration_us"] / 1e6,
            errors=errors,
            p50_ms=data["p50_us"] / 1000,
            p90_ms=data["p90_us"] / 1000,
            p99_ms=data["p99_us"] / 1000,
            max_ms=data["max_us"] / 1000,
            extra=data["extra"],
        )

    def measure(
        self, label: str, path: str, script: str = "get.lua", *args: str, port: int = 0
    ) -> Result:
        if self.args.warmup:
            self.wrk(label, path, script, self.args.warmup, *args, port=port)
        result = self.wrk(label, path, script, self.args.seconds, *args, port=port)
        self.show(result)
        return result

    def show(self, result: Result) -> None:
        say(
            f"  {result.label:<36} {result.rate:8.0f} req/s  p50 {result.p50_ms:6.1f} ms  "
            f"p99 {result.p99_ms:6.1f} ms  errors {result.errors}"
        )

    def measure_app(
        self,
        key: str,
        label: str,
        path: str,
        *script_and_args: str,
        floor: bool = False,
        port: int = 0,
    ) -> Result:
        """:meth:`measure`, with the ceiling (and the floor) measured just before and after it.

        The order is ceiling, floor, the run, floor, ceiling. Consecutive runs
        share the ceiling or floor between them; one older than half a minute
        (rows were added) or measured before links were prepared is measured afresh.
        """
        before = self.near("ceiling")
        floor_before = self.near("floor") if floor else None
        result = self.measure(label, path, *script_and_args, port=port)
        if floor_before is not None:
            self.adjacent_floor[key] = (floor_before, self.near("floor", fresh=True))
        self.adjacent[key] = (before, self.near("ceiling", fresh=True))
        return result

    def near(self, kind: str, fresh: bool = False) -> Result:
        """The ceiling or the floor measured now, or its last run if under half a minute old."""
        last = self.last_near.get(kind)
        if fresh or last is None or time.monotonic() - last[0] > 30:
            seconds = self.args.ceiling_seconds
            if kind == "floor":
                nonce = secrets.token_hex(4)
                args = ("/sign", "floor.lua", seconds, nonce)
                result = self.wrk("  floor, adjacent", *args, port=self.floor_port)
            else:
                result = self.wrk(
                    "  ceiling, adjacent", "/", "get.lua", seconds, port=self.ceiling_port
                )
            self.show(result)
            last = self.last_near[kind] = (time.monotonic(), result)
        return last[1]
