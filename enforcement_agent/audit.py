"""Decision records: one hash-chained, fsynced JSON line per tool call, written before acting.

Layout: ``<audit_dir>/<tenant>/decisions.jsonl`` (one record per line) beside
``decisions.head`` (sequence number and hash of the last record, rewritten atomically after
each append so truncation at the end of the log is detectable) and ``.lock`` (the
inter-process lock). Records are OPA-decision-log-like and self-describing; the raw input is
never stored, only its sha256 digest and a redacted, normalized target.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from enforcement_agent.models import Decision, ToolRequest, valid_tenant

SCHEMA = "gonogo.decision/v1"
GENESIS = "0" * 64
LOG_NAME = "decisions.jsonl"
HEAD_NAME = "decisions.head"
LOCK_NAME = ".lock"
_MAX_TARGET = 1024
_TAIL_CHUNK = 64 * 1024
RECORD_FIELDS = (
    "schema",
    "seq",
    "decision_id",
    "timestamp",
    "tenant_id",
    "actor",
    "role",
    "tool",
    "session_id",
    "input_digest",
    "target",
    "result",
    "rule",
    "reason",
    "policy_revision",
    "eval_us",
    "destructive",
    "prev_hash",
)

# Used only when the shared redaction package cannot be imported at all.
_FALLBACK_SECRETS = re.compile(
    r"(?i)(?:(?<=[=:\s])|^)(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}"
    r"|AKIA[0-9A-Z]{16}|sk-[A-Za-z0-9_-]{20,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+"
    r"|[A-Za-z0-9+/_-]{40,}={0,2})"
)
_FALLBACK_ASSIGN = re.compile(
    r"(?i)((?:password|passwd|secret|token|api[_-]?key|authorization|bearer|credential)s?[\"']?\s*[=:]\s*[\"']?)([^\s\"'&]+)"
)


class AuditWriteError(Exception):
    """The record could not be written; the caller must not act (no record, no action)."""


@dataclass
class TenantVerify:
    tenant: str
    records: int = 0
    errors: list[str] = field(default_factory=list)
    last_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class VerifyReport:
    tenants: dict[str, TenantVerify] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tenants.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "tenants": {
                name: {
                    "ok": t.ok,
                    "records": t.records,
                    "errors": t.errors,
                    "last_hash": t.last_hash,
                }
                for name, t in sorted(self.tenants.items())
            },
        }


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def record_hash(record: dict[str, Any]) -> str:
    """sha256 over the canonical JSON of every field except ``hash`` itself."""
    return hashlib.sha256(canonical({k: v for k, v in record.items() if k != "hash"})).hexdigest()


def redact_target(text: str) -> str:
    """Redact through the shared redactor; any failure there raises (callers fail closed)."""
    try:
        from enforcement_agent.redaction import get_redactor
    except ImportError:
        return _fallback_redact(text)
    return get_redactor().redact_text(text)


def _fallback_redact(text: str) -> str:
    def mark(value: str) -> str:
        return f"[REDACTED:fallback:{hashlib.sha256(value.encode()).hexdigest()[:8]}]"

    text = _FALLBACK_ASSIGN.sub(lambda m: m.group(1) + mark(m.group(2)), text)
    return _FALLBACK_SECRETS.sub(lambda m: mark(m.group(0)), text)


def normalized_target(req: ToolRequest) -> str:
    target = " ".join(req.target.split())
    if len(target) > _MAX_TARGET:
        target = target[: _MAX_TARGET - 1] + "…"
    return target


class DecisionLog:
    """Appends decision records; thread-safe in-process and process-safe through ``flock``."""

    def __init__(self, audit_dir: Path | str) -> None:
        self.audit_dir = Path(audit_dir)
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _thread_lock(self, tenant: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(tenant, threading.Lock())

    def append(
        self, req: ToolRequest, decision: Decision, extra: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Write and fsync one record for ``req``/``decision``; raises :class:`AuditWriteError`."""
        try:
            return self._append(req, decision, extra)
        except AuditWriteError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure means no record
            raise AuditWriteError(
                f"decision record not written: {type(exc).__name__}: {exc}"
            ) from exc

    def _append(
        self, req: ToolRequest, decision: Decision, extra: dict[str, Any] | None
    ) -> dict[str, Any]:
        tenant = req.tenant
        if not valid_tenant(tenant):
            raise AuditWriteError(f"invalid tenant id {tenant!r}")
        try:
            target = redact_target(normalized_target(req))
        except Exception as exc:  # noqa: BLE001 - the redactor failing must not leak the target
            raise AuditWriteError(
                f"redaction failed, record refused: {type(exc).__name__}"
            ) from exc
        body = {
            "schema": SCHEMA,
            "decision_id": decision.decision_id,
            "tenant_id": tenant,
            "actor": req.actor,
            "role": req.role,
            "tool": req.tool,
            "session_id": req.session,
            "input_digest": hashlib.sha256(canonical(req.to_json())).hexdigest(),
            "target": target,
            "result": decision.decision.value,
            "rule": decision.rule,
            "reason": redact_target(decision.reason),
            "policy_revision": decision.policy_version,
            "eval_us": round(decision.eval_ns / 1000, 3),
            "destructive": decision.destructive,
        }
        if extra:
            clash = set(extra) & (set(RECORD_FIELDS) | {"hash"})
            if clash:
                raise AuditWriteError(
                    f"extra fields may not replace record fields: {sorted(clash)}"
                )
            body.update(extra)
        tdir = self.audit_dir / tenant
        with self._thread_lock(tenant):
            created = not tdir.exists()
            tdir.mkdir(parents=True, exist_ok=True)
            if created:
                _fsync_dir(tdir.parent)
            with open(tdir / LOCK_NAME, "a+b") as lock:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
                try:
                    return self._write_locked(tdir, body)
                finally:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _write_locked(self, tdir: Path, body: dict[str, Any]) -> dict[str, Any]:
        log = tdir / LOG_NAME
        prev_hash, prev_seq, needs_newline = _tail(log)
        record = dict(body)
        record["seq"] = prev_seq + 1
        record["timestamp"] = (
            datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
        )
        record["prev_hash"] = prev_hash
        record["hash"] = record_hash(record)
        line = canonical(record) + b"\n"
        if needs_newline:
            line = b"\n" + line  # a torn last line stays visible to verify, on its own line
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise AuditWriteError("short write to the decision log")
            os.fsync(fd)
        finally:
            os.close(fd)
        _write_head(tdir, record["seq"], record["hash"])
        return record


