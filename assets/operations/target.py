"""Processes a soak or drill runs against: `gonogo serve` workers and a Prometheus, on loopback.

Every process is started in its own session (so its whole group can be signalled), bound to
127.0.0.1, tracked by pid, and stopped when the run ends. A worker's health is read the way
Prometheus reads it: ``/healthz`` and ``/metrics`` (resident memory, open file descriptors and
the worker heartbeat gauge).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

HOST = "127.0.0.1"
HEARTBEAT = "gonogo_worker_heartbeat_timestamp_seconds"


class TargetError(RuntimeError):
    """A process that did not start or answer in time (the message says which and why)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def descendants(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (from /proc), including ones in other sessions."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().decode("utf-8", "replace")
        except OSError:
            continue
        try:
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out: list[int] = []
    todo = list(children.get(pid, []))
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


@dataclass
class Process:
    """One started process (a shell command or an argv), its log file and its address."""

    name: str
    proc: subprocess.Popen[bytes]
    log: Path
    port: int
    stray: list[int] = field(default_factory=list)  # descendants seen when it was killed

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, sig)

    def kill(self) -> None:
        """SIGKILL the whole group (a crash: no shutdown handlers run)."""
        stray = descendants(self.proc.pid)
        self.signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        self.stray = stray

    def stop(self, timeout: float = 10.0) -> None:
        stray = descendants(self.proc.pid) + list(self.stray)
        if self.alive:
            self.signal_group(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        # Children that made sessions of their own (sandboxes) are ours to end too.
        for pid in stray:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        self.stray = []

    def log_tail(self, limit: int = 2000) -> str:
        try:
            data = self.log.read_bytes()
        except OSError:
            return ""
        return data[-limit:].decode("utf-8", "replace")


def start_process(
    name: str,
    argv: Sequence[str] | str,
    *,
    env: Mapping[str, str],
    log_dir: Path,
    port: int,
    cwd: Path | None = None,
) -> Process:
    """Start ``argv`` (a list, or one shell command line run by bash) in its own session."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{name}-{port}-{int(time.time() * 1000)}.log"
    args: list[str] = ["bash", "-c", argv] if isinstance(argv, str) else list(argv)
    with log.open("ab") as fh:
        proc = subprocess.Popen(
            args,
            env=dict(env),
            stdout=fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=str(cwd) if cwd else None,
            start_new_session=True,
        )
    return Process(name, proc, log, port)


def wait_http(url: str, proc: Process | None, timeout: float, verify: bool | str = True) -> None:
    """Wait until ``url`` answers 200 (or the process exits, or time runs out)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=2.0, verify=verify, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc is not None and not proc.alive:
            raise TargetError(
                f"{proc.name} exited with {proc.proc.returncode} before {url} answered: "
                f"{proc.log_tail(600)}"
            )
        if time.monotonic() > deadline:
            raise TargetError(f"{url} did not answer within {timeout:.0f}s")
        time.sleep(0.1)


@dataclass
class ServeSpec:
    """How to start one `gonogo serve` worker: the command, its environment, its arguments."""

    gonogo: Sequence[str]  # e.g. [sys.executable, "-m", "gonogo"]
    env: Mapping[str, str]
    extra_args: Sequence[str] = ()  # e.g. ("--tenant", "acme", "--role", "contributor")
    start_timeout_s: float = 90.0

    def argv(self, port: int) -> list[str]:
        return [*self.gonogo, "serve", "--host", HOST, "--port", str(port), *self.extra_args]


@dataclass
class Worker:
    """A `gonogo serve` process the run owns; ``replace_with`` adopts a restarted one."""

    spec: ServeSpec
    log_dir: Path
    process: Process | None = None
    history: list[Process] = field(default_factory=list)

    @property
    def url(self) -> str:
        if self.process is None:
            raise TargetError("the worker was never started")
        return f"http://{HOST}:{self.process.port}"

    @property
    def instance(self) -> str:
        return self.url.removeprefix("http://")

    def start(self, port: int | None = None) -> Worker:
        port = port or free_port()
        p = start_process(
            "serve", self.spec.argv(port), env=self.spec.env, log_dir=self.log_dir, port=port
        )
        self.replace_with(p)
        return self

    def replace_with(self, p: Process, timeout_s: float | None = None) -> None:
        """Make a process started elsewhere (a runbook's restart step) this worker.

        The address answering is not enough: an old process may still hold the port. The
        worker that answers must be ``p`` (its heartbeat names its pid) and ``p`` must live.
        """
        self.history.append(p)
        self.process = p
        url = self.url
        wait_http(f"{url}/healthz", p, timeout_s or self.spec.start_timeout_s)
        ours = {p.pid, *descendants(p.pid)}
        s = scrape(url)
        pids = {_pid_of(w) for w in s.workers}
        if not p.alive or not (pids & ours):
            raise TargetError(
                f"{url} answers, but not from the started process {p.pid} "
                f"(workers {sorted(s.workers)}; exit {p.proc.poll()}): {p.log_tail(300)}"
            )

    def stop_all(self) -> None:
        for p in reversed(self.history):
            p.stop()


@dataclass(frozen=True)
class Scrape:
    """One read of a worker's ``/metrics`` (``ok`` False when it did not answer)."""

    at: float
    ok: bool
    rss_bytes: float | None = None
    open_fds: float | None = None
    heartbeat: float | None = None  # newest heartbeat timestamp any worker process reported
    error: str = ""
    workers: tuple[str, ...] = ()  # the heartbeat's worker labels (host:pid)


def _pid_of(worker: str) -> int:
    tail = worker.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else -1


def scrape(url: str, *, timeout: float = 3.0, headers: Mapping[str, str] | None = None) -> Scrape:
    at = time.time()
    try:
        r = httpx.get(
            f"{url}/metrics", timeout=timeout, headers=dict(headers or {}), trust_env=False
        )
        r.raise_for_status()
    except httpx.HTTPError as e:
        return Scrape(at, False, error=f"{type(e).__name__}: {e}"[:200])
    rss = fds = hb = None
    workers: list[str] = []
    for fam in text_string_to_metric_families(r.text):
        for s in fam.samples:
            if s.name == "process_resident_memory_bytes":
                rss = float(s.value)
            elif s.name == "process_open_fds":
                fds = float(s.value)
            elif s.name == HEARTBEAT:
                hb = max(hb or 0.0, float(s.value))
                workers.append(s.labels.get("worker", ""))
    return Scrape(at, True, rss, fds, hb, workers=tuple(workers))
