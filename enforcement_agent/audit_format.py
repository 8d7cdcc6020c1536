"""The on-disk format of decision records: names, hashing, bounded line reading, heads, locks.

Shared by the writer (``audit.py``) and the verifier (``audit_verify.py``) so both read the
same bytes the same way. Every reader here is bounded: a line longer than any record can be is
never held in memory, malformed JSON (deeply nested, non-UTF-8, lone surrogates) becomes a
one-line problem, and a symlink where a log, head or lock should be is refused.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import stat
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from enforcement_agent.lazy_regex import lazy_compile

SCHEMA = "gonogo.decision/v1"
SEAL_SCHEMA = "gonogo.seal/v1"
GENESIS = "0" * 64
LOG_NAME = "decisions.jsonl"
HEAD_NAME = "decisions.head"
LOCK_NAME = ".lock"
# A second copy of the head the writer keeps (not fsynced: after a crash it is at most behind):
# a head rolled back together with its log is still behind this high-water mark.
WITNESS_NAME = ".witness"
SEGMENTS_DIR = "segments"
SEALING_NAME = ".decisions.jsonl.sealing"
# One tenant per line, appended when a tenant's directory is first created, so a tenant whose
# whole directory disappears is still named by ``verify``.
TENANTS_NAME = ".tenants"
# Several gateway replicas: each writes its own chain per tenant, ``<tenant>/<replica>/`` (the
# same files as a tenant's own chain), named in ``<tenant>/.replicas`` when created. A chain
# has one writer: the replica holds ``.writer`` (an exclusive ``flock``) while it lives.
REPLICAS_NAME = ".replicas"
WRITER_NAME = ".writer"
_REPLICA_RE = lazy_compile(r"^[a-z0-9][a-z0-9-]{0,31}$")


def valid_replica(replica: str) -> bool:
    """A replica id: 1-32 of ``a-z0-9-``; never a name the chain's own files use."""
    return bool(_REPLICA_RE.match(replica)) and replica != SEGMENTS_DIR


# A record is a few KB (targets are capped at 1 KiB); a line longer than this is not a record.
MAX_RECORD_BYTES = 256 * 1024
MAX_HEAD_BYTES = 4096
_READ_CHUNK = 64 * 1024
SEGMENT_RE = lazy_compile(r"^(\d{6,12})\.jsonl$")
_HASH_RE = lazy_compile(r"^[0-9a-f]{64}$")

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
SEAL_FIELDS = (
    "schema",
    "seq",
    "timestamp",
    "tenant_id",
    "sealed_segment",
    "sealed_sha256",
    "sealed_bytes",
    "sealed_last_seq",
    "torn",
    "sealed_by",
    "reason",
    "prev_hash",
)


class RecordError(ValueError):
    """A line that is not a well-formed record; the message is one line, for ``verify``."""


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def record_hash(record: dict[str, Any]) -> str:
    """sha256 over the canonical JSON of every field except ``hash`` itself."""
    return hashlib.sha256(canonical({k: v for k, v in record.items() if k != "hash"})).hexdigest()


def is_hash(value: object) -> bool:
    return isinstance(value, str) and bool(_HASH_RE.match(value))


