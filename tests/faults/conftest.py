"""The fault suite's parts: a gonogo home, the real CLI and server as subprocesses, small
filesystems mounted by the test (we run as root), and counts read back from DuckDB.

Every scenario asserts by counts (written = ingested + quarantined, records = decisions,
verdicts stable across reruns) and records them as JUnit properties (``scenario``,
``written``, ``ingested``, ``quarantined``, ``lost``), which the ``reliability`` evidence
reads from the JUnit XML of this folder.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from enforcement_agent.spool import closed_segments, open_segments, read_spans
from tests.servers import free_port

# The build under test; GONOGO_FAULTS_BIN runs the suite against another one (an installed
# release, or an older checkout, to show which scenarios it fails).
GONOGO = Path(os.environ.get("GONOGO_FAULTS_BIN") or Path(sys.executable).with_name("gonogo"))
TENANT = "acme"
INGEST = ("spool_ingest", "decision_records", "telemetry_completeness")
CALLER = {"tenant": TENANT, "actor": "fault-agent", "role": "contributor"}


@dataclass
class Home:
    """One GONOGO_HOME with its report folder and a tenant workspace holding a file."""

    root: Path
    children: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def spool(self) -> Path:
        return self.home / "spool"

    @property
    def db(self) -> Path:
        return self.home / "gonogo.duckdb"

    def workspace(self, tenant: str = TENANT) -> Path:
        return self.home / "workspaces" / tenant

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith("OTEL_") and k != "TRACEPARENT"
        }
        env.update(
            {
                "GONOGO_HOME": str(self.home),
                "GONOGO_OUT": str(self.out),
                "GONOGO_CANARY_SEED": "fault-suite",
                "PYTHONUNBUFFERED": "1",
                **extra,
            }
        )
        return env

    def run(
        self, *args: str, timeout: float = 600, **extra: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(GONOGO), *args],
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )

    def start(self, *args: str, **extra: str) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [str(GONOGO), *args],
            env=self.env(**extra),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.children.append(proc)
        return proc

    def pipeline(self, **extra: str) -> subprocess.CompletedProcess[str]:
        res = self.run("pipeline", "run", "--json", **extra)
        assert res.returncode == 0, res.stderr[-2000:]
        return res

    def ingest(self, **extra: str) -> subprocess.CompletedProcess[str]:
        """Only the ingest assets (spool, decision records, completeness) and their checks."""
        res = self.run(
            "pipeline", "run", "--json", *(a for k in INGEST for a in ("--select", k)), **extra
        )
        assert res.returncode == 0, res.stderr[-2000:]
        return res

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def one(self, sql: str) -> Any:
        return self.query(sql)[0][0]

    def spool_spans(self) -> int:
        return sum(1 for _ in read_spans(self.spool))

    def open_segments(self) -> list[Path]:
        return list(open_segments(self.spool))

    def closed_segments(self) -> list[Path]:
        return list(closed_segments(self.spool))

    def records(self) -> list[dict[str, Any]]:
        out = []
        for log in sorted((self.home / "audit").glob("*/decisions.jsonl")):
            for line in log.read_text().splitlines():
                try:
                    out.append(json.loads(line))
                except ValueError:
                    continue
        return out

    def verdicts(self) -> dict[str, tuple[str, str]]:
        """criterion → (status, raw status) of the latest recorded run."""
        rows = self.query(
            "SELECT criterion_id, status, raw_status FROM criterion_verdicts "
            "WHERE run_id = (SELECT run_id FROM readiness_decisions ORDER BY decided_at DESC LIMIT 1)"
        )
        return {r[0]: (r[1], r[2]) for r in rows}


@pytest.fixture
def gonogo_home(tmp_path: Path) -> Iterator[Home]:
    h = Home(tmp_path)
    ws = h.workspace()
    ws.mkdir(parents=True)
    (ws / "notes.txt").write_text("release notes\n")
    try:
        yield h
    finally:
        for proc in h.children:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)


@contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A small tmpfs mounted at ``path`` for the test (a disk that fills up on purpose)."""
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)], check=True
    )
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(path: Path) -> Path:
    """Fill the filesystem holding ``path`` to the last byte; returns the filler file."""
    filler = path / ".filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (1 << 20, 1 << 16, 1 << 12, 1 << 8, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler


@dataclass
class Server:
    url: str
    proc: subprocess.Popen[bytes]

    def call(self, body: dict[str, Any], timeout: float = 60) -> httpx.Response:
        return httpx.post(f"{self.url}/v1/tool-calls", json={**CALLER, **body}, timeout=timeout)


def serve(home: Home, timeout: float = 60.0) -> Server:
    """`gonogo serve` on a free loopback port, ready when /healthz answers.

    ``--insecure-dev`` (loopback only): every caller acts as CALLER, so the faults exercise the
    served path without minting tokens (tests/auth covers the token path)."""
    port = free_port()
    who = ("--tenant", CALLER["tenant"], "--role", CALLER["role"], "--actor", CALLER["actor"])
    proc = home.start("serve", "--insecure-dev", *who, "--host", "127.0.0.1", "--port", str(port))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"gonogo serve exited: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return Server(url, proc)
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("gonogo serve did not start")
        time.sleep(0.2)


# Calls that need no sandbox (file tools and denials), so the suite runs anywhere quickly.
CALLS: tuple[dict[str, Any], ...] = (
    {"tool": "list", "path": "."},
    {"tool": "read", "path": "notes.txt"},
    {"tool": "exec", "command": "rm -rf /"},
    {"tool": "read", "path": "../../etc/shadow"},
)


def workload(n: int) -> list[dict[str, Any]]:
    return [dict(CALLS[i % len(CALLS)], session=f"fault-{i // 10}") for i in range(n)]


@pytest.fixture
def evidence(record_property: Callable[[str, object], None]) -> Callable[..., None]:
    """Record a scenario's counts as JUnit properties (read by the reliability evidence)."""

    def note(
        scenario: str, *, written: int, ingested: int, quarantined: int = 0, **more: int
    ) -> None:
        lost = written - ingested - quarantined
        record_property("scenario", scenario)
        record_property("written", written)
        record_property("ingested", ingested)
        record_property("quarantined", quarantined)
        record_property("lost", lost)
        for k, v in more.items():
            record_property(k, v)

    return note
