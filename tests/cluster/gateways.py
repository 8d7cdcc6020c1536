"""Real gateways for the cluster test: ``gonogo serve`` processes on loopback, and the demo
workload sent to them over HTTP, one bearer token per identity (tenant, role, actor).

The request bodies carry the tool fields only: tenant, role and actor are the token's.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from gonogo.config import REPO_ROOT
from gonogo.demo import _request
from gonogo.demo_workload import _everyday, sessions


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gonogo(*args: str, env: Mapping[str, str], timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "gonogo", *args], env=dict(env), cwd=REPO_ROOT,
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert done.returncode == 0, f"gonogo {' '.join(args)}: {done.stderr[-2000:]}"
    return done.stdout


def dev_issuer_env(env: Mapping[str, str]) -> dict[str, str]:
    """``gonogo auth dev-issuer`` in ``env``'s GONOGO_HOME: the GONOGO_AUTH_* lines it prints."""
    out = gonogo("auth", "dev-issuer", env=env)
    pairs = (line.removeprefix("export ").split("=", 1) for line in out.splitlines())
    found = {k: v for k, v in pairs if k.startswith("GONOGO_AUTH_")}
    assert found, out
    return found


@contextmanager
def served(env: Mapping[str, str], log: Path, replica: str | None = None) -> Iterator[str]:
    """One ``gonogo serve`` (token auth) on 127.0.0.1:<free port>; yields its URL once /readyz
    answers 200; stops it with SIGTERM (it flushes its spool on the way out)."""
    port = free_port()
    argv = [sys.executable, "-m", "gonogo", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if replica is not None:
        argv += ["--replica-id", replica]
    with log.open("w") as fh:
        proc = subprocess.Popen(argv, env=dict(env), cwd=REPO_ROOT, stdout=fh,
                                stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert proc.poll() is None, f"serve exited {proc.returncode}: {log.read_text()[-2000:]}"
            try:
                r = httpx.get(f"{url}/readyz", timeout=10, trust_env=False)
                if r.status_code == 200:
                    assert r.json().get("replica_id") == replica
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"serve not ready: {log.read_text()[-2000:]}"
            time.sleep(0.5)
        yield url
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it: -15 is a clean stop.
    assert proc.returncode in (0, -signal.SIGTERM), (
        f"serve exited {proc.returncode}: {log.read_text()[-2000:]}"
    )


def demo_bodies(part: int = 0, parts: int = 1) -> Iterator[tuple[tuple[str, str, str], dict]]:
    """((tenant, role, actor), body) for the demo sessions of ``part`` of ``parts``, in order.

    With two parts, every tenant's sessions go to both replicas, split by what they do: the
    everyday work (and the viewer's share of it) on one, in the embedded order, because those
    sessions change the tenant's working tree (one removes `build`, another compiles into it);
    the sessions that leave the tree alone (secret reads, hostile calls, limits, connectors)
    on the other. Split one session each, two replicas ran two everyday sessions of a tenant
    at once and an outcome depended on their interleaving (one call in 160 ended `error` in
    one profile and `success` in the other)."""
    everyday = _everyday()
    for n, session in enumerate(sessions()):
        group = 0 if session.steps == everyday[: len(session.steps)] else 1
        if group % parts != part:
            continue
        for step in session.steps:
            req = _request(session, step, n)
            body: dict[str, Any] = {
                "tool": req.tool, "command": req.command, "path": req.path,
                "connector": req.connector, "operation": req.operation,
                "resource": req.resource, "session": req.session,
                "payload": step.payload.decode() if step.payload is not None else None,
            }  # fmt: skip
            yield (
                (req.tenant, req.role, req.actor),
                {k: v for k, v in body.items() if v is not None},
            )


def send_workload(url: str, tokens: Mapping[tuple[str, str, str], str], part: int = 0,
                  parts: int = 1) -> Counter[str]:  # fmt: skip
    """POST this part of the demo workload; counts of (decision, outcome) as answered."""
    got: Counter[str] = Counter()
    with httpx.Client(base_url=url, timeout=180, trust_env=False) as client:
        for who, body in demo_bodies(part, parts):
            r = client.post("/v1/tool-calls", json=body,
                            headers={"authorization": f"Bearer {tokens[who]}"})  # fmt: skip
            assert r.status_code == 200, (who, body, r.status_code, r.text[:500])
            out = r.json()
            got[f"{out['decision']['decision']}/{out['outcome']}"] += 1
    return got