def is_seq(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def now_iso() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Line:
    """One line of a log. ``raw`` is ``None`` when the line was too long to be a record."""

    number: int
    offset: int
    raw: bytes | None
    length: int
    sha256: str
    terminated: bool


def read_lines(f: IO[bytes], whole: Any = None, limit: int | None = None) -> Iterator[Line]:
    """Every line of ``f`` (its first ``limit`` bytes) in bounded memory.

    ``whole`` (a hashlib object) sees every byte read.
    """
    number = 0
    offset = 0

    def take(n: int) -> bytes:
        if limit is not None:
            n = min(n, limit - offset)
            if n <= 0:
                return b""
        return f.readline(n)

    while True:
        piece = take(MAX_RECORD_BYTES + 1)
        if not piece:
            return
        number += 1
        start = offset
        digest = hashlib.sha256()
        # readline stops at a newline, the limit or EOF: only the limit means "too long".
        kept: bytes | None = (
            piece if piece.endswith(b"\n") or len(piece) <= MAX_RECORD_BYTES else None
        )
        length = 0
        terminated = False
        while True:
            if whole is not None:
                whole.update(piece)
            offset += len(piece)
            terminated = piece.endswith(b"\n")
            body = piece[:-1] if terminated else piece
            digest.update(body)
            length += len(body)
            if terminated or kept is not None:
                break
            piece = take(_READ_CHUNK)
            if not piece:
                break
        raw = None if kept is None else (kept[:-1] if terminated else kept)
        yield Line(number, start, raw, length, digest.hexdigest(), terminated)


def parse_record(line: Line) -> dict[str, Any]:
    """The JSON object on ``line`` (raises :class:`RecordError` with a one-line reason)."""
    if line.raw is None:
        raise RecordError(
            f"{line.length} bytes, longer than any record can be ({MAX_RECORD_BYTES} bytes)"
        )
    try:
        rec = json.loads(line.raw)
    except (ValueError, RecursionError):
        raise RecordError("not a complete JSON record (torn write or garbage)") from None
    if not isinstance(rec, dict):
        raise RecordError("not a JSON object")
    return rec


def record_problems(rec: dict[str, Any], prev_hash: str, prev_seq: int, tenant: str) -> list[str]:
    """Why ``rec`` does not belong at this point of ``tenant``'s chain (empty when it does)."""
    problems: list[str] = []
    schema = rec.get("schema")
    fields = SEAL_FIELDS if schema == SEAL_SCHEMA else RECORD_FIELDS
    if schema not in (SCHEMA, SEAL_SCHEMA):
        problems.append(f"unknown schema {str(schema)[:40]!r}")
    missing = [k for k in (*fields, "hash") if k not in rec]
    if missing:
        problems.append(f"missing fields {', '.join(missing)}")
    try:
        hash_ok = is_hash(rec.get("hash")) and rec.get("hash") == record_hash(rec)
    except (ValueError, TypeError, RecursionError):
        hash_ok = False
    if not hash_ok:
        problems.append("hash does not match the record (tampered)")
    if rec.get("prev_hash") != prev_hash:
        problems.append(
            "prev_hash does not link to the previous record (missing, inserted or reordered records)"
        )
    seq = rec.get("seq")
    if not is_seq(seq) or seq != prev_seq + 1:
        shown = seq if is_seq(seq) else repr(seq)[:20]
        problems.append(f"seq {shown} follows seq {prev_seq} (missing or reordered records)")
    if rec.get("tenant_id") != tenant:
        problems.append(
            f"tenant_id {str(rec.get('tenant_id'))[:64]!r} in the log of tenant {tenant!r}"
        )
    return problems


# ---- heads ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Head:
    """A chain's head: the last record's sequence number and hash."""

    seq: int
    hash: str


class HeadError(ValueError):
    """``decisions.head`` exists but is not a head (one-line reason)."""


def open_regular(path: Path | str, flags: int, mode: int = 0o600) -> int:
    """``os.open`` that refuses a symlink and anything but a regular file, without blocking.

    A FIFO (or a device) in place of a head, witness, lock, registry or log made ``open``
    wait forever for a writer: ``audit verify`` and every decision hung (a fifth red-team
    pass). The file is opened non-blocking, checked, then switched back to blocking.
    """
    fd = os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK, mode)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
    except BaseException:
        os.close(fd)
        raise
    return fd


def not_regular(path: Path) -> bool:
    """``path`` exists and is not a regular file: a directory, FIFO, socket or link that no
    crash of the writer leaves (the writer refuses to append past one; verify calls the witness
    replaced). Missing is False; any other lstat failure raises ``OSError`` for the caller."""
    try:
        return not stat.S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


class _HeadKeys(Exception):
    """A head object with a key twice or a key gonogo never writes."""


_HEAD_KEYS = frozenset({"seq", "hash", "updated"})


def _head_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _HeadKeys(f"names {key[:20]!r} twice")
        out[key] = value
    if len(pairs) > 1 or any(k in _HEAD_KEYS for k in out):  # the head object, not a value
        extra = sorted(set(out) - _HEAD_KEYS)
        if extra:
            raise _HeadKeys(f"has a key it never holds ({extra[0][:20]!r})")
    return out


