"""Live gateways for the probe matrix: one ``gonogo serve`` per tenant on loopback.

Each gateway is a separate process (the operator mode of today's gateway: the principal's
tenant is its operator's), started with the same state directory and Redis as the rest of the
run, so probes go through the real HTTP stack, policy, agent, stores and redactor. When the
gateway requires a bearer token (``GONOGO_GATEWAY_TOKEN``), every request carries it;
``token_for`` supplies a per-tenant token for a gateway that takes the tenant from its token.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

PROBE_ROLE = "contributor"
PROBE_ACTOR = "isolation-probe"
GATEWAY_TOKEN_ENV = "GONOGO_GATEWAY_TOKEN"


class FleetError(RuntimeError):
    """A gateway did not start."""


@dataclass(frozen=True)
class Target:
    """Where to reach the gateway as ``tenant``, and the headers that authenticate it."""

    tenant: str
    base_url: str
    headers: Mapping[str, str] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _auth_headers(tenant: str, token_for: Callable[[str], str] | None) -> dict[str, str]:
    token = token_for(tenant) if token_for is not None else os.environ.get(GATEWAY_TOKEN_ENV)
    return {"Authorization": f"Bearer {token}"} if token else {}


@contextmanager
def gateway_fleet(
    tenants: list[str],
    home: Path,
    *,
    env: Mapping[str, str] | None = None,
    token_for: Callable[[str], str] | None = None,
    start_timeout: float = 120.0,
) -> Iterator[dict[str, Target]]:
    """One gateway per tenant; yields ``{tenant: target}``."""
    with gateway_fleet_for(
        tenants, home, env=env, token_for=token_for, start_timeout=start_timeout
    ) as targets:
        yield {t.tenant: t for t in targets}


@contextmanager
def gateway_fleet_for(
    tenants: list[str],
    home: Path,
    *,
    env: Mapping[str, str] | None = None,
    token_for: Callable[[str], str] | None = None,
    start_timeout: float = 120.0,
    log_dir: Path | None = None,
) -> Iterator[list[Target]]:
    """Start a gateway per entry of ``tenants`` (in parallel; a tenant may repeat: replicas);
    yield their targets in that order; stop them all."""
    procs: list[tuple[str, subprocess.Popen[bytes], int]] = []
    logs = log_dir or home / "evidence" / "isolation"
    logs.mkdir(parents=True, exist_ok=True)
    child_env = {**os.environ, **(env or {}), "GONOGO_HOME": str(home)}
    try:
        for n, tenant in enumerate(tenants):
            port = _free_port()
            log_path = logs / f"gateway-{tenant}-{n}.log"
            log = log_path.open("wb")
            cmd = [
                sys.executable, "-m", "gonogo", "serve", "--tenant", tenant,
                "--role", PROBE_ROLE, "--actor", PROBE_ACTOR,
                "--host", "127.0.0.1", "--port", str(port),
            ]  # fmt: skip
            proc = subprocess.Popen(
                cmd, env=child_env, stdout=log, stderr=log, start_new_session=True
            )
            procs.append((tenant, proc, port))
            log.close()
        targets = [
            Target(t, f"http://127.0.0.1:{port}", _auth_headers(t, token_for))
            for t, _, port in procs
        ]
        deadline = time.monotonic() + start_timeout
        with httpx.Client(timeout=5, trust_env=False) as client:
            for n, ((tenant, proc, _), target) in enumerate(zip(procs, targets, strict=True)):
                while True:
                    if proc.poll() is not None:
                        log_path = logs / f"gateway-{tenant}-{n}.log"
                        tail = log_path.read_text(errors="replace")[-800:]
                        raise FleetError(f"gateway for {tenant} exited {proc.returncode}: {tail}")
                    try:
                        if client.get(target.base_url + "/healthz").status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    if time.monotonic() > deadline:
                        raise FleetError(f"gateway for {tenant} did not start in {start_timeout}s")
                    time.sleep(0.1)
        yield targets
    finally:
        for _, proc, _ in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for _, proc, _ in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