def _tail(log: Path) -> tuple[str, int, bool]:
    """Hash and seq of the last complete record, and whether the file ends mid-line."""
    try:
        size = log.stat().st_size
    except FileNotFoundError:
        return GENESIS, 0, False
    if size == 0:
        return GENESIS, 0, False
    with open(log, "rb") as f:
        offset = max(0, size - _TAIL_CHUNK)
        while True:
            f.seek(offset)
            chunk = f.read(size - offset)
            lines = chunk.split(b"\n")
            torn = not chunk.endswith(b"\n")
            candidates = lines[1:] if offset > 0 else lines
            for raw in reversed(candidates):
                if not raw.strip():
                    continue
                try:
                    rec = json.loads(raw)
                except ValueError:
                    continue
                if (
                    isinstance(rec, dict)
                    and isinstance(rec.get("hash"), str)
                    and isinstance(rec.get("seq"), int)
                ):
                    return rec["hash"], rec["seq"], torn
            if offset == 0:
                raise AuditWriteError(f"{log} holds no valid record to chain to")
            offset = max(0, offset - _TAIL_CHUNK)


def _write_head(tdir: Path, seq: int, digest: str) -> None:
    tmp = tdir / f".{HEAD_NAME}.{os.getpid()}.{threading.get_ident()}.tmp"
    data = canonical({"seq": seq, "hash": digest, "updated": time.time()})
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, tdir / HEAD_NAME)
    _fsync_dir(tdir)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---- reading and verifying ------------------------------------------------------------------