def read_head(path: Path) -> Head | None:
    """The head at ``path``; ``None`` when absent; :class:`HeadError` when malformed."""
    name = path.name
    try:
        fd = open_regular(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise HeadError(f"{name} cannot be read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as f:
        data = f.read(MAX_HEAD_BYTES + 1)
    if len(data) > MAX_HEAD_BYTES:
        raise HeadError(f"{name} is longer than {MAX_HEAD_BYTES} bytes (not a head)")
    if not data.strip():
        raise HeadError(f"{name} is empty")
    try:
        # UTF-8 only (json.loads of bytes also takes a BOM, UTF-16 and UTF-32) and each key
        # once: a head two readers could read differently is not one gonogo wrote (a
        # thirty-first red-team pass: `{"seq":1,"seq":4}`, a BOM and UTF-16 verified ok)
        obj = json.loads(data.decode("utf-8"), object_pairs_hook=_head_pairs)
    except (ValueError, RecursionError):
        raise HeadError(f"{name} is not JSON (corrupted)") from None
    except _HeadKeys as exc:
        raise HeadError(f"{name} {exc} (not a head gonogo writes)") from None
    if not isinstance(obj, dict):
        raise HeadError(f"{name} is not a JSON object")
    seq, digest = obj.get("seq"), obj.get("hash")
    if not is_seq(seq):
        raise HeadError(f"{name} has no valid seq ({repr(seq)[:20]})")
    if not is_hash(digest):
        raise HeadError(f"{name} has no valid hash")
    assert isinstance(seq, int) and isinstance(digest, str)
    return Head(seq, digest)


def write_witness(tdir: Path, seq: int, digest: str) -> None:
    """Replace the writer's high-water mark (atomic, not fsynced: it may only lag the head)."""
    tmp = tdir / f"{WITNESS_NAME}.{os.getpid()}.{threading.get_ident()}.tmp"
    _replace_with(tmp, tdir / WITNESS_NAME, canonical({"seq": seq, "hash": digest}), sync=False)


def write_head(tdir: Path, seq: int, digest: str) -> None:
    """Atomically replace the head (the caller holds the tenant lock and checked monotonicity)."""
    tmp = tdir / f".{HEAD_NAME}.{os.getpid()}.{threading.get_ident()}.tmp"
    data = canonical({"seq": seq, "hash": digest, "updated": time.time()})
    _replace_with(tmp, tdir / HEAD_NAME, data, sync=True)
    try:
        fsync_dir(tdir)
    except OSError:
        # The new head is in place; if the rename is lost in a crash the head lags the log by
        # one record, which the writer and `audit verify` accept as a crash.
        pass


def _replace_with(tmp: Path, target: Path, data: bytes, *, sync: bool) -> None:
    """Write ``data`` to ``tmp`` and rename it over ``target``; on any failure before the
    rename ``target`` is untouched and ``tmp`` is removed (a full disk leaves no litter)."""
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        try:
            if os.write(fd, data) != len(data):
                raise OSError(errno.ENOSPC, f"short write of {target.name}")
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_log(path: Path) -> IO[bytes]:
    """Open a log (or segment) for reading, refusing a symlink in its place."""
    fd = open_regular(path, os.O_RDONLY)
    return os.fdopen(fd, "rb")


@contextlib.contextmanager
def tenant_lock(tdir: Path, *, exclusive: bool, create: bool) -> Iterator[None]:
    """The tenant's inter-process lock (shared for readers); a missing lock is skipped by readers."""
    flags = os.O_NOFOLLOW | (os.O_RDWR | os.O_CREAT if create else os.O_RDONLY)
    try:
        fd = open_regular(tdir / LOCK_NAME, flags, 0o600)
    except FileNotFoundError:
        if create:
            raise
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def segment_files(tdir: Path) -> tuple[list[tuple[int, Path]], list[str]]:
    """Sealed segments in chain order, and one-line problems with the segments folder."""
    seg_dir = tdir / SEGMENTS_DIR
    if not os.path.lexists(seg_dir):
        return [], []
    if seg_dir.is_symlink() or not seg_dir.is_dir():
        return [], [f"{SEGMENTS_DIR}/ is not a directory (or is a symlink)"]
    found: list[tuple[int, Path]] = []
    problems: list[str] = []
    for entry in sorted(seg_dir.iterdir()):
        m = SEGMENT_RE.match(entry.name)
        if m is None or entry.is_symlink() or not entry.is_file():
            problems.append(f"{SEGMENTS_DIR}/{entry.name[:80]} is not a sealed segment")
            continue
        found.append((int(m.group(1)), entry))
    found.sort()
    return found, problems
