"""Live gateways for the probe matrix, on loopback.

Two modes, picked by :func:`token_mode`:

* **operator mode** (today's gateway): one ``gonogo serve --tenant T`` per tenant, whose
  principal is its operator (with ``--insecure-dev`` where the serve command has that flag);
  requests carry ``GONOGO_GATEWAY_TOKEN`` as a bearer token when it is set;
* **token mode** (a gateway verifying JWTs, ``GONOGO_AUTH_ISSUER``/``GONOGO_AUTH_JWKS`` set):
  one ``gonogo serve`` for everyone, and each tenant's requests carry a token minted for it
  (``gonogo auth token --tenant T``, or the ``token_for`` given).

Each gateway is a separate process started with the same state directory and Redis as the rest
of the run, so probes go through the real HTTP stack, policy, agent, stores and redactor.
"""

from __future__ import annotations

import os
import secrets
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

from pipelines.settings import INSTANCE_ENV

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


_START_ATTEMPTS = 3


def _start(
    tenant: str, n: int, env: Mapping[str, str], who: list[str], logs: Path
) -> tuple[str, subprocess.Popen[bytes], int, str]:
    """One gateway on a free port, named by a fresh instance id its /healthz echoes."""
    port = _free_port()
    instance = secrets.token_hex(8)
    # In the cluster profile every process sharing the state directory is a replica with its
    # own chains (audit/<tenant>/<replica>/): the probe gateways too.
    replica = ["--replica-id", f"probe-{n}"] if env.get("GONOGO_PROFILE") == "cluster" else []
    cmd = [
        sys.executable, "-m", "gonogo", "serve", *who, *replica,
        "--host", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip
    with (logs / f"gateway-{tenant}-{n}.log").open("wb") as log:
        proc = subprocess.Popen(
            cmd, env={**env, INSTANCE_ENV: instance}, stdout=log, stderr=log,
            start_new_session=True,
        )  # fmt: skip
    return tenant, proc, port, instance


def _await(
    client: httpx.Client, proc: subprocess.Popen[bytes], port: int, instance: str, deadline: float
) -> str:
    """``up`` once this process answers on its port; ``exited``, ``taken`` (another process
    answers there) or ``timeout`` otherwise."""
    while True:
        if proc.poll() is not None:
            return "exited"
        try:
            r = client.get(f"http://127.0.0.1:{port}/healthz")
            if r.status_code == 200:
                return "up" if r.json().get("instance") == instance else "taken"
        except (httpx.HTTPError, ValueError):
            pass
        if time.monotonic() > deadline:
            return "timeout"
        time.sleep(0.1)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    _reap(proc)


def _reap(proc: subprocess.Popen[bytes]) -> None:
    """30 s to exit after its SIGTERM (sent once: a second one makes uvicorn skip its graceful
    shutdown, where the spool segment is sealed), then SIGKILL to its whole session."""
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def token_mode(env: Mapping[str, str]) -> bool:
    """A gateway that takes the tenant from verified tokens is configured (identity work)."""
    return bool(env.get("GONOGO_AUTH_ISSUER") or env.get("GONOGO_AUTH_JWKS"))


def _serve_flags(env: Mapping[str, str]) -> list[str]:
    """``--insecure-dev`` where ``gonogo serve`` needs it for an operator-configured tenant."""
    out = subprocess.run(
        [sys.executable, "-m", "gonogo", "serve", "--help"], env=dict(env),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return ["--insecure-dev"] if "--insecure-dev" in out.stdout else []


def minted_token(env: Mapping[str, str]) -> Callable[[str], str]:
    """``gonogo auth token --tenant T --role contributor`` for each tenant (token mode)."""

    def token(tenant: str) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "gonogo", "auth", "token", "--tenant", tenant,
             "--role", PROBE_ROLE, "--actor", PROBE_ACTOR],
            env=dict(env), capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        if out.returncode != 0 or not out.stdout.strip():
            raise FleetError(f"cannot mint a token for {tenant}: {out.stderr.strip()[-300:]}")
        return out.stdout.strip().splitlines()[-1]

    return token


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
    """A gateway per tenant (operator mode) or one for all (token mode); ``{tenant: target}``."""
    child_env = {**os.environ, **(env or {})}
    if not token_mode(child_env):
        with gateway_fleet_for(
            tenants, home, env=env, token_for=token_for, start_timeout=start_timeout
        ) as targets:
            yield {t.tenant: t for t in targets}
        return
    mint = token_for or minted_token(child_env)
    with gateway_fleet_for(
        [tenants[0]], home, env=env, start_timeout=start_timeout, operator=False
    ) as (one,):
        yield {t: Target(t, one.base_url, _auth_headers(t, mint)) for t in tenants}


@contextmanager
def gateway_fleet_for(
    tenants: list[str],
    home: Path,
    *,
    env: Mapping[str, str] | None = None,
    token_for: Callable[[str], str] | None = None,
    start_timeout: float = 120.0,
    log_dir: Path | None = None,
    operator: bool = True,
) -> Iterator[list[Target]]:
    """Start a gateway per entry of ``tenants`` (in parallel; a tenant may repeat: replicas);
    yield their targets in that order; stop them all."""
    procs: list[tuple[str, subprocess.Popen[bytes], int, str]] = []
    logs = log_dir or home / "evidence" / "isolation"
    logs.mkdir(parents=True, exist_ok=True)
    child_env = {**os.environ, **(env or {}), "GONOGO_HOME": str(home)}
    flags = _serve_flags(child_env) if operator else []

    def who(tenant: str) -> list[str]:
        # An operator's gateway acts as the tenant it serves; a token gateway as the caller.
        if not operator:
            return []
        return ["--tenant", tenant, "--role", PROBE_ROLE, "--actor", PROBE_ACTOR, *flags]

    try:
        for n, tenant in enumerate(tenants):
            procs.append(_start(tenant, n, child_env, who(tenant), logs))
        deadline = time.monotonic() + start_timeout
        with httpx.Client(timeout=5, trust_env=False) as client:
            for n in range(len(procs)):
                for attempt in range(_START_ATTEMPTS):
                    tenant, proc, port, instance = procs[n]
                    state = _await(client, proc, port, instance, deadline)
                    if state == "up":
                        break
                    # Another process holds the port (or took it first): a new port, a new try.
                    _stop(proc)
                    if attempt + 1 == _START_ATTEMPTS or state == "timeout":
                        tail = (logs / f"gateway-{tenant}-{n}.log").read_text(errors="replace")
                        raise FleetError(
                            f"gateway for {tenant} did not start ({state}): {tail[-800:]}"
                        )
                    procs[n] = _start(tenant, n, child_env, who(tenant), logs)
        targets = [
            Target(t, f"http://127.0.0.1:{port}", _auth_headers(t, token_for))
            for t, _, port, _ in procs
        ]
        yield targets
    finally:
        for _, proc, _, _ in procs:  # all told first, so they stop side by side
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for _, proc, _, _ in procs:
            _reap(proc)
