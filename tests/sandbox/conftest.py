"""Fixtures for hostile-workload tests: tenant workspaces, canaries, a TCP listener, /proc scans."""

from __future__ import annotations

import os
import secrets
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from enforcement_agent.policy import Policy


@dataclass
class Estate:
    """Two tenants' workspaces and a host secret, each holding a canary value."""

    root: Path
    ws: Path
    other_ws: Path
    host_secret: Path
    canary: str
    other_canary: str
    host_canary: str

    def host_tree(self) -> dict[str, bytes]:
        """Every file outside the tenant's workspace, with content (to prove nothing changed)."""
        out: dict[str, bytes] = {}
        for p in sorted(self.root.rglob("*")):
            if self.ws in p.parents or p == self.ws:
                continue
            if p.is_file() and not p.is_symlink():
                out[str(p.relative_to(self.root))] = p.read_bytes()
            else:
                out[str(p.relative_to(self.root))] = b"<dir>" if p.is_dir() else b"<other>"
        return out

    def plant_hostile_pytest_project(self) -> None:
        """A passing test whose conftest.py tries to steal and delete the other secrets."""
        targets = (str(self.host_secret), str(self.other_ws / "private.txt"))
        (self.ws / "conftest.py").write_text(
            f"""
import os
def pytest_configure(config):
    for p in {targets!r}:
        try:
            open("stolen.txt", "a").write(open(p).read())
        except OSError:
            pass
        try:
            os.remove(p)
        except OSError:
            pass
"""
        )
        (self.ws / "test_ok.py").write_text("def test_ok():\n    assert True\n")


@pytest.fixture
def estate(tmp_path: Path, bwrap: str) -> Estate:
    root = tmp_path / "host"
    ws = root / "workspaces" / "tenant-a"
    other = root / "workspaces" / "tenant-b"
    secret_dir = root / "secrets"
    for d in (ws, other, secret_dir):
        d.mkdir(parents=True)
    e = Estate(
        root=root,
        ws=ws,
        other_ws=other,
        host_secret=secret_dir / "api_key.txt",
        canary=f"CANARY-A-{secrets.token_hex(8)}",
        other_canary=f"CANARY-B-{secrets.token_hex(8)}",
        host_canary=f"CANARY-HOST-{secrets.token_hex(8)}",
    )
    (ws / "mine.txt").write_text(e.canary)
    (other / "private.txt").write_text(e.other_canary)
    e.host_secret.write_text(e.host_canary)
    return e


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A tenant workspace under a host root of mode 0700, like a real workspaces root: not
    traversable by tenants (a test file that needs another layout defines its own `ws`)."""
    host = tmp_path / "host"
    host.mkdir(mode=0o700)
    w = host / "ws"
    w.mkdir()
    return w


@dataclass
class Listener:
    port: int
    accepted: list[tuple[str, int]] = field(default_factory=list)


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A TCP listener on 127.0.0.1 that records every connection it accepts."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    srv.settimeout(0.1)
    lst = Listener(port=srv.getsockname()[1])
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, addr = srv.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            lst.accepted.append(addr)
            conn.close()

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    yield lst
    stop.set()
    t.join(2)
    srv.close()


def procs_with(marker: str) -> list[int]:
    """Host pids whose command line contains ``marker`` (the test process itself excluded)."""
    found = []
    me = os.getpid()
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == me:
            continue
        try:
            with open(f"/proc/{d}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    found.append(int(d))
        except OSError:
            continue
    return found


@pytest.fixture(scope="session")
def policy_names(default_policy: Policy) -> object:
    """A function from a workspace to the shipped policy's protected and secret lists, as the
    agent hands them to the sandbox (``enforcement_agent.agent.sandbox_names``)."""
    from enforcement_agent.agent import sandbox_names

    cfg = default_policy.compiled.exec
    return lambda ws: sandbox_names(cfg, ws)


def run_attempt(ws: Path, code: str, names: object | None, *, after: str, **kw: object) -> object:
    """Run ``code`` (Python, indented into a ``try``) as ``python3 attempt.py`` in the sandbox;
    ``after`` is the line that runs when it raised no OSError. Returns the ExecResult."""
    from enforcement_agent.models import Limits
    from enforcement_agent.sandbox import run_sandboxed

    body = "\n".join("    " + line for line in code.splitlines())
    script = (
        "import base64, codecs, os, shutil, subprocess\ntry:\n"
        f"{body}\n    {after}\nexcept OSError as e:\n    print('refused', e)\n"
    )
    (ws / "attempt.py").write_text(script)
    (ws / "attempt.py").chmod(0o644)
    limits = Limits(wall_seconds=60, cpu_seconds=20, processes=64)
    return run_sandboxed(["python3", "attempt.py"], ws, limits, names=names, **kw)  # type: ignore[arg-type]


def agent_exec(
    ws: Path, home: Path, *cmd: str, tenant: str = "tenant-a", policy_dir: Path | None = None
) -> object:
    """``gonogo agent exec --json`` as a contributor, in its own process; a CompletedProcess."""
    import subprocess
    import sys

    from gonogo.config import REPO_ROOT

    argv = [sys.executable, "-m", "gonogo", "agent", "exec", "--tenant", tenant]
    argv += ["--role", "contributor", "--workspace", str(ws), "--json"]
    argv += ["--policy-dir", str(policy_dir)] if policy_dir is not None else []
    env = {**os.environ, "GONOGO_HOME": str(home)}
    return subprocess.run(
        [*argv, "--", *cmd], cwd=REPO_ROOT, env=env, capture_output=True, timeout=180
    )
