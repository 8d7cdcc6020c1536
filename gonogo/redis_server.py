"""A private ``redis-server`` on a loopback port, with ACLs: for the demo, tests and benchmarks.

Production points ``GONOGO_REDIS_URL`` at its own Redis; the embedded default needs none. This
starts Debian's ``redis-server`` with no persistence, the ``default`` user switched off and one
admin user (``gonogo-admin``) whose random password is in the URL it yields. Tenant users are
added later by ``RedisTenancy.provision``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from enforcement_agent.tenancy.keys import ADMIN_USER

REDIS_SERVER = "redis-server"


class RedisUnavailable(RuntimeError):
    """``redis-server`` is not installed or did not come up."""


def redis_server_path() -> str | None:
    return shutil.which(REDIS_SERVER) or (
        "/usr/bin/redis-server" if os.access("/usr/bin/redis-server", os.X_OK) else None
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ping(port: int, password: str) -> bool:
    import redis

    try:
        client = redis.Redis(
            host="127.0.0.1", port=port, username=ADMIN_USER, password=password, socket_timeout=2
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        return False


@contextmanager
def local_redis(workdir: Path | None = None, *, start_timeout: float = 30.0) -> Iterator[str]:
    """Run ``redis-server`` on 127.0.0.1:<free port>; yields the admin URL; stops it after."""
    binary = redis_server_path()
    if binary is None:
        raise RedisUnavailable("redis-server is not installed (Debian package redis-server)")
    with tempfile.TemporaryDirectory(prefix="gonogo-redis-", dir=workdir) as tmp:
        folder = Path(tmp)
        password = secrets.token_urlsafe(24)
        acl = folder / "users.acl"
        acl.write_text(f"user default off\nuser {ADMIN_USER} on >{password} ~* &* +@all\n")
        acl.chmod(0o600)
        port = _free_port()
        proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--protected-mode",
                "yes",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(folder),
                "--aclfile",
                str(acl),
                "--logfile",
                str(folder / "redis.log"),
            ],  # fmt: skip
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + start_timeout
            while not _ping(port, password):
                if proc.poll() is not None:
                    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                    log = folder / "redis.log"
                    tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
                    raise RedisUnavailable(f"redis-server exited {proc.returncode}: {err}{tail}")
                if time.monotonic() > deadline:
                    raise RedisUnavailable(f"redis-server did not answer within {start_timeout}s")
                time.sleep(0.05)
            yield f"redis://{ADMIN_USER}:{password}@127.0.0.1:{port}/0"
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
            if proc.stderr is not None:
                proc.stderr.close()


@contextmanager
def shared_redis_for_run(evidence_dir: Path, name: str) -> Iterator[str | None]:
    """Redis for a whole run (the demo): ``GONOGO_REDIS_URL`` if set, else a private server
    when ``redis-server`` is installed, else ``None`` (the in-process default). Every key
    written meanwhile is recorded to ``evidence/redis_keys/<name>.json`` for the namespace
    audit."""
    import redis as redis_lib

    from enforcement_agent.tenancy.key_recorder import KeyRecorder
    from enforcement_agent.tenancy.redis_acl import REDIS_URL_ENV

    configured = os.environ.get(REDIS_URL_ENV, "").strip()
    with contextlib.ExitStack() as stack:
        if configured:
            url = configured
        elif redis_server_path() is not None:
            url = stack.enter_context(local_redis())
        else:
            yield None
            return
        from enforcement_agent.sandbox.concurrency import LIMITER

        os.environ[REDIS_URL_ENV] = url
        stack.callback(_restore_env, REDIS_URL_ENV, configured)
        stack.callback(LIMITER.use, None)  # agents built meanwhile may have installed Redis slots
        admin = redis_lib.Redis.from_url(url, socket_timeout=10)
        stack.callback(admin.close)
        recorder = KeyRecorder(admin, evidence_dir / "redis_keys" / f"{name}.json").start()
        stack.callback(recorder.stop)
        yield url


def _restore_env(name: str, value: str) -> None:
    if value:
        os.environ[name] = value
    else:
        os.environ.pop(name, None)
