"""Shared value types of the enforcement path: requests, decisions, limits, results.

Every component (policy, sandbox, file tools, connectors, redaction, telemetry, integrations)
speaks these types, so they stay small, immutable and free of behaviour beyond validation.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from enforcement_agent.lazy_regex import lazy_compile

# Version and variant bits of a random (version 4, RFC 4122) UUID.
_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


def new_decision_id() -> str:
    """``uuid.uuid4().hex``, without building a UUID object or importing ``uuid``.

    Half the cost on every decision, and ``uuid`` imports ``platform`` (a hook process pays
    every import on every tool call).
    """
    return f"{int.from_bytes(os.urandom(16)) & _UUID4_CLEAR | _UUID4_SET:032x}"


TOOLS = ("exec", "read", "write", "list", "connector")
ROLES = ("viewer", "contributor", "maintainer", "admin")
# Tenant ids become path components and key prefixes; keep them boring on purpose.
_TENANT_RE = lazy_compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_MAX_FIELD = 64 * 1024


class RequestError(ValueError):
    """A tool request that cannot even be evaluated (the enforcement path denies it)."""


class Verdict(StrEnum):
    ALLOW = "allow"
    DENY = "deny"
    ASK = "ask"


class Outcome(StrEnum):
    """What happened to a tool call, as telemetry and evidence record it."""

    SUCCESS = "success"
    FAILURE = "failure"
    TIMEOUT = "timeout"
    KILLED = "killed"
    LIMIT = "limit"
    DENIED = "denied"
    ERROR = "error"


def valid_tenant(tenant: str) -> bool:
    return bool(_TENANT_RE.match(tenant))


@dataclass(frozen=True, slots=True)
class ToolRequest:
    """One agent tool call, as the operator's integration hands it to the enforcement agent.

    ``role`` comes from the operator's configuration (token, CLI flag), never from the agent.
    """

    tenant: str
    actor: str
    role: str
    tool: str
    command: str | None = None
    path: str | None = None
    connector: str | None = None
    operation: str | None = None
    resource: str | None = None
    session: str | None = None
    # What a `write` puts into the file (the file tool's new text, or an edit's new strings),
    # when the integration knows it: judged like a shell line that writes the file (a
    # fifteenth red-team pass). Not recorded; None when unknown.
    content: str | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.tenant, str) or not valid_tenant(self.tenant):
            raise RequestError(f"invalid tenant id {self.tenant!r}")
        if not isinstance(self.actor, str) or not self.actor:
            raise RequestError("actor is required")
        if self.role not in ROLES:
            raise RequestError(f"unknown role {self.role!r}; expected one of {', '.join(ROLES)}")
        if self.tool not in TOOLS:
            raise RequestError(f"unknown tool {self.tool!r}; expected one of {', '.join(TOOLS)}")
        for name in ("command", "path", "connector", "operation", "resource", "session"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise RequestError(f"{name} must be a string")
            if value is not None and len(value) > _MAX_FIELD:
                raise RequestError(f"{name} is longer than {_MAX_FIELD} bytes")
        if self.content is not None and not isinstance(self.content, str):
            raise RequestError("content must be a string")
        if self.tool == "exec" and not self.command:
            raise RequestError("exec requires 'command'")
        if self.tool in ("read", "write", "list") and self.path is None:
            raise RequestError(f"{self.tool} requires 'path'")
        if self.tool == "connector" and not (self.connector and self.operation):
            raise RequestError("connector requires 'connector' and 'operation'")

    @classmethod
    def from_json(cls, data: Any) -> ToolRequest:
        if not isinstance(data, dict):
            raise RequestError("request must be a JSON object")
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(data) - known)
        if unknown:
            raise RequestError(f"unknown request field(s): {', '.join(unknown)}")
        missing = [f for f in ("tenant", "actor", "role", "tool") if f not in data]
        if missing:
            raise RequestError(f"missing request field(s): {', '.join(missing)}")
        return cls(**data)

    def to_json(self) -> dict[str, Any]:
        # (a write's content stays out of the records: it may be large or hold secrets)
        return {k: v for k, v in asdict(self).items() if v is not None and k != "content"}

    @property
    def target(self) -> str:
        """The thing acted on, for display and digests (may contain secrets: redact first)."""
        if self.tool == "exec":
            return self.command or ""
        if self.tool == "connector":
            return f"{self.connector}:{self.operation} {self.resource or ''}".strip()
        return self.path or ""


@dataclass(frozen=True, slots=True)
class Decision:
    """The policy's answer. ``to_json`` is the wire format of ``gonogo policy eval``."""

    decision: Verdict
    rule: str
    reason: str
    decision_id: str
    policy_version: str
    destructive: bool = False
    eval_ns: int = 0

    @property
    def allowed(self) -> bool:
        return self.decision is Verdict.ALLOW

    def to_json(self) -> dict[str, Any]:
        return {
            "decision": self.decision.value,
            "rule": self.rule,
            "reason": self.reason,
            "decision_id": self.decision_id,
            "policy_version": self.policy_version,
        }


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits for one tool call; ``None`` means the policy sets no limit."""

    cpu_seconds: int | None = 30
    memory_bytes: int | None = 512 * 1024 * 1024
    wall_seconds: float | None = 60.0
    output_bytes: int | None = 1024 * 1024
    file_bytes: int | None = 64 * 1024 * 1024
    # What one run may take from the workspace's file system, in bytes and in files (inodes),
    # measured as the free space lost while it runs (a forty-eighth red-team pass: one run
    # filled the file system that also holds the decision log). See the sandbox runner.
    disk_bytes: int | None = 8 * 1024 * 1024 * 1024
    disk_files: int | None = 1_000_000
    processes: int | None = 64
    concurrency_per_tenant: int | None = 4
    concurrency_per_tool: int | None = 8
    queue_timeout_seconds: float = 5.0
    network_allow: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class ToolResult:
    """What the caller (agent) gets back: output is already redacted."""

    decision: Decision
    outcome: Outcome
    output: bytes = b""
    exit_code: int | None = None
    duration_ms: float = 0.0
    bytes_out: int = 0
    truncated: bool = False
    sandbox_layer: str = "none"
    detail: str = ""
    # The sandbox hid something from the command beyond the usual masks (a git store that
    # holds a secret): the outcome is recorded beside the decision, with ``detail`` saying why.
    sandbox_hid: bool = False
