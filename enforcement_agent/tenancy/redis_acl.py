"""Per-tenant Redis ACL users, and a client per tenant authenticated as its own user.

The operator configures one admin URL (``GONOGO_REDIS_URL``, e.g.
``redis://gonogo-admin:PASSWORD@127.0.0.1:6379/0``). From it :class:`RedisTenancy` provisions,
for each tenant it is asked about, an ACL user ``gonogo-t-{tenant}`` that may touch only keys
``t:{tenant}:*`` (and channels of the same pattern) with only the commands the slots, rate
limits, job queue and cache need; keyspace-wide commands (``KEYS``, ``SCAN``, ``RANDOMKEY``,
``FLUSHDB``, ``SORT``, ``INFO``, ``CONFIG``, ``ACL`` …) are not granted, since key patterns do
not filter what they show or touch. Every tenant's data goes through :meth:`RedisTenancy.client`,
so a bug that builds tenant A's key on tenant B's connection is refused by Redis (``NOPERM``)
rather than served.

Tenant passwords are generated once and kept in a 0600 JSON file beside the state
(``credentials_path``); provisioning holds an exclusive ``flock`` on it so replicas sharing the
state agree on one password.
TODO(secret store): keep these passwords in the encrypted secret store of the identity work
(``gonogo secrets``) once it is on main, instead of this 0600 file.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis

from enforcement_agent.tenancy.keys import ADMIN_USER, acl_user, key_pattern

REDIS_URL_ENV = "GONOGO_REDIS_URL"
CREDENTIALS_FILE = "redis_acl.json"

# What a tenant's user may run; everything else is refused by Redis (-@all first).
TENANT_COMMANDS: tuple[str, ...] = (
    # connection housekeeping redis-py does on connect
    "ping", "echo", "time", "client|setname",
    # strings
    "get", "set", "getdel", "del", "unlink", "exists", "type", "expire", "pexpire", "ttl", "pttl",
    "incr", "incrby", "decr", "decrby",
    # hashes
    "hget", "hset", "hgetall", "hdel", "hincrby", "hmget",
    # lists (the limits library's moving window)
    "lpush", "rpush", "lrange", "lindex", "ltrim", "llen", "lpop", "rpop",
    # sorted sets (slot leases)
    "zadd", "zrem", "zcard", "zrange", "zrangebyscore", "zremrangebyscore", "zscore",
    # streams (the job queue)
    "xadd", "xlen", "xrange", "xrevrange", "xread", "xreadgroup", "xgroup|create",
    "xgroup|createconsumer", "xack", "xpending", "xautoclaim", "xclaim", "xdel", "xtrim",
    "xinfo|stream", "xinfo|groups",
    # scripts: commands inside a script are checked against the same key pattern
    "eval", "evalsha", "script|load", "script|exists",
    # transactions (redis-py pipelines)
    "multi", "exec", "discard", "watch", "unwatch",
)  # fmt: skip


class RedisConfigError(RuntimeError):
    """The Redis seam is misconfigured (bad URL, unreadable credentials file)."""


def acl_rules(tenant: str, password: str) -> list[str]:
    """``ACL SETUSER`` arguments: only this tenant's keys and channels, only these commands."""
    return [
        "reset",
        "on",
        f">{password}",
        f"~{key_pattern(tenant)}",
        "resetchannels",
        f"&{key_pattern(tenant)}",
        "-@all",
        *(f"+{c}" for c in TENANT_COMMANDS),
    ]


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise RedisConfigError(f"{REDIS_URL_ENV} must be a redis:// or rediss:// URL")
    host = parts.hostname or "127.0.0.1"
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


@dataclass
class RedisTenancy:
    """The admin connection, the tenants' credentials, and one client per tenant."""

    url: str
    credentials_path: Path
    socket_timeout: float = 10.0
    _clients: dict[str, redis.Redis] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _admin: redis.Redis | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._base_url = _without_credentials(self.url)

    @classmethod
    def from_env(cls, state_dir: Path) -> RedisTenancy | None:
        """From ``GONOGO_REDIS_URL`` (``None`` when unset: the embedded in-process default)."""
        url = os.environ.get(REDIS_URL_ENV, "").strip()
        return cls(url, state_dir / CREDENTIALS_FILE) if url else None

    @property
    def address(self) -> str:
        """The server's URL without any credentials (safe to log and record)."""
        return self._base_url

    def admin(self) -> redis.Redis:
        if self._admin is None:
            self._admin = redis.Redis.from_url(
                self.url, socket_timeout=self.socket_timeout, decode_responses=False
            )
        return self._admin

    def client(self, tenant: str) -> redis.Redis:
        """A client authenticated as ``tenant``'s own ACL user (provisioned on first use)."""
        user = acl_user(tenant)  # validates the tenant id
        with self._lock:
            found = self._clients.get(tenant)
            if found is not None:
                return found
            password = self.provision(tenant)
            client = redis.Redis.from_url(
                self._base_url,
                username=user,
                password=password,
                socket_timeout=self.socket_timeout,
                decode_responses=False,
            )
            self._clients[tenant] = client
            return client

    def provision(self, tenant: str) -> str:
        """Create (or re-assert) ``tenant``'s ACL user; returns its password."""
        user = acl_user(tenant)
        with self._credentials() as creds:
            password = creds.get(tenant)
            if password is None:
                password = secrets.token_urlsafe(32)
                creds[tenant] = password
            self.admin().execute_command(  # type: ignore[no-untyped-call]
                "ACL", "SETUSER", user, *acl_rules(tenant, password)
            )
        return password

    def tenants(self) -> list[str]:
        """Tenants with stored credentials (provisioned by this state directory)."""
        with self._credentials() as creds:
            return sorted(creds)

    def acl_list(self) -> list[str]:
        """``ACL LIST`` as text lines (passwords appear only as sha256 hashes there)."""
        return [
            line.decode() if isinstance(line, bytes) else str(line)
            for line in self.admin().execute_command("ACL", "LIST")  # type: ignore[no-untyped-call]
        ]

    def close(self) -> None:
        with self._lock:
            for c in self._clients.values():
                c.close()
            self._clients.clear()
            if self._admin is not None:
                self._admin.close()
                self._admin = None

    @contextmanager
    def _credentials(self) -> Iterator[dict[str, str]]:
        """The tenants' passwords, read and (when changed) rewritten under an exclusive flock."""
        path = self.credentials_path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            st = os.fstat(fd)
            if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
                raise RedisConfigError(
                    f"{path} is readable by group/others (mode {oct(st.st_mode & 0o777)}); "
                    "chmod 600 it"
                )
            raw = b""
            while chunk := os.read(fd, 65536):
                raw += chunk
            data = _parse_credentials(path, raw)
            before = dict(data)
            yield data
            if data != before:
                body = json.dumps({"tenants": data}, sort_keys=True).encode()
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                os.write(fd, body)
                os.fsync(fd)
        finally:
            os.close(fd)


def _parse_credentials(path: Path, raw: bytes) -> dict[str, str]:
    if not raw.strip():
        return {}
    try:
        doc: Any = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise RedisConfigError(f"{path}: not JSON ({exc.msg})") from None
    tenants = doc.get("tenants") if isinstance(doc, dict) else None
    if not isinstance(tenants, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in tenants.items()
    ):
        raise RedisConfigError(f"{path}: expected {{'tenants': {{tenant: password}}}}")
    return dict(tenants)


__all__ = [
    "ADMIN_USER",
    "CREDENTIALS_FILE",
    "REDIS_URL_ENV",
    "TENANT_COMMANDS",
    "RedisConfigError",
    "RedisTenancy",
    "acl_rules",
]