def _tenant_dirs(audit_dir: Path) -> list[Path]:
    if not audit_dir.is_dir():
        return []
    return sorted(d for d in audit_dir.iterdir() if d.is_dir() and (d / LOG_NAME).exists())


def _scan(tdir: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None, bool]]:
    """(line number, record or None, problem or None, chain_ok) for every line of a tenant log."""
    prev_hash = GENESIS
    prev_seq = 0
    with open(tdir / LOG_NAME, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:
        pass  # the last line has no newline: torn write, reported below
    for n, raw in enumerate(lines, 1):
        try:
            rec = json.loads(raw)
        except ValueError:
            yield n, None, f"line {n}: not a complete JSON record (truncated or corrupted)", False
            continue
        if not isinstance(rec, dict):
            yield n, None, f"line {n}: not a JSON object", False
            continue
        problems = []
        missing = [k for k in (*RECORD_FIELDS, "hash") if k not in rec]
        if missing:
            problems.append(f"missing fields {', '.join(missing)}")
        if rec.get("hash") != record_hash(rec):
            problems.append("hash does not match the record (tampered)")
        if rec.get("prev_hash") != prev_hash:
            problems.append(
                "prev_hash does not link to the previous record (missing, inserted or reordered records)"
            )
        seq = rec.get("seq")
        if seq != prev_seq + 1:
            problems.append(f"seq {seq} follows seq {prev_seq} (missing or reordered records)")
        if rec.get("tenant_id") != tdir.name:
            problems.append(
                f"tenant_id {rec.get('tenant_id')!r} in the log of tenant {tdir.name!r}"
            )
        yield n, rec, (f"line {n}: " + "; ".join(problems)) if problems else None, not problems
        if isinstance(rec.get("hash"), str):
            prev_hash = rec["hash"]
        if isinstance(seq, int):
            prev_seq = seq
    if data and not data.endswith(b"\n"):
        yield len(lines), None, "the log ends in the middle of a record (truncated write)", False


def verify(audit_dir: Path | str) -> VerifyReport:
    """Check every tenant chain: tampered, missing, reordered and truncated records."""
    report = VerifyReport()
    for tdir in _tenant_dirs(Path(audit_dir)):
        tv = TenantVerify(tdir.name)
        last_seq = 0
        seen_problem: set[str] = set()
        for _n, rec, problem, _ok in _scan(tdir):
            if rec is not None:
                tv.records += 1
                tv.last_hash = str(rec.get("hash", ""))
                last_seq = rec.get("seq", last_seq) if isinstance(rec.get("seq"), int) else last_seq
            if problem and problem not in seen_problem:
                seen_problem.add(problem)
                tv.errors.append(problem)
        head_path = tdir / HEAD_NAME
        try:
            head = json.loads(head_path.read_text())
            if head.get("seq", 0) > last_seq:
                tv.errors.append(
                    f"log ends at seq {last_seq} but the head says {head.get('seq')}: records were removed from the end"
                )
            elif head.get("seq") == last_seq and head.get("hash") != tv.last_hash:
                tv.errors.append(
                    "the last record's hash differs from the head (tampered or replaced)"
                )
        except FileNotFoundError:
            if tv.records:
                tv.errors.append("decisions.head is missing (cannot rule out truncation)")
        except (ValueError, AttributeError):
            tv.errors.append("decisions.head is corrupted")
        report.tenants[tdir.name] = tv
    return report


def iter_records(audit_dir: Path | str) -> Iterator[dict[str, Any]]:
    """Every readable record of every tenant, in log order, with ``chain_ok`` for ingestion."""
    for tdir in _tenant_dirs(Path(audit_dir)):
        for _n, rec, _problem, ok in _scan(tdir):
            if rec is not None:
                yield {**rec, "chain_ok": ok}


def new_decision_id() -> str:
    return uuid.uuid4().hex
